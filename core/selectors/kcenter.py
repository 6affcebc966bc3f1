"""k-center greedy (Sener & Savarese 2018, "Active Learning for Convolutional Neural Networks: A Core-Set
Approach", arXiv 1708.00489), on cosine distance.

Each step adds the row farthest from its nearest selected row (``1 - cos`` on unit rows), the classic
2-approximation of the minimax-cover problem. The first centre is drawn from the seed
(``RandomState(seed).randint(0, n)``, the same draw NovelSelect makes) unless ``start`` is given; the paper
starts from the labelled set, which a curator does not have. Gains are each pick's distance to the set chosen
before it (the cover radius at that step; 0 for the first). Ties go to the lowest index. O(N d) per step.
"""

from __future__ import annotations

import time
from typing import Optional

import numpy as np

from core.errors import SiftError, check_budget
from core.features import EMBEDDINGS, Features, Progress
from core.params import Param
from core.selection import Selection
from core.selectors._common import check_matrix, embeddings_of, report, single_thread, unit_rows

NAME = "kcenter"
LABEL = "k-center greedy"
SUMMARY = "Farthest-point traversal: each pick is the record farthest (cosine) from everything chosen so far."
CITATION = "Sener & Savarese 2018, Active Learning for Convolutional Neural Networks: A Core-Set Approach, arXiv 1708.00489"
NEEDS = (EMBEDDINGS,)
USES_SEED = True
USES_REFERENCE = False
PARAMS = [
    Param("start", -1, int, "index of the first centre; -1 draws it from the seed", low=-1),
]


def select(X: np.ndarray, budget: int, *, start: Optional[int] = None, seed: int = 42,
           progress: Optional[Progress] = None) -> Selection:
    """k-center greedy on the rows of ``X`` (normalised to unit length here)."""
    began = time.perf_counter()
    Xn = unit_rows(check_matrix(X, LABEL))
    n = Xn.shape[0]
    budget = check_budget(budget, n)
    if start is None or start < 0:
        first = int(np.random.RandomState(seed).randint(0, n))
    elif start >= n:
        raise SiftError(f"k-center start index {start} is outside the pool (0..{n - 1})")
    else:
        first = int(start)
    picks = [first]
    gains = [0.0]
    nearest = (1.0 - Xn @ Xn[first]).astype(np.float64)
    nearest[first] = -np.inf
    with single_thread():
        for step in range(1, budget):
            best = int(np.argmax(nearest))
            picks.append(best)
            gains.append(float(nearest[best]))
            np.minimum(nearest, 1.0 - Xn @ Xn[best], out=nearest)
            nearest[best] = -np.inf
            if progress is not None and step % 50 == 0:
                report(progress, step / budget, f"k-center: {step:,} / {budget:,} picked")
    report(progress, 1.0, f"k-center: {budget:,} picked")
    return Selection(np.array(picks), np.array(gains), NAME, {"start": first, "seed": seed},
                     time.perf_counter() - began, info={"start": first})


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, start: int = -1,
        seed: int = 42) -> Selection:
    """Registry entry point."""
    return select(embeddings_of(features, LABEL), budget, start=start, seed=seed, progress=progress)
