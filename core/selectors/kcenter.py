"""k-center greedy (Sener & Savarese 2018, "Active Learning for Convolutional Neural Networks: A Core-Set
Approach", arXiv 1708.00489), on cosine distance.

Each step adds the row farthest from its nearest selected row (``1 - cos`` on unit rows), the classic
2-approximation of the minimax-cover problem. The paper starts from the labelled set; here the must-include rows
are that set when there are some, else the first centre is ``start`` or drawn from the seed
(``RandomState(seed).randint(0, n)``, the same draw NovelSelect makes: ``_common.first_centres``). Gains are each
pick's distance to the set chosen before it (the cover radius at that step; 0 for the first). Ties go to the
lowest index. O(N d) per step.
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


def select(X: np.ndarray, budget: int, *, start: Optional[int] = None, seed: int = 42,
           include: Sequence[int] = (), progress: Optional[Progress] = None) -> Selection:
    """k-center greedy on the rows of ``X`` (normalised to unit length here).

    ``include`` rows are the initial centres (in order; each one's gain is its distance to those before it);
    otherwise one first centre, ``start`` or drawn from ``seed`` (:func:`first_centres`).
    """
    Xn = unit_rows(check_matrix(X, LABEL))
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
        for step in range(len(picks), budget):
            best = int(np.argmax(nearest))
            picks.append(best)
            gains.append(float(nearest[best]))
            np.minimum(nearest, 1.0 - Xn @ Xn[best], out=nearest)
            nearest[best] = -np.inf
            if progress is not None and step % 50 == 0:
                report(progress, step / budget, f"k-center: {step:,} / {budget:,} picked")
    report(progress, 1.0, f"k-center: {budget:,} picked")
    return Selection(np.array(picks), np.array(gains), NAME, info={"start": picks[0]})


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, start: int = -1,
        seed: int = 42, include: Sequence[int] = ()) -> Selection:
    """Registry entry point."""
    return select(embeddings_of(features, LABEL), budget, start=start, seed=seed, include=include,
                  progress=progress)
