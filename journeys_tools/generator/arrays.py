"""Vectorised helpers over numpy arrays: runs of equal keys, segmented sums, counts and uniform draws."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.signedinteger[Any]]  # int64, or int32 for stored index arrays
Arr = npt.NDArray[Any]
Mask = npt.NDArray[np.bool_]
U8 = npt.NDArray[np.uint8]


def run_starts(keys: Ints) -> Mask:
    """True at the first element of each run of equal consecutive keys."""
    first = np.ones(keys.size, dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def run_rank(first: Mask) -> Ints:
    """Position of each element within its run (runs start where ``first`` is True)."""
    idx = np.arange(first.size, dtype=np.int64)
    return idx - np.maximum.accumulate(np.where(first, idx, 0))


def seg_cumsum(values: Ints, first: Mask) -> Ints:
    """Inclusive cumulative sum restarting at each run start."""
    total = np.cumsum(values)
    idx = np.arange(values.size)
    start = np.maximum.accumulate(np.where(first, idx, 0))
    return total - total[start] + values[start]


def share_count(rate: float, base: int) -> int:
    """round(rate * base), but at least 1 when both are positive."""
    if rate <= 0 or base <= 0:
        return 0
    return max(1, round(rate * base))


def uniform_ints(rng: np.random.Generator, low: int, high: int, size: int) -> Ints:
    """Uniform integers in [low, high]."""
    return rng.integers(low, high + 1, size=size, dtype=np.int64)


def compact(holder: object, names: tuple[str, ...]) -> None:
    """Store the named index arrays of ``holder`` as int32 (less memory at 10M rows)."""
    for name in names:
        values = getattr(holder, name)
        if values.size and (values.max() >= 2**31 or values.min() < -(2**31)):
            raise ValueError(f"{name} does not fit in int32")
        setattr(holder, name, values.astype(np.int32))
