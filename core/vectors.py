"""Unit-normalising an embedding matrix without a float64 copy of it (shared by selectors and metrics)."""

from __future__ import annotations

import numpy as np

from core.errors import InputError

#: Rows normalised per block: 32,768 x 384 float64 is 96 MiB of scratch, whatever the pool size.
UNIT_ROWS_BLOCK = 32768


def unit_rows(X: np.ndarray, *, zero_rows: str = "keep", what: str = "embeddings", copy: bool = True
              ) -> np.ndarray:
    """Rows of ``X`` scaled to unit L2 norm in float64, returned as one float32 array.

    Done block by block, so a 1M x 384 pool never has a float64 copy of its matrix; each row's arithmetic is the
    same as on the whole array, so the values are identical. ``zero_rows="keep"`` leaves all-zero rows at zero
    (selectors); ``"error"`` raises InputError naming the first one (metrics, where cosine is then undefined).
    ``copy=False`` writes the result into ``X`` itself (a writable float32 array the caller owns, e.g. the
    pipeline's loaded ``--embeddings``) and returns it: the same values, and no second pool-sized array (after
    an all-zero-row error ``X`` is left partly normalised).
    """
    if zero_rows not in ("keep", "error"):
        raise ValueError(f"zero_rows must be 'keep' or 'error', got {zero_rows!r}")
    X = np.asarray(X)
    if copy:
        out = np.empty(X.shape, dtype=np.float32)
    elif X.dtype != np.float32 or not X.flags.writeable:
        raise ValueError(f"unit_rows(copy=False) needs a writable float32 array, got {X.dtype}"
                         f"{'' if X.flags.writeable else ' (read-only)'}")
    else:
        out = X
    for lo in range(0, X.shape[0], UNIT_ROWS_BLOCK):
        x64 = np.asarray(X[lo:lo + UNIT_ROWS_BLOCK], dtype=np.float64)
        norms = np.linalg.norm(x64, axis=1, keepdims=True)
        zero = norms[:, 0] == 0
        if zero.any():
            if zero_rows == "error":
                raise InputError(f"{what} row {lo + int(np.argmax(zero))} is an all-zero vector (cosine is "
                                 "undefined)")
            norms = np.where(zero[:, None], 1.0, norms)
        out[lo:lo + UNIT_ROWS_BLOCK] = x64 / norms
    return out
