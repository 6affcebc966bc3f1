"""k-center greedy (Sener & Savarese 2018, "Active Learning for Convolutional Neural Networks: A Core-Set
Approach", arXiv 1708.00489), on cosine distance.

Each step adds the row farthest from its nearest selected row (``1 - cos`` on unit rows), the classic
2-approximation of the minimax-cover problem. The paper starts from the labelled set; here the must-include rows
are that set when there are some, else the first centre is ``start`` or drawn from the seed
(``RandomState(seed).randint(0, n)``, the same draw NovelSelect makes: ``_common.first_centres``). Gains are each
pick's distance to the set chosen before it (the cover radius at that step; 0 for the first). Ties go to the
lowest index.

Speed: the plain loop (``full_pass=True``, kept as the reference) updates every row's nearest distance after each
pick, one pass over the whole matrix per pick (1,000 picks on 1M x 384 read 1.5 TB). By default the updates are
lazy instead, the bound-based ("lazy") evaluation of CELF (Leskovec et al. 2007, "Cost-effective Outbreak
Detection in Networks") applied to farthest-point traversal: a row's stored distance is an upper bound of its
true one (it only falls as centres are added), so only rows whose bound reaches the current maximum are brought
up to date, against the centres added since their last update, until the largest bound belongs to an
up-to-date row: that row is the pick. Most rows fall well below the cover radius after a few dozen centres and
are never read again. The triangle-inequality pruning of accelerated farthest-point sampling (Elkan 2003,
"Using the Triangle Inequality to Accelerate k-Means") prunes almost nothing on 384-d sentence embeddings
(benchmarks/README.md), so it is not used.

Picks and gains are identical to the plain loop, not just close: a row's distance to a centre is computed by the
same float32 matrix-vector product, on gathered rows padded to a multiple of ``GROUP`` (OpenBLAS computes rows in
groups of 4 and the last ``n % 4`` with another kernel, so the pool's last ``n % GROUP`` rows are always updated
by a call of their own, as in the full pass), and the minimum of the same values does not depend on their
order. The first pick after the starting centres is applied by a full pass that also checks this on a sample
of rows; were a BLAS to compute gathered rows differently, the run falls back to the plain loop.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from core.errors import check_budget
from core.features import EMBEDDINGS, Features, Progress
from core.params import Param
from core.selection import Selection
from core.selectors._common import check_matrix, embeddings_of, first_centres, report, single_thread
from core.vectors import unit_rows

NAME = "kcenter"
LABEL = "k-center greedy"
SUMMARY = "Farthest-point traversal: each pick is the record farthest (cosine) from everything chosen so far."
CITATION = "Sener & Savarese 2018, Active Learning for Convolutional Neural Networks: A Core-Set Approach, arXiv 1708.00489"
NEEDS = (EMBEDDINGS,)
USES_SEED = True
USES_REFERENCE = False
TAKES_INCLUDE = True  # run() accepts include= (rows that start the selection)
TAKES_QUOTAS = False
PARAMS = [
    Param("start", -1, int, "index of the first centre; -1 draws it from the seed", low=-1),
]

#: Gathered rows are padded to a multiple of this, and the last ``n % GROUP`` rows are updated on their own.
GROUP = 16
#: Candidate rows kept between picks (those with the largest bounds); grows when it runs dry within a pick.
POOL_ROWS = 4096
#: Rows with the largest bounds brought up to date per round (2,048 x 384 float32 = 3 MiB, cache-sized).
ROUND_ROWS = 2048
#: Centres between two looks at which rows have fallen below the round's floor.
CHECK_EVERY = 64
#: Centres per product when one row catches up alone (the centres' matrix times the row).
CATCH_UP = 256
_FRESH = np.iinfo(np.int32).max  # "up to date with every centre": picked rows


def select(X: np.ndarray, budget: int, *, start: Optional[int] = None, seed: int = 42,
           include: Sequence[int] = (), progress: Optional[Progress] = None, unit: bool = False,
           full_pass: bool = False) -> Selection:
    """k-center greedy on the rows of ``X`` (normalised to unit length here, by :func:`core.vectors.unit_rows`).

    ``include`` rows are the initial centres (in order; each one's gain is its distance to those before it);
    otherwise one first centre, ``start`` or drawn from ``seed`` (:func:`first_centres`). ``unit=True``: the rows
    of ``X`` already are ``unit_rows`` output (the pipeline normalised them once) and are used as they are, with
    no copy. ``full_pass=True`` runs the plain loop (every row updated after every pick; same picks and gains,
    kept as the reference).
    """
    X = check_matrix(X, LABEL)
    Xn = X if unit else unit_rows(X)
    n = Xn.shape[0]
    budget = check_budget(budget, n)
    centres = first_centres(n, include, start, seed, "k-center")
    picks: list = []
    gains: list = []
    nearest = np.full(n, np.inf, dtype=np.float64)
    for c in centres:
        gains.append(0.0 if not picks else float(nearest[c]))
        picks.append(c)
        np.minimum(nearest, 1.0 - Xn @ Xn[c], out=nearest)
        nearest[c] = -np.inf
    with single_thread():
        if full_pass or not Xn.flags.c_contiguous:
            _full_loop(Xn, nearest, picks, gains, budget, progress)
        else:
            _lazy_loop(Xn, nearest, picks, gains, budget, progress)
    report(progress, 1.0, f"k-center: {budget:,} picked")
    return Selection(np.array(picks), np.array(gains), NAME, info={"start": picks[0]})


def _full_loop(Xn: np.ndarray, nearest: np.ndarray, picks: list, gains: list, budget: int,
               progress: Optional[Progress]) -> None:
    """The plain loop: pick the row farthest from the centres, then update every row's distance."""
    for step in range(len(picks), budget):
        best = int(np.argmax(nearest))
        picks.append(best)
        gains.append(float(nearest[best]))
        np.minimum(nearest, 1.0 - Xn @ Xn[best], out=nearest)
        nearest[best] = -np.inf
        if progress is not None and step % 50 == 0:
            report(progress, step / budget, f"k-center: {step:,} / {budget:,} picked")


def _padded(m: int) -> int:
    return -(-m // GROUP) * GROUP


def _distances(A: np.ndarray, x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``1 - A @ x`` into ``out`` (float32): the full pass's ``1.0 - Xn @ Xn[c]``, for rows gathered into ``A``
    (``len(A)`` a multiple of GROUP) or, the other way round, for centres' rows ``A`` and one pool row ``x``."""
    np.matmul(A, x, out=out)
    return np.subtract(1.0, out, out=out)


class _Lazy:
    """Upper bounds of each row's nearest-centre distance, brought up to date only where a pick needs it.

    ``upper[i]`` is the minimum over the first ``done[i]`` centres (exact values, as the full pass computes them);
    rows ``>= tail`` (the last ``n % GROUP``) are updated with every centre. ``pool`` holds every row whose bound
    is at least ``level`` (all others are below it), in row order.
    """

    def __init__(self, Xn: np.ndarray, upper: np.ndarray, centres: list, budget: int) -> None:
        self.X, self.upper, self.centres = Xn, upper, centres
        n = Xn.shape[0]
        self.tail = n - n % GROUP
        self.done = np.full(n, len(centres), dtype=np.int32)
        self.done[upper == -np.inf] = _FRESH
        self.C = np.zeros((max(budget, len(centres)) + max(CATCH_UP, GROUP), Xn.shape[1]), dtype=np.float32)
        self.C[:len(centres)] = Xn[centres]  # row k: centre k (zeros after the last: padding)
        self.buf = np.zeros((_padded(ROUND_ROWS), Xn.shape[1]), dtype=np.float32)
        self.mv = np.empty(max(_padded(ROUND_ROWS), _padded(CATCH_UP)), dtype=np.float32)
        self.pool = np.empty(0, dtype=np.int64)
        self.level = np.inf
        self.pool_rows = POOL_ROWS
        self.built_at = 0  # centres when the pool was last rebuilt

    def add_centre(self, c: int, full: bool = False) -> np.ndarray:
        """Record centre ``c`` (already picked); update the tail rows, or every row when ``full``."""
        self.centres.append(c)
        K = len(self.centres)
        self.C[K - 1] = self.X[c]
        if full:
            dist = 1.0 - self.X @ self.X[c]
            np.minimum(self.upper, dist, out=self.upper)
            self.done[self.done < K] = K
            return dist
        if self.tail < len(self.upper):
            t = self.upper[self.tail:]
            np.minimum(t, 1.0 - self.X[self.tail:] @ self.X[c], out=t)
            d = self.done[self.tail:]
            d[d < K] = K
        return np.empty(0)

    def best(self) -> int:
        """The row with the largest true distance (lowest index on ties).

        Every row's true distance is at most its bound, so once the largest bound belongs to an up-to-date row,
        that row is the answer. Until then the ``ROUND_ROWS`` largest bounds are brought up to date, each row
        stopping as soon as its bound falls below the next-largest bound outside them (it is then not the answer
        of this pick; the centres it has seen are kept, so no distance is computed twice)."""
        K = len(self.centres)
        rebuilt = False
        while True:
            if self.pool.size == 0:
                if rebuilt:  # ran dry within one pick: keep more candidates
                    self.pool_rows = min(self.pool_rows * 2, len(self.upper))
                elif K - self.built_at > 8:  # lasted many picks: fewer candidates make each round cheaper
                    self.pool_rows = max(self.pool_rows // 2, POOL_ROWS)
                self._rebuild()
                self.built_at = K
                rebuilt = True
            vals = self.upper[self.pool]
            a = int(np.argmax(vals))
            if vals[a] < self.level:  # every candidate fell below the level: lower it
                self.pool = self.pool[:0]
                continue
            i = int(self.pool[a])
            if self.done[i] >= K:
                return i
            if vals.size > ROUND_ROWS:
                part = np.argpartition(vals, vals.size - ROUND_ROWS - 1)
                floor = max(float(vals[part[vals.size - ROUND_ROWS - 1]]), self.level)
                top = part[vals.size - ROUND_ROWS:]
            else:
                floor, top = self.level, np.arange(vals.size)
            top = top[self.done[self.pool[top]] < K]
            if top.size == 0:  # ties at the top: the stale argmax was left out of the R largest
                top = np.array([a])
            self._refresh(self.pool[top], floor)
            self.pool = self.pool[self.upper[self.pool] >= self.level]

    def _rebuild(self) -> None:
        """Candidates: the ``pool_rows`` rows with the largest bounds (ties at the level included)."""
        u = self.upper
        k = min(self.pool_rows, len(u))
        self.level = float(np.partition(u, len(u) - k)[len(u) - k])
        self.pool = np.flatnonzero(u >= self.level)

    def _refresh(self, rows: np.ndarray, floor: float) -> None:
        """Take ``rows`` (at most ROUND_ROWS, no tail row) through the centres they have not seen, in centre
        order, until each is up to date or its bound is below ``floor``.

        Sorted by centres seen, the rows that need centre j are a prefix of the gathered block, so one product
        per centre serves them all; every ``CHECK_EVERY`` centres the rows below ``floor`` leave the block (they
        have seen every centre before the current one). Rows far behind the others first catch up alone, one
        product of the centres' matrix with the row per ``CATCH_UP`` centres (the same dot products), so that a
        few old rows do not cost one call per centre."""
        K = len(self.centres)
        d = self.done[rows]
        order = np.argsort(d, kind="stable")
        r, d = rows[order], d[order]
        u = self.upper[r]
        m = len(r)
        split = int(np.argmin(np.arange(m) + (K - d)))  # rows before it catch up alone to d[split]
        if split:
            target = int(d[split])
            keep = np.ones(m, dtype=bool)
            for q in range(split):
                keep[q] = self._catch_up(int(r[q]), int(d[q]), target, floor)
            d[:split] = target
            u[:split] = self.upper[r[:split]]
            if not keep.all():
                r, d, u = r[keep], d[keep], u[keep]
                m = len(r)
        if m == 0:
            return
        block, mv = self.buf, self.mv
        np.take(self.X, r, axis=0, out=block[:m])
        block[m:-(-m // GROUP) * GROUP] = 0.0
        j = int(d[0])
        while m and j < K:
            stop = min(K, j + CHECK_EVERY)
            counts = np.searchsorted(d[:m], np.arange(j, stop), side="right").tolist()
            for jj, p in zip(range(j, stop), counts):
                P = -(-p // GROUP) * GROUP
                _distances(block[:P], self.C[jj], mv[:P])
                np.minimum(u[:p], mv[:p], out=u[:p])
            j = stop
            below = u[:m] < floor
            if j < K and below.any():
                out = np.flatnonzero(below)  # all have seen centres 0 .. j-1 (their d < j: they were in the prefix)
                self.upper[r[out]] = u[out]
                self.done[r[out]] = j
                keep = np.flatnonzero(~below)
                m = len(keep)
                r, d, u = r[keep], d[keep], u[keep]
                block[:m] = block[keep]
                block[m:-(-m // GROUP) * GROUP] = 0.0
        self.upper[r] = u
        self.done[r] = K

    def _catch_up(self, row: int, seen: int, target: int, floor: float) -> bool:
        """Row ``row`` through centres ``seen .. target-1``, ``CATCH_UP`` at a time (the centres' matrix times the
        row: the same dot products); False when it stopped below ``floor`` first (its progress is recorded)."""
        x, mv = self.X[row], self.mv
        u = float(self.upper[row])
        while seen < target:
            L = min(CATCH_UP, target - seen)
            P = -(-L // GROUP) * GROUP
            _distances(self.C[seen:seen + P], x, mv[:P])
            u = min(u, float(mv[:L].min()))
            seen += L
            if u < floor:
                break
        self.upper[row] = u
        self.done[row] = seen
        return u >= floor


def _lazy_loop(Xn: np.ndarray, nearest: np.ndarray, picks: list, gains: list, budget: int,
               progress: Optional[Progress]) -> None:
    """The same picks as :func:`_full_loop`, bringing rows up to date only when they could be the next pick."""
    if len(picks) >= budget:
        return
    lazy = _Lazy(Xn, nearest, list(picks), budget)
    checked = False
    for step in range(len(picks), budget):
        best = lazy.best()
        picks.append(best)
        gains.append(float(nearest[best]))
        nearest[best] = -np.inf
        lazy.done[best] = _FRESH
        if step + 1 == budget:
            break
        if checked:
            lazy.add_centre(best)
        else:  # the first pick's update is a full pass, which checks the gathered products against it
            checked = True
            if not _gathered_rows_match(Xn, best, lazy.add_centre(best, full=True), lazy.tail):
                _full_loop(Xn, nearest, picks, gains, budget, progress)
                return
        if progress is not None and step % 50 == 0:
            report(progress, step / budget, f"k-center: {step:,} / {budget:,} picked")


def _gathered_rows_match(Xn: np.ndarray, c: int, full: np.ndarray, tail: int, sample: int = 4096) -> bool:
    """True when the lazy loop's products give exactly the full pass's distances to centre ``c`` (``full``): the
    tail rows' own call, gathered rows in padded blocks of several sizes, and centre-times-row (``Xn[c]`` as the
    matrix row, a pool row as the vector), on a spread of rows."""
    v = Xn[c]
    if tail < len(full) and not np.array_equal(1.0 - Xn[tail:] @ v, full[tail:]):
        return False
    if tail == 0:
        return True
    rows = np.unique(np.linspace(0, tail - 1, min(sample, tail)).astype(np.int64))
    rows = np.random.default_rng(0).permutation(rows)  # neighbours in the block are not neighbours in the pool
    out = np.empty(_padded(ROUND_ROWS), dtype=np.float32)
    for size in (GROUP, 3 * GROUP, ROUND_ROWS):
        for lo in range(0, len(rows), size):
            r = rows[lo:lo + size]
            block = np.zeros((_padded(len(r)), Xn.shape[1]), dtype=np.float32)
            block[:len(r)] = Xn[r]
            if not np.array_equal(_distances(block, v, out[:len(block)])[:len(r)], full[r]):
                return False
    centre = np.zeros((GROUP, Xn.shape[1]), dtype=np.float32)
    centre[0] = v
    return all(_distances(centre, Xn[r], out[:GROUP])[0] == full[r] for r in rows[:256])


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, start: int = -1,
        seed: int = 42, include: Sequence[int] = ()) -> Selection:
    """Registry entry point (uses the pipeline's unit rows as they are when ``features.embeddings_unit``)."""
    return select(embeddings_of(features, LABEL), budget, start=start, seed=seed, include=include,
                  progress=progress, unit=bool(getattr(features, "embeddings_unit", False)))
