"""MIG: greedy maximisation of information gain on a label graph (Chen et al., ACL Findings 2025, arXiv 2504.13835).

Faithful to the official ``MIGSampler`` (yichengchen24/xsample, ``mig/sampler.py``, CLI defaults): each sample is
``h_i = e_i P`` with ``e_i = s_i 1[L_i]`` (``s_i / |L_i|`` with ``norm``) and P the column-normalised label graph;
``z = Σ_{i∈S} h_i``; each step picks ``argmax_i h_i · phi'(z)`` (ties: lowest pool index, as ``torch.argmax``),
with ``phi'(x) = b (x + a)^(b-1)`` (``pow``, a = 1e-6, b = 0.8) or ``alpha exp(-alpha x)`` (``exp``, alpha = 1).

Deviations, all result-preserving: H is a sparse CSR matrix in float64 (the official code holds a dense N x K float32
tensor), built from the labels' integer codes (:class:`core.features.LabelSets`) with array operations; the search
is the shared lazy greedy (:mod:`core.selectors.lazy_greedy`) over :class:`core.information.InformationObjective`.
phi' falls as z grows and h >= 0, so every stale gain is an upper bound of the current one and a freshly computed
gain at the top of the heap is the true argmax (the heap key orders (gain desc, index asc) exactly, keeping the
lowest-index tie rule). ``lazy=False`` recomputes every remaining gain
each step with the same row kernel, so both modes pick identically, ties included. ``norm`` defaults
to False as in the official CLI (the ``MIGSampler`` class itself defaults to True); the fixtures use the CLI.
Records with no label have gain 0 in the official code (picked only after every positive gain is used up); here
they are skipped (``empty="skip"``, the default, reported in ``info``) or rejected (``empty="error"``). Duplicate
labels in one record count once.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from core.errors import InputError, SiftError, check_budget
from core.features import GRAPH, LABELS, QUALITY, Features, LabelSets, Progress
from core.information import InformationObjective, check_phi
from core.params import Param
from core.selection import Selection
from core.selectors.lazy_greedy import lazy_greedy

NAME = "mig"
LABEL = "MIG (information gain on a label graph)"
SUMMARY = ("Greedy maximisation of information over a label graph: quality-weighted labels, propagated to similar "
           "labels, with diminishing returns per label (official defaults: phi = x^0.8, threshold 0.9).")
CITATION = ("Chen et al. 2025, MIG: Automatic Data Selection for Instruction Tuning by Maximizing Information Gain "
            "in Semantic Space (ACL Findings 2025), arXiv 2504.13835")
NEEDS = (LABELS, QUALITY, GRAPH)
USES_SEED = False
QUALITY_MIN = 0.0  # phi of a negative quality-weighted mass is undefined (the registry checks it)
USES_REFERENCE = False
TAKES_INCLUDE = True  # run() accepts include= (rows that start the selection)
TAKES_QUOTAS = True  # run() accepts strata= and quotas= (per-stratum caps inside the optimiser)
PARAMS: list[Param] = [
    Param("prop_weight", 1.0, float, "weight of neighbouring labels in the propagation matrix (0 = no propagation)",
          low=0.0, high=10.0),
    Param("phi", "pow", str, "concave information function: pow x^b or exp 1-exp(-alpha x)", choices=("pow", "exp")),
    Param("phi_b", 0.8, float, "exponent b of the pow information function (0 < b <= 1)", low=1e-6, high=1.0),
    Param("phi_a", 1e-6, float, "offset a in the pow gradient b (x + a)^(b-1), avoids 0^(b-1)", low=1e-12,
          high=1.0),
    Param("phi_alpha", 1.0, float, "rate alpha of the exp information function", low=1e-9, high=1e6),
    Param("norm", False, bool, "spread each record's quality over its labels (quality / number of labels)"),
    Param("empty", "skip", str, "records without labels: skip them, or stop with an error",
          choices=("skip", "error")),
]


def select(label_sets: Sequence[Sequence[str]], quality, graph, budget: int, *, prop_weight: float = 1.0,
           phi: str = "pow", phi_b: float = 0.8, phi_a: float = 1e-6, phi_alpha: float = 1.0, norm: bool = False,
           empty: str = "skip", lazy: bool = True, include: Sequence[int] = (),
           strata: Optional[np.ndarray] = None, quotas: Optional[Sequence[int]] = None,
           progress: Optional[Progress] = None) -> Selection:
    """Run MIG on a pool: ``label_sets[i]`` (labels of record i, all in ``graph``), ``quality[i] >= 0``.

    Returns a Selection whose ``indices`` are pool indices in pick order and ``gains`` the first-order gains
    ``h_i . phi'(z)`` at pick time. ``include`` rows are committed first (so E(S) and every later gain count
    them); ``strata``/``quotas`` cap the picks per stratum inside the greedy (:func:`lazy_greedy`). ``info`` holds
    the number of skipped label-less records. The greedy is :func:`core.selectors.lazy_greedy.lazy_greedy` over
    :class:`core.information.InformationObjective`; ``lazy=False`` recomputes every gain each step.
    """
    n = len(label_sets)
    if n == 0:
        raise SiftError("MIG needs a non-empty pool")
    check_phi(phi)
    if empty not in ("skip", "error"):
        raise SiftError(f"empty must be 'skip' or 'error', got {empty!r}")
    check_budget(budget, n)
    if isinstance(label_sets, LabelSets):
        has_labels = label_sets.lengths > 0
    else:
        has_labels = np.fromiter((len(labels) > 0 for labels in label_sets), dtype=bool, count=n)
    missing = np.flatnonzero(~has_labels)
    if missing.size and empty == "error":
        raise InputError(f"record {missing[0]} has no labels ({missing.size} records in all); drop them, give "
                         "them tags, or run MIG with empty='skip'", field="labels")
    h = graph.propagate(label_sets, quality, prop_weight=prop_weight, norm=norm)
    objective = InformationObjective(h, phi=phi, phi_a=phi_a, phi_b=phi_b, phi_alpha=phi_alpha)
    available = "records that have labels" + (f" ({missing.size} records have none and are skipped)"
                                              if missing.size else "")
    picks, gains = lazy_greedy(objective, budget, candidates=np.flatnonzero(has_labels), include=include,
                               strata=strata, quotas=quotas, lazy=lazy, label="MIG", available=available,
                               progress=progress)
    return Selection(picks, gains, NAME,
                     info={"skipped_empty": int(missing.size), "gain": "first-order gain h_i · phi'(z)",
                           "n_labels": len(graph), "graph_threshold": graph.threshold,
                           "graph_threshold_rule": getattr(graph, "threshold_rule", None)})


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, **params) -> Selection:
    """Registry entry point: MIG on ``features`` (labels, quality, graph) with resolved ``params`` (and any
    ``include``); deterministic, so no seed."""
    features.require(NEEDS, "MIG")
    return select(features.label_sets, features.quality, features.graph, budget, progress=progress, **params)
