"""One greedy optimiser for monotone submodular objectives (MIG's information, QDIT's coverage + quality).

The objective is apart from the optimiser (apricot's split). An :class:`Objective` knows the current set and
answers three questions: the gains of many rows at once (``initial_gains``, memory-bounded blocks), the gains of a
few rows (``gains``) and "add this row" (``commit``). Both must compute a row's gain with one fixed kernel, so a
row's value never depends on which rows are asked with it.

:func:`lazy_greedy` picks ``argmax gain`` each step, ties to the lowest row index, with one of two strategies:

* ``lazy=True`` (default, Minoux 1978): gains of a submodular objective only fall as the set grows, so a stale
  gain is an upper bound of the current one. A heap holds every candidate under a Python-int key that orders
  (gain desc, index asc) exactly (the order-preserving bit pattern of the float64 gain, inverted, shifted above
  the index bits); each entry carries the step (stamp) its gain was computed at. At a step, stale entries at the
  top are popped and refreshed together in batches of 16, 32, ... 4096 (one vectorised ``gains`` call per batch)
  until the top entry is fresh: it is then the true argmax.
* ``lazy=False``: every remaining gain is recomputed each step (``initial_gains``) and the first maximum taken.

Both use the same kernel, so they pick identically, ties included (``tests/test_lazy_greedy.py``). Must-include
rows are committed first, in the given order (their gains recorded at commit time), so the objective counts them;
``candidates`` restricts the rows the greedy may add; per-stratum ``quotas`` cap how many rows each stratum gives
(full strata leave the search). Progress is reported every 1% of the picks and at the end.
"""

from __future__ import annotations

import heapq
from typing import Optional, Protocol, Sequence

import numpy as np

from core.errors import BudgetError, SiftError, check_budget
from core.features import Progress

_FIRST_BATCH = 16  # stale heap entries refreshed together at first in a step (then 32, 64, ... 4096)
_MAX_BATCH = 4096
_RESERVE_BLOCK = 65_536  # candidates in the heap at first (by initial gain); each later block from the reserve doubles
_SIGN = np.uint64(0x8000000000000000)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)


class Objective(Protocol):
    """A monotone submodular set function seen from its current set (see the module docstring)."""

    n: int

    def initial_gains(self, rows: np.ndarray) -> np.ndarray:
        """Gains of many ``rows`` (int64) on the current set, in memory-bounded blocks."""

    def gains(self, rows: np.ndarray) -> np.ndarray:
        """Gains of a few ``rows`` on the current set, with the same per-row kernel."""

    def commit(self, row: int) -> None:
        """Add ``row`` to the set."""


def ordered_bits(values: np.ndarray) -> np.ndarray:
    """uint64 codes that sort like the float64 ``values`` (-0.0 counts as 0.0); NaN is refused."""
    v = np.asarray(values, dtype=np.float64) + 0.0  # + 0.0 turns -0.0 into 0.0
    if np.isnan(v).any():
        raise SiftError("the greedy objective returned a NaN gain")
    bits = v.view(np.uint64)
    return np.where(bits & _SIGN, ~bits, bits | _SIGN)


def lazy_greedy(objective: Objective, budget: int, *, candidates: Optional[np.ndarray] = None,
                include: Sequence[int] = (), strata: Optional[np.ndarray] = None,
                quotas: Optional[Sequence[int]] = None, lazy: bool = True, label: str = "greedy",
                available: str = "candidates", progress: Optional[Progress] = None) -> tuple[np.ndarray, np.ndarray]:
    """``budget`` picks maximising ``objective`` greedily: ``(rows in pick order, gain of each pick)``.

    ``include`` rows come first (committed in order, counted in the budget); the rest are chosen among
    ``candidates`` (sorted rows; default every row not included). ``strata`` (a stratum code 0..m-1 per row) with
    ``quotas`` (picks per stratum, included rows counted, summing to the budget) caps each stratum: once a stratum
    has its quota its rows leave the search, so the objective is maximised over the whole selection under the
    quotas. ``label`` names the selector in progress messages; ``available`` names what ``candidates`` are in the
    budget error (e.g. "records that have labels").
    """
    n = int(objective.n)
    include = np.asarray(include, dtype=np.int64).reshape(-1)
    cand = np.arange(n, dtype=np.int64) if candidates is None else np.asarray(candidates, dtype=np.int64)
    if include.size:
        cand = cand[~np.isin(cand, include)]
    budget = check_budget(budget, n)
    if budget > include.size + cand.size:
        raise BudgetError(f"budget {budget} is larger than the {include.size + cand.size} {available}")
    if include.size > budget:
        raise BudgetError(f"{include.size} records must be included but the budget is {budget}")
    left = None
    if quotas is not None:
        codes = np.asarray(strata, dtype=np.int64)
        left = np.asarray(quotas, dtype=np.int64).copy()
        if codes.shape != (n,) or int(left.sum()) != budget:
            raise SiftError(f"quotas must sum to the budget ({budget}) over one stratum code per row ({n})")
        np.subtract.at(left, codes[include], 1)
        if (left < 0).any():
            raise BudgetError("a stratum has more must-include records than its quota")
        left = _Quota(codes, left)
    picks = np.empty(budget, dtype=np.int64)
    gains = np.empty(budget, dtype=np.float64)
    every = max(1, budget // 100)

    def report(t: int) -> None:
        if progress is not None and (t % every == 0 or t == budget):
            progress(t / budget, f"{label}: picked {t:,} / {budget:,}")

    for t, row in enumerate(include.tolist()):
        picks[t], gains[t] = row, float(objective.gains(np.array([row], dtype=np.int64))[0])
        objective.commit(row)
        report(t + 1)
    start = include.size
    if lazy:
        _lazy_steps(objective, cand, picks, gains, start, report, left, label)
    else:
        _naive_steps(objective, cand, picks, gains, start, report, left, label)
    return picks, gains


class _Quota:
    """Picks left per stratum: ``open(row)`` while the row's stratum has room, ``take(row)`` after a pick."""

    def __init__(self, codes: np.ndarray, left: np.ndarray) -> None:
        self.code_array = codes
        self.codes, self.left = codes.tolist(), left.tolist()

    def open(self, row: int) -> bool:
        return self.left[self.codes[row]] > 0

    def open_rows(self, rows: np.ndarray) -> np.ndarray:
        return np.asarray(self.left)[self.code_array[rows]] > 0

    def take(self, row: int) -> None:
        self.left[self.codes[row]] -= 1


def _exhausted(label: str) -> BudgetError:
    return BudgetError(f"{label}: the per-stratum quotas cannot be filled (a stratum ran out of records it can pick)")


def _naive_steps(objective: Objective, cand: np.ndarray, picks: np.ndarray, gains: np.ndarray, start: int,
                 report, quota: Optional[_Quota], label: str) -> None:
    """Recompute every remaining gain each step; the first maximum is the lowest remaining row."""
    remaining = cand.copy()
    for t in range(start, picks.shape[0]):
        if quota is not None:
            remaining = remaining[quota.open_rows(remaining)]
            if remaining.size == 0:
                raise _exhausted(label)
        values = objective.initial_gains(remaining)
        j = int(np.argmax(values))
        picks[t], gains[t] = int(remaining[j]), float(values[j])
        remaining = np.delete(remaining, j)
        objective.commit(int(picks[t]))
        if quota is not None:
            quota.take(int(picks[t]))
        report(t + 1)


def _lazy_steps(objective: Objective, cand: np.ndarray, picks: np.ndarray, gains: np.ndarray, start: int,
                report, quota: Optional[_Quota], label: str) -> None:
    """The heap strategy (module docstring): fresh top = true argmax, ties to the lowest row; rows of a stratum
    that has its quota are dropped as they surface.

    The heap holds only the best candidates by initial gain; the rest wait in a reserve sorted by key, whose first
    key (from its initial gain, an upper bound of every reserve gain) is compared with the top of the heap: while
    the reserve's best could beat it, the next block of the reserve (``_RESERVE_BLOCK``, doubling) joins the heap,
    its gains computed for the whole block at once (``initial_gains``, the same per-row kernel), so its rows enter
    fresh instead of being popped and refreshed one batch at a time. A fresh top that beats the reserve's best
    key is the true argmax, exactly as with every row in the heap; the heap stays smaller early on, so its pops
    are cheaper (a 1M-entry heap of Python ints misses the cache on every level).
    """
    n = int(objective.n)
    shift = max(1, n.bit_length())
    low = (1 << shift) - 1

    def keys(values: np.ndarray, rows: np.ndarray) -> list[int]:
        inverted = (_ALL - ordered_bits(values)).tolist()
        return [(a << shift) | r for a, r in zip(inverted, rows.tolist())]

    value = np.zeros(n, dtype=np.float64)
    value[cand] = objective.initial_gains(cand)
    inverted = _ALL - ordered_bits(value[cand])
    ranked = np.lexsort((cand, inverted))  # key order: gain desc, row asc
    reserve, reserve_inverted = cand[ranked], inverted[ranked]
    del inverted, ranked
    m = reserve.size
    nxt = 0  # reserve[nxt:] are not in the heap yet
    block = _RESERVE_BLOCK
    bound = None  # key of reserve[nxt] (None: the reserve is empty)
    heap: list[int] = []
    stamp = [start] * n  # step at which each value was computed
    heappop, heappush = heapq.heappop, heapq.heappush

    def refill(t: int) -> None:
        nonlocal nxt, block, bound
        rows = reserve[nxt:nxt + block]
        if t > start:  # gains at this step for the whole block at once, so its rows enter the heap fresh
            value[rows] = objective.initial_gains(rows)
            for row in rows.tolist():
                stamp[row] = t
        new = keys(value[rows], rows)
        if len(new) >= len(heap):
            heap.extend(new)
            heapq.heapify(heap)
        else:
            for key in new:
                heappush(heap, key)
        nxt += rows.size
        block *= 2
        bound = (int(reserve_inverted[nxt]) << shift) | int(reserve[nxt]) if nxt < m else None

    refill(start)
    for t in range(start, picks.shape[0]):
        while True:
            batch = _FIRST_BATCH
            while True:
                if bound is not None and (not heap or heap[0] > bound):
                    refill(t)  # the reserve's best may beat the top of the heap
                    continue
                if not heap or stamp[heap[0] & low] == t:
                    break
                stale: list[int] = []
                while heap and len(stale) < batch and stamp[heap[0] & low] != t:
                    row = heappop(heap) & low
                    if quota is None or quota.open(row):
                        stale.append(row)
                if not stale:
                    continue
                rows = np.asarray(stale, dtype=np.int64)
                fresh = objective.gains(rows)
                value[rows] = fresh
                for row, key in zip(stale, keys(fresh, rows)):
                    stamp[row] = t
                    heappush(heap, key)
                batch = min(batch * 2, _MAX_BATCH)
            if not heap:
                raise _exhausted(label)
            pick = heappop(heap) & low
            if quota is None or quota.open(pick):
                break
        picks[t], gains[t] = pick, float(value[pick])
        objective.commit(pick)
        if quota is not None:
            quota.take(pick)
        report(t + 1)
