"""#InsTag complexity-first diverse sampling (Lu et al. 2023, "#InsTag: Instruction Tagging for Analyzing
Supervised Fine-tuning of Large Language Models", arXiv 2308.07074).

Rows are sorted by their number of distinct tags, most first (complexity; equal counts keep pool order).
A pass walks that order and takes a row when it brings at least one tag not yet covered. At the end of a pass
no remaining row adds a tag, so the covered set is reset and the next pass starts, until the budget is met.
The first pass therefore covers every tag in the pool before any tag repeats. Rows without tags never add a
tag; if the budget outlasts the tagged rows they come last, in pool order (documented fill). Gains are the
number of new tags each pick brought (0 for filled rows).
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from core.errors import SiftError, check_budget
from core.features import LABELS, Features, Progress
from core.selection import Selection
from core.selectors._common import report

NAME = "instag"
LABEL = "#InsTag complexity-first"
SUMMARY = "Most-tagged records first, each adding a tag not yet covered; passes repeat once every tag is covered."
CITATION = "Lu et al. 2023, #InsTag: Instruction Tagging for Analyzing Supervised Fine-tuning of LLMs, arXiv 2308.07074"
NEEDS = (LABELS,)
USES_SEED = False
USES_REFERENCE = False
TAKES_INCLUDE = False
TAKES_QUOTAS = False
PARAMS: list = []


def select(label_sets: Sequence[Sequence[str]], budget: int, *, progress: Optional[Progress] = None) -> Selection:
    """Complexity-first tag-coverage passes over ``label_sets`` (one list of tags per row)."""
    tags = [frozenset(t) for t in _checked(label_sets)]
    n = len(tags)
    budget = check_budget(budget, n)
    order = np.argsort(-np.array([len(t) for t in tags]), kind="stable")
    remaining = [int(i) for i in order if tags[i]]
    picks, gains, passes = [], [], 0
    while remaining and len(picks) < budget:
        passes += 1
        covered: set = set()
        left = []
        for i in remaining:
            new = tags[i] - covered if len(picks) < budget else frozenset()
            if new:
                picks.append(i)
                gains.append(len(new))
                covered |= new
            else:
                left.append(i)
        remaining = left
        report(progress, len(picks) / budget, f"#InsTag: pass {passes}, {len(picks):,} / {budget:,} picked")
    filled = 0
    if len(picks) < budget:
        untagged = [i for i in range(n) if not tags[i]]
        filled = budget - len(picks)
        picks.extend(untagged[:filled])
        gains.extend([0] * filled)
    return Selection(np.array(picks, dtype=np.int64), np.array(gains, dtype=np.float64), NAME,
                     info={"passes": passes, "filled_untagged": filled})


def run(features: Features, budget: int, *, progress: Optional[Progress] = None) -> Selection:
    """Registry entry point."""
    features.require([LABELS], LABEL)
    return select(features.label_sets, budget, progress=progress)


def _checked(label_sets: Sequence[Sequence[str]]) -> list:
    out = []
    for i, labels in enumerate(label_sets):
        if labels is None:
            out.append(())
        elif isinstance(labels, str):
            raise SiftError(f"#InsTag: labels of row {i} must be a list of tags, got the string {labels!r}")
        else:
            out.append(tuple(labels))
    return out
