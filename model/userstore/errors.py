"""The user store's errors: each carries a message id and parameters (model.i18n), so the UI
and the CLI show it in the user's language; `str(exc)` is the English text for logs.

No message ever contains the password of a store URL: the places they name are printable
descriptions (backend.describe_store_url), never the URL itself.
"""

from __future__ import annotations

from ..i18n import LocalizedError


class WorkspaceError(LocalizedError):
    """Something the user store cannot do; the message says why in plain words."""


class InvalidText(WorkspaceError, ValueError):
    """A name, author or note that cannot be stored as given."""


class InvalidName(InvalidText):
    """A scenario name that is empty, too long, or contains control characters."""


class NameTaken(WorkspaceError):
    """Another saved scenario (or assumption set) already has this name."""


class NotFound(WorkspaceError, LookupError):
    """No saved scenario (assumption set, dataset version) has this name or id."""


class CorruptScenario(WorkspaceError):
    """A stored scenario whose JSON no longer validates (e.g. written by an older version)."""


class WorkspaceBusy(WorkspaceError):
    """Another program kept the store locked for longer than we waited."""


class ConstraintViolation(WorkspaceError):
    """The database refused a write that breaks a table's constraint (unique, check, not null).

    The repository turns the ones it expects into a named error (NameTaken); this is the rest.
    """


class ReadOnly(WorkspaceError):
    """A built-in record (a plan printed in an official document) that is never changed."""


class StaleRevision(WorkspaceError):
    """A save based on a revision that is no longer the latest (someone saved in between)."""
