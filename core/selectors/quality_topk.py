"""Top-k by quality: the quality-only baseline (e.g. AlpaGasus, Chen et al. 2023, arXiv 2307.08701; DEITA's
score-only ablation, Liu et al. 2024, arXiv 2312.15685).

Rows sorted by quality, highest first; equal scores keep pool order. Gains are the raw quality scores.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from core.errors import check_budget
from core.features import QUALITY, Features, Progress
from core.selection import Selection
from core.selectors._common import check_vector, quality_of, quality_order, report

NAME = "quality_topk"
LABEL = "Top-k quality"
SUMMARY = "The highest-quality records, best first (no diversity term)."
CITATION = "Quality-only selection, as in AlpaGasus (Chen et al. 2023, arXiv 2307.08701)"
NEEDS = (QUALITY,)
USES_SEED = False
USES_REFERENCE = False
TAKES_INCLUDE = False
TAKES_QUOTAS = False
PARAMS: list = []


def select(quality: np.ndarray, budget: int) -> Selection:
    """The ``budget`` best rows of ``quality`` in descending order (stable for ties)."""
    q = check_vector(quality, len(quality), "quality")
    budget = check_budget(budget, q.shape[0])
    picks = quality_order(q)[:budget]
    return Selection(picks, q[picks], NAME)


def run(features: Features, budget: int, *, progress: Optional[Progress] = None) -> Selection:
    """Registry entry point."""
    sel = select(quality_of(features, LABEL), budget)
    report(progress, 1.0, f"Top-k quality: {len(sel):,} picked")
    return sel
