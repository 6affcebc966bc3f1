"""MIG's mathematics in one place (Chen et al. 2025, arXiv 2504.13835): phi, phi', propagation, E(S), its curve.

* phi, the concave information of one label's mass z: ``z**b`` ("pow", b = 0.8, no offset, as the fixtures'
  E(S)) or ``1 - exp(-alpha z)`` ("exp");
* phi', as the official sampler differentiates it: ``b (z + a)**(b - 1)`` (a = 1e-6) or ``alpha exp(-alpha z)``;
* propagation: W' = diag(W) + prop_weight * offdiag(W), P = W' with each column divided by its sum (a column
  summing to 0 stays 0), e_i = s_i 1[L_i] (s_i / |L_i| with ``norm``), h_i = e_i P (``propagate``, rows of a CSR);
* E(S) = sum_k phi(z_k), z = sum_{i in S} h_i (``information``), and E along any order (``information_curve``);
* :class:`InformationObjective`: the greedy's first-order gain h_i . phi'(z) as an objective for
  :func:`core.selectors.lazy_greedy.lazy_greedy` (used by the MIG selector).

``core.label_graph`` (the graph), ``core.curves`` (budget curves), ``core.metrics`` (the ``mig_information``
metric) and ``core.selectors.mig`` all take these from here. Imports only numpy, scipy and core.errors, so that
the label graph can use it without an import cycle.
"""

from __future__ import annotations

from typing import Optional, Protocol, Sequence

import numpy as np
import scipy.sparse as sp

from core.errors import SiftError
from core.features import take_rows

PHI_CHOICES = ("pow", "exp")
#: Official defaults of the information function and its gradient (the MIG CLI's).
PHI, PHI_A, PHI_B, PHI_ALPHA = "pow", 1e-6, 0.8, 1.0
_CHUNK_ROWS = 65_536  # rows per block when many gains are computed at once


class PropagatingGraph(Protocol):
    """What E(S) needs of a label graph (``core.label_graph.LabelGraph`` is one; not imported here, so the graph
    module can take its mathematics from this one without an import cycle)."""

    def propagate(self, label_sets: Sequence[Sequence[str]], quality, *, prop_weight: float = 1.0,
                  norm: bool = False) -> sp.csr_matrix:
        """H = V P for these records."""


def check_phi(phi: str) -> str:
    """``phi`` if it is "pow" or "exp", else a SiftError."""
    if phi not in PHI_CHOICES:
        raise SiftError(f"phi must be 'pow' or 'exp', got {phi!r}")
    return phi


def phi_values(z: np.ndarray, phi: str = PHI, phi_b: float = PHI_B, phi_alpha: float = PHI_ALPHA) -> np.ndarray:
    """phi(z): ``z**b`` for "pow" (no offset, as the fixtures' E(S)) or ``1 - exp(-alpha z)`` for "exp"."""
    if check_phi(phi) == "pow":
        return np.power(z, phi_b)
    return -np.expm1(-phi_alpha * z)


def d_phi(z: np.ndarray, phi: str = PHI, *, phi_a: float = PHI_A, phi_b: float = PHI_B,
          phi_alpha: float = PHI_ALPHA) -> np.ndarray:
    """phi'(z) as the official sampler uses it: ``b (z + a)^(b-1)`` or ``alpha exp(-alpha z)``."""
    if check_phi(phi) == "pow":
        return phi_b * np.power(z + phi_a, phi_b - 1.0)
    return phi_alpha * np.exp(-phi_alpha * z)


def propagation_matrix(weights: sp.csr_matrix, prop_weight: float = 1.0) -> sp.csr_matrix:
    """P = W' / column sums of W', with W' = diag(W) + ``prop_weight`` * offdiag(W) (the official rule).

    A column whose sum is 0 (a label with no self-weight and no neighbours) stays 0 instead of dividing by 0.
    """
    prop_weight = float(prop_weight)
    if not np.isfinite(prop_weight) or prop_weight < 0:
        raise SiftError(f"prop_weight must be a non-negative number, got {prop_weight}")
    w = sp.coo_matrix(weights)
    data = np.where(w.row == w.col, w.data, w.data * prop_weight)
    wp = sp.csr_matrix((data, (w.row, w.col)), shape=w.shape)
    colsum = np.asarray(wp.sum(axis=0)).ravel()
    inv = np.divide(1.0, colsum, out=np.zeros_like(colsum), where=colsum > 0)
    p = (wp @ sp.diags(inv)).tocsr()
    p.eliminate_zeros()
    p.sort_indices()
    return p


def propagate(vectors: sp.csr_matrix, propagation: sp.csr_matrix) -> sp.csr_matrix:
    """H = V P (N x K, CSR, float64, sorted indices): each sample's information spread to neighbouring labels."""
    h = (sp.csr_matrix(vectors) @ propagation).tocsr()
    h.eliminate_zeros()
    h.sort_indices()
    return h


def row_gains(h: sp.csr_matrix, rows: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``H[rows] @ g`` with one fixed per-row summation, so a row's gain never depends on the rows beside it."""
    indptr, indices, data = h.indptr, h.indices, h.data
    rows = np.asarray(rows, dtype=np.int64)
    starts = indptr[rows]
    lens = indptr[rows + 1] - starts
    out = np.zeros(rows.shape[0], dtype=np.float64)
    total = int(lens.sum())
    if total == 0:
        return out
    offs = np.cumsum(lens) - lens
    pos = np.repeat(starts - offs, lens) + np.arange(total, dtype=np.int64)
    vals = data[pos] * g[indices[pos]]
    nz = lens > 0
    out[nz] = np.add.reduceat(vals, offs[nz])
    return out


class InformationObjective:
    """MIG's greedy objective over propagated rows ``h`` (N x K CSR, non-negative): gain_i = h_i . phi'(z).

    phi' only falls as z grows and h >= 0, so every gain only falls: the lazy greedy's stale gains are upper
    bounds. ``commit(i)`` adds h_i to z and refreshes phi' on h_i's labels only (O(nnz(h_i))).
    """

    def __init__(self, h: sp.csr_matrix, *, phi: str = PHI, phi_a: float = PHI_A, phi_b: float = PHI_B,
                 phi_alpha: float = PHI_ALPHA) -> None:
        h = sp.csr_matrix(h)
        h.sort_indices()
        self.h = h
        self.n = h.shape[0]
        self._kw = dict(phi=check_phi(phi), phi_a=phi_a, phi_b=phi_b, phi_alpha=phi_alpha)
        self.z = np.zeros(h.shape[1], dtype=np.float64)
        self.g = d_phi(self.z, **self._kw)

    def initial_gains(self, rows: np.ndarray) -> np.ndarray:
        """Gains of many rows at once (blocks of 65,536 rows), with the same kernel as :meth:`gains`."""
        rows = np.asarray(rows, dtype=np.int64)
        if rows.size == 0:
            return np.zeros(0)
        return np.concatenate([row_gains(self.h, rows[s:s + _CHUNK_ROWS], self.g)
                               for s in range(0, rows.shape[0], _CHUNK_ROWS)])

    def gains(self, rows: np.ndarray) -> np.ndarray:
        """Current first-order gains of ``rows``."""
        return row_gains(self.h, rows, self.g)

    def commit(self, row: int) -> None:
        """Add record ``row`` to the set: z += h_row, phi' refreshed where z changed."""
        lo, hi = self.h.indptr[row], self.h.indptr[row + 1]
        cols = self.h.indices[lo:hi]
        self.z[cols] += self.h.data[lo:hi]
        self.g[cols] = d_phi(self.z[cols], **self._kw)


# ------------------------------------------------------------------------------------------ E(S) of sets

def check_order(order, n: int) -> np.ndarray:
    """``order`` as int64 pool indices: non-empty, in 0..n-1, no repeats; else a SiftError."""
    idx = np.asarray(order, dtype=np.int64).reshape(-1)
    if idx.size == 0:
        raise SiftError("the pick order is empty")
    if idx.min() < 0 or idx.max() >= n:
        raise SiftError(f"the pick order has indices outside the pool (0..{n - 1})")
    if np.unique(idx).size != idx.size:
        raise SiftError("the pick order repeats a record")
    return idx


def label_information(label_sets: Sequence[Sequence[str]], quality, graph: PropagatingGraph, subset=None, *,
                      prop_weight: float = 1.0, phi: str = PHI, phi_b: float = PHI_B, phi_alpha: float = PHI_ALPHA,
                      norm: bool = False) -> np.ndarray:
    """Per-label information phi(z_k) of a set (rows ``subset`` of the pool, or all rows); sums to E(S)."""
    if subset is not None:
        idx = np.asarray(subset, dtype=np.int64)
        label_sets = take_rows(label_sets, idx)
        quality = np.asarray(quality, dtype=np.float64)[idx]
    h = graph.propagate(label_sets, quality, prop_weight=prop_weight, norm=norm)
    z = np.asarray(h.sum(axis=0)).ravel()
    return phi_values(z, phi, phi_b, phi_alpha)


def information(label_sets: Sequence[Sequence[str]], quality, graph: PropagatingGraph, subset=None, **kwargs) -> float:
    """E(S) of rows ``subset`` (all rows if None), computed from scratch: sum_l phi(sum_{i in S} h_il)."""
    return float(np.sum(label_information(label_sets, quality, graph, subset, **kwargs)))


def information_curve(label_sets: Sequence[Sequence[str]], quality, graph: PropagatingGraph, order, *,
                      prop_weight: float = 1.0, phi: str = PHI, phi_b: float = PHI_B, phi_alpha: float = PHI_ALPHA,
                      norm: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``(E, gains)``: E[k-1] = E(S_k) for the first k records of ``order``; gains[k-1] = E(S_k) - E(S_{k-1}).

    Incremental: adding record i changes z only on the labels of h_i, so each step costs O(nnz(h_i)). Only the
    rows in ``order`` are propagated. Records with no labels add nothing.
    """
    idx = check_order(order, len(label_sets))
    q = np.asarray(quality, dtype=np.float64).reshape(-1)
    if q.shape[0] != len(label_sets):
        raise SiftError(f"need one quality value per record: {len(label_sets)} records, {q.shape[0]} values")
    h = graph.propagate(take_rows(label_sets, idx), q[idx], prop_weight=prop_weight, norm=norm)
    indptr, indices, data = h.indptr, h.indices, h.data
    z = np.zeros(h.shape[1], dtype=np.float64)
    gains = np.empty(idx.size, dtype=np.float64)
    for t in range(idx.size):
        lo, hi = indptr[t], indptr[t + 1]
        cols = indices[lo:hi]
        before = phi_values(z[cols], phi, phi_b, phi_alpha)
        z[cols] += data[lo:hi]
        gains[t] = float(np.sum(phi_values(z[cols], phi, phi_b, phi_alpha) - before))
    return np.cumsum(gains), gains
