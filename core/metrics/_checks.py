"""Input checks shared by the metrics: one clear message for empty sets, NaN rows and dimension mismatches."""

from __future__ import annotations

from typing import Optional

import numpy as np

from core.errors import InputError
from core.vectors import unit_rows as _unit_rows

#: Rows checked for NaN/inf per block (65,536 x 384 is a 24 MiB mask, whatever the pool size).
CHECK_BLOCK_ROWS = 65536


def as_embeddings(X: object, what: str = "embeddings", *, min_rows: int = 1) -> np.ndarray:
    """``X`` as a C-contiguous float32 (n, d) array, or InputError naming the first bad row.

    float32 is what the official NovelSum loader feeds its index and torch (``astype(np.float32)``, ``.float()``).
    """
    try:
        array = np.asarray(X, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what} must be a numeric (n, d) array: {exc}") from None
    if array.ndim != 2:
        raise InputError(f"{what} must be a 2-D (n, d) array, got shape {array.shape}")
    if array.shape[0] < min_rows:
        if array.shape[0] == 0:
            raise InputError(f"{what} is empty: the set has no rows")
        raise InputError(f"{what} has {array.shape[0]} row(s); this measure needs at least {min_rows}")
    if array.shape[1] == 0:
        raise InputError(f"{what} has zero columns")
    for lo in range(0, array.shape[0], CHECK_BLOCK_ROWS):  # blocks: no bool mask the size of a pool's matrix
        bad = ~np.isfinite(array[lo:lo + CHECK_BLOCK_ROWS]).all(axis=1)
        if bad.any():
            raise InputError(f"{what} row {lo + int(np.argmax(bad))} contains NaN or infinite values")
    return np.ascontiguousarray(array)


def as_reference(reference: object, d: int, what: str = "reference") -> np.ndarray:
    """Check a reference set like :func:`as_embeddings` and that it has ``d`` columns."""
    ref = as_embeddings(reference, what)
    if ref.shape[1] != d:
        raise InputError(f"dimension mismatch: {what} has {ref.shape[1]} columns but the set has {d}")
    return ref


def unit_rows(X: np.ndarray, what: str = "embeddings") -> np.ndarray:
    """Rows scaled to unit length (core.vectors.unit_rows, float32 out); an all-zero row is an InputError."""
    return _unit_rows(X, zero_rows="error", what=what)


def auto_block(n_cols: int, block_size: Optional[int], n_rows: int, budget_bytes: int = 48 << 20) -> int:
    """Rows per block: ``block_size`` if given, else as many float32 rows of ``n_cols`` as fit ``budget_bytes``."""
    if block_size is not None:
        if int(block_size) < 1:
            raise InputError(f"block_size must be a positive integer, got {block_size!r}")
        return int(block_size)
    return int(max(1, min(n_rows, budget_bytes // (4 * max(n_cols, 1)))))
