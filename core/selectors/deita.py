"""DEITA score-first, diversity-aware selection (Liu et al. 2024, "What Makes Good Data for Alignment?",
arXiv 2312.15685).

Rows are visited by quality, highest first (DEITA's evol score = complexity x quality; here whatever quality
the pool carries; equal scores keep pool order). A row is accepted when its cosine similarity to every row
accepted so far is at most ``tau`` (0.9, the paper's threshold), until the budget is met. Each row's largest
similarity to the accepted set is kept up to date (O(N d) per acceptance), so a row is looked at once.

When the pool runs out of rows that pass the filter before the budget is met (a small or highly redundant
pool), ``fill="quality"`` (default) tops the pick up with the rejected rows in quality order, the way a
curator who asked for N records would relax the filter; ``Selection.info["filled"]`` says how many, and
``info["filter_passed"]`` how many passed. ``fill="error"`` raises instead. Gains are the raw quality scores.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from core.errors import BudgetError, check_budget
from core.features import EMBEDDINGS, QUALITY, Features, Progress
from core.params import Param
from core.selection import Selection
from core.selectors._common import (check_matrix, check_vector, embeddings_of, quality_of, quality_order, report,
                                    single_thread)
from core.vectors import unit_rows

NAME = "deita"
LABEL = "DEITA (score-first, diversity-aware)"
SUMMARY = "Best quality first, skipping any record whose cosine similarity to an accepted one exceeds tau."
CITATION = "Liu et al. 2024, What Makes Good Data for Alignment? (DEITA), arXiv 2312.15685"
NEEDS = (EMBEDDINGS, QUALITY)
USES_SEED = False
USES_REFERENCE = False
TAKES_INCLUDE = True  # run() accepts include= (rows that start the selection)
TAKES_QUOTAS = False
PARAMS = [
    Param("tau", 0.9, float, "largest cosine similarity allowed to an already accepted record", low=-1.0, high=1.0),
    Param("fill", "quality", str, "when too few records pass: top up by quality, or raise an error",
          choices=("quality", "error")),
]


def select(X: np.ndarray, quality: np.ndarray, budget: int, *, tau: float = 0.9, fill: str = "quality",
           include: Sequence[int] = (), progress: Optional[Progress] = None) -> Selection:
    """DEITA's filter over ``X`` (rows normalised here) visited in ``quality`` order.

    ``include`` rows are accepted first, whatever their similarity, so near-duplicates of them are filtered out.
    """
    Xn = unit_rows(check_matrix(X, LABEL))
    n = Xn.shape[0]
    q = check_vector(quality, n, "quality")
    budget = check_budget(budget, n)
    order = quality_order(q)
    closest = np.full(n, -np.inf)  # largest similarity of each row to the accepted set
    picks: list = [int(i) for i in include]
    rejected: list = []
    with single_thread():
        for i in picks:
            np.maximum(closest, Xn @ Xn[i], out=closest)
        taken = set(picks)
        for i in order:
            if len(picks) == budget:
                break
            if i in taken:
                continue
            if closest[i] > tau:
                rejected.append(int(i))
                continue
            picks.append(int(i))
            np.maximum(closest, Xn @ Xn[i], out=closest)
            if progress is not None and len(picks) % 50 == 0:
                report(progress, len(picks) / budget, f"DEITA: {len(picks):,} / {budget:,} accepted")
    passed = len(picks)
    if passed < budget:
        if fill == "error":
            raise BudgetError(f"DEITA: only {passed} of {n} records pass the similarity filter (tau={tau}); "
                              f"lower the budget, raise tau, or use fill=quality")
        picks.extend(rejected[: budget - passed])
        report(progress, 1.0, f"DEITA: {passed:,} passed the filter, {budget - passed:,} filled by quality")
    else:
        report(progress, 1.0, f"DEITA: {budget:,} accepted")
    picks_arr = np.array(picks, dtype=np.int64)
    return Selection(picks_arr, q[picks_arr], NAME,
                     info={"filter_passed": passed, "filled": budget - passed})


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, tau: float = 0.9,
        fill: str = "quality", include: Sequence[int] = ()) -> Selection:
    """Registry entry point."""
    return select(embeddings_of(features, LABEL), quality_of(features, LABEL), budget, tau=tau, fill=fill,
                  include=include, progress=progress)
