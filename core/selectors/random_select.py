"""Random selection: the baseline every other selector has to beat.

A seeded permutation of the pool (``numpy.random.default_rng(seed).permutation``); the first ``budget`` rows are
the pick, so a smaller budget from the same seed is a prefix of a larger one.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from core.errors import check_budget
from core.features import Features, Progress
from core.selection import Selection
from core.selectors._common import report

NAME = "random"
LABEL = "Random"
SUMMARY = "Uniform random sample without replacement (seeded)."
CITATION = "Uniform random sampling (the standard baseline of every data-selection paper)"
NEEDS: tuple = ()
USES_SEED = True
USES_REFERENCE = False
TAKES_INCLUDE = False
TAKES_QUOTAS = False
PARAMS: list = []


def select(n: int, budget: int, *, seed: int = 42) -> Selection:
    """``budget`` distinct indices of ``range(n)`` in random order; gains are all 0."""
    budget = check_budget(budget, n)
    picks = np.random.default_rng(seed).permutation(n)[:budget]
    return Selection(picks, np.zeros(budget), NAME)


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, seed: int = 42) -> Selection:
    """Registry entry point."""
    sel = select(features.n, budget, seed=seed)
    report(progress, 1.0, f"Random: {len(sel):,} picked")
    return sel
