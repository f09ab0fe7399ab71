"""What moves one unit's PII and rank: each indicator's gain (gains), the fewest points to a
target rank (reach), the split of a change over its indicators (attribution), and how certain a
rank is under noise in the estimates (uncertainty); core is the starting point they share.

The public names of gains, reach and attribution are importable from here (each from its
own module, so that importing one does not need the others).
"""

from model.movers.attribution import Attribution, ShapleyValues, Share, attribution, shapley_values
from model.movers.core import DEFAULT_STEP, MoversError
from model.movers.gains import Mover, Movers, movers, movers_frame
from model.movers.reach import WITHIN, Gain, Reach, allowed_codes, reach

__all__ = [
    "DEFAULT_STEP",
    "WITHIN",
    "Attribution",
    "Gain",
    "Mover",
    "Movers",
    "MoversError",
    "Reach",
    "Share",
    "ShapleyValues",
    "allowed_codes",
    "attribution",
    "movers",
    "movers_frame",
    "reach",
    "shapley_values",
]
