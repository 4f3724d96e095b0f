"""Secondary suppression, one rule for reports and indicators: no hidden cell can be worked out from a total
and the cells shown beside it."""

from __future__ import annotations

import numpy as np


def gives_away(k: int, n: int, min_n: int) -> bool:
    """Whether a share k/n of at least min_n answers still tells a small cell: its numerator or its complement
    holds somebody but fewer than min_n (3 of 8 agreeing, or 6 of 8 with 2 not), so it must be withheld."""
    return 0 < k < min_n or 0 < n - k < min_n


def secondary_suppression(sizes: np.ndarray, hidden: np.ndarray, min_n: int, floor: int = 1) -> np.ndarray:
    """Cells to hide as well so that no hidden cell can be worked out from the total and the cells shown.

    The total minus the cells shown is what the hidden cells hold together. While that remainder is under
    ``min_n``, or is the least or the most the hidden cells could hold (each cell hidden for being small holds
    ``floor``..min_n-1 — ``floor`` 1 where a zero is shown as 0, 0 where empty cells are hidden too — and each
    withheld one at least min_n), the smallest cell shown that holds anybody (the first of equals) is hidden
    too, until none is left. Nothing more is hidden where no hidden cell holds anybody.
    """
    sizes = np.asarray(sizes, dtype="int64")
    hidden = np.asarray(hidden, dtype=bool)
    extra = np.zeros(sizes.shape, dtype=bool)
    if not (hidden & (sizes > 0)).any():
        return extra
    candidates = sorted(np.flatnonzero(~hidden & (sizes > 0)), key=lambda i: (sizes[i], i))
    for candidate in candidates:
        if not _pinned(sizes, hidden, extra, min_n, floor):
            break
        extra[candidate] = True
    return extra


def _pinned(sizes: np.ndarray, hidden: np.ndarray, extra: np.ndarray, min_n: int, floor: int) -> bool:
    """Whether the hidden cells' remainder is under min_n or tells each hidden cell (the least or most they hold).

    A withheld cell has no upper bound but the total: the most counts only while no cell is withheld.
    """
    remainder = int(sizes[hidden | extra].sum())
    small, withheld = int(hidden.sum()), int(extra.sum())
    least = small * floor + withheld * min_n
    most = small * (min_n - 1) if not withheld else None
    return remainder < min_n or remainder in (least, most)
