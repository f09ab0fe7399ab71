"""`python -m model …`: the command line lives in model/cli/ (tests import `main` from here)."""

from model.cli import main, run  # noqa: F401

if __name__ == "__main__":
    run()
