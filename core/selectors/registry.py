"""The selector registry: one :class:`SelectorSpec` per selector, so the UI and the CLI build their forms from it.

``run(name, features, budget, **params)`` is the single way to run any selector and the only place that does the
bookkeeping: it resolves parameters against the spec (defaults, types, ranges), decides the seed (passed to and
recorded for exactly the selectors whose spec says ``uses_seed``), checks the pool, the budget and the needs with
clear messages, times the run, checks the result and fills ``Selection.method`` / ``params`` / ``seconds``.
Selector modules only return picks, gains and info.

Constraints (:class:`core.constraints.Constraints`) apply to every selector through ``run(...,
constraints=...)``; how each selector honours them is :mod:`core.selectors.constrained`'s part.

Registration is explicit: ``_MODULES`` is the tuple of selector modules in registry order, each exposing ``NAME``,
``LABEL``, ``SUMMARY``, ``CITATION``, ``NEEDS``, ``USES_SEED``, ``USES_REFERENCE``, ``TAKES_INCLUDE``,
``TAKES_QUOTAS``, ``PARAMS`` and ``run`` (and optionally ``needs_for``). Importing this module is cheap: selector
modules import only numpy and scipy at import time (scikit-learn, POT and numba are imported when a selector runs).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from core.constraints import Constraints
from core.defaults import DEFAULT_SEED
from core.errors import InputError, SiftError, check_budget, check_seed
from core.features import QUALITY, REFERENCE, Features, Progress
from core.params import Param, resolve_params
from core.selection import Selection
from core.selectors import (bandit, car, deita, instag, kcenter, kmq, mig, novelselect, qdit, quality_topk,
                            random_select)
from core.selectors.constrained import check_constraints, run_constrained

#: The one seed parameter, shared by every selector that uses one (0 <= seed < 2**32, what numpy takes).
SEED = Param("seed", DEFAULT_SEED, int, "random seed (random picks, k-means, start points)", low=0,
             high=2**32 - 1)


@dataclass(frozen=True)
class SelectorSpec:
    """What a selector is called, how to run it, what it needs and which parameters it takes.

    ``needs`` are the inputs under default parameters; ``needs_for(params)`` (when given) refines them for a
    particular parameter choice (e.g. the bandit's OT reward needs a reference set instead of quality).
    ``uses_seed``: the selector draws at random, so the registry passes it a seed and records it;
    ``uses_reference``: the selector can read ``Features.reference`` (a user reference set), under some
    parameters at least; ``takes_include``: its ``run`` accepts ``include=`` (rows that start the selection);
    ``takes_quotas``: its ``run`` accepts ``strata=`` and ``quotas=`` and meets them itself.
    ``quality_min``: the smallest quality value the method is defined for (MIG: 0), checked by the registry over
    the rows the selector may see, so a bad value is reported with its file and line.
    ``params`` never holds the seed (see :data:`SEED`).
    """

    name: str
    label: str
    run: Callable[..., Selection]
    needs: Tuple[str, ...]
    params: List[Param]
    citation: str
    summary: str
    uses_seed: bool
    uses_reference: bool
    takes_include: bool
    takes_quotas: bool
    needs_for: Optional[Callable[[dict], Tuple[str, ...]]] = field(default=None, compare=False)
    quality_min: Optional[float] = None

    def required(self, params: Optional[dict] = None) -> Tuple[str, ...]:
        """The needs under ``params`` (resolved parameter values); the static needs if no refinement."""
        return tuple(self.needs_for(params or {})) if self.needs_for is not None else tuple(self.needs)

    def defaults(self) -> dict:
        """Every parameter's default value (the seed is not a parameter: see :data:`SEED`)."""
        return {p.name: p.default for p in self.params}


#: Selector modules in registry order.
_MODULES = (mig, novelselect, random_select, quality_topk, kcenter, deita, qdit, instag, car, kmq, bandit)


def _spec_from_module(module) -> SelectorSpec:
    params = list(module.PARAMS)
    if any(p.name == SEED.name for p in params):
        raise ValueError(f"selector module {module.__name__} declares a seed parameter; set USES_SEED instead")
    return SelectorSpec(name=module.NAME, label=module.LABEL, run=module.run, needs=tuple(module.NEEDS),
                        params=params, citation=module.CITATION, summary=module.SUMMARY,
                        uses_seed=bool(module.USES_SEED), uses_reference=bool(module.USES_REFERENCE),
                        takes_include=bool(module.TAKES_INCLUDE), takes_quotas=bool(module.TAKES_QUOTAS),
                        needs_for=getattr(module, "needs_for", None),
                        quality_min=getattr(module, "QUALITY_MIN", None))


REGISTRY: Dict[str, SelectorSpec] = {module.NAME: _spec_from_module(module) for module in _MODULES}


def names() -> List[str]:
    """Registered selector names, in registry order."""
    return list(REGISTRY)


def get(name: str) -> SelectorSpec:
    """The spec called ``name``, or a SiftError listing the known names."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise SiftError(f"unknown selector {name!r}; available: {', '.join(REGISTRY)}") from None


def run(name: str, features: Features, budget: int, *, progress: Optional[Progress] = None,
        constraints: Optional[Constraints] = None, **params) -> Selection:
    """Run selector ``name`` on ``features`` under ``budget``; any budget is a prefix of the returned order.

    ``params`` may be given as values or CLI strings. ``seed`` is accepted for every selector (range-checked);
    it is passed to, and recorded in ``Selection.params`` for, only the selectors whose spec has ``uses_seed``
    (default :data:`DEFAULT_SEED`). ``constraints`` (see the module docstring) are honoured exactly: must-include
    rows first, never-pick rows absent, every pick among the candidates; they are recorded in
    ``Selection.params["constraints"]`` and ``info["constraints"]``. Raises SiftError subclasses for an unknown
    name, unknown or out-of-range parameters, an empty pool, a bad budget, contradictory constraints and missing
    inputs.
    """
    spec = get(name)
    given_seed = params.pop(SEED.name, None)
    seed = check_seed(DEFAULT_SEED if given_seed is None else given_seed)
    resolved = resolve_params(spec.params, params, f"selector '{name}'")
    seeded = {SEED.name: seed} if spec.uses_seed else {}
    if features.n == 0:
        raise SiftError(f"selector '{name}': the pool is empty")
    budget = check_budget(budget, features.n)
    needs = spec.required(resolved)
    features.require(needs, f"selector '{name}'")
    constrained = constraints is not None and not constraints.is_empty()
    rules = constraints.resolve(features.n, budget) if constrained else None
    if QUALITY in needs and spec.quality_min is not None:
        _check_quality_min(name, features, spec.quality_min, None if rules is None else rules.rows)
    began = time.perf_counter()
    if rules is None:
        selection = spec.run(features, budget, progress=progress, **resolved, **seeded)
    else:
        selection = run_constrained(spec, features, budget, rules, constraints.per_mode, progress,
                                    {**resolved, **seeded})
    seconds = time.perf_counter() - began
    _check_result(name, selection, budget, features.n)
    selection.method = name
    selection.params = {**resolved, **seeded}
    info = dict(selection.info or {})
    if rules is not None:
        check_constraints(name, selection, rules)
        selection.params["constraints"] = info["constraints"] = constraints.record()
    if QUALITY in needs:  # provenance of the scores the selector ranked by
        from core.quality import quality_source

        info["quality_source"] = quality_source(features)
    if spec.uses_reference and REFERENCE in needs:
        info["reference_rows"] = int(np.asarray(features.reference).shape[0])
    selection.info = info
    selection.seconds = seconds
    return selection


def _check_quality_min(name: str, features: Features, low: float, rows: Optional[np.ndarray]) -> None:
    """InputError naming the file and line of the first record (among ``rows``, default all) whose quality is
    below ``low``: the pool's source file and line numbers come from ``features.extra`` (core.pipeline)."""
    q = np.asarray(features.quality, dtype=np.float64)
    candidates = np.arange(q.size) if rows is None else np.asarray(rows, dtype=np.int64)
    bad = candidates[q[candidates] < low]
    if not bad.size:
        return
    first = int(bad[0])
    lines = features.extra.get("lines")
    line = int(lines[first]) if lines is not None else None
    where = "" if line is not None else f"record {first}: "
    count = f"{bad.size:,} record{'' if bad.size == 1 else 's'} in all"
    raise InputError(f"{where}quality is {q[first]:g}, below {low:g} ({count}); selector '{name}' needs quality "
                     f">= {low:g}: fix those records, or leave them out (e.g. --exclude)",
                     file=features.extra.get("source_file"), line=line, field="quality")


def _check_result(name: str, selection: Selection, budget: int, n: int) -> None:
    """Guard the interface contract: ``budget`` distinct in-range indices."""
    idx = selection.indices
    if len(idx) != budget or (idx.size and (idx.min() < 0 or idx.max() >= n)) or np.unique(idx).size != idx.size:
        raise RuntimeError(f"selector '{name}' returned {len(idx)} picks for budget {budget} "
                           f"(expected {budget} distinct indices in 0..{n - 1})")


def describe(names_: Optional[Sequence[str]] = None) -> List[dict]:
    """Plain-dict view of the registry (for tables, ``--help`` text and the UI)."""
    out = []
    for nm in names_ or list(REGISTRY):
        spec = get(nm)
        out.append({"name": spec.name, "label": spec.label, "needs": list(spec.needs), "citation": spec.citation,
                    "summary": spec.summary, "uses_seed": spec.uses_seed, "uses_reference": spec.uses_reference,
                    "params": {**spec.defaults(), **({SEED.name: SEED.default} if spec.uses_seed else {})}})
    return out
