"""The selector registry: one :class:`SelectorSpec` per selector, so the UI and the CLI build their forms from it.

``run(name, features, budget, **params)`` is the single way to run any selector and the only place that does the
bookkeeping: it resolves parameters against the spec (defaults, types, ranges), decides the seed (passed to and
recorded for exactly the selectors whose spec says ``uses_seed``), checks the pool, the budget and the needs with
clear messages, times the run, checks the result and fills ``Selection.method`` / ``params`` / ``seconds``.
Selector modules only return picks, gains and info.

Constraints (:class:`core.constraints.Constraints`: must-include, never-pick, a candidate filter, per-stratum
quotas) apply to every selector here, in one way: the selector runs on the allowed rows (candidates minus
never-pick, plus must-include) as its pool. A selector whose spec says ``takes_include`` starts from the
must-include rows itself (MIG and QDIT commit them first, so the objective counts them; k-center and NovelSelect
take them as the first centres; DEITA accepts them first, so they block near-duplicates); for the others the
registry puts them first (gain 0) and ranks the rest among the allowed candidates. With strata the budget is
split by :func:`core.constraints.allocate`. A selector whose spec says ``takes_quotas`` (MIG and QDIT) meets the
quotas inside the optimiser: one greedy run over all strata in which a stratum that has its quota leaves the
search, so the objective is that of the whole selection. Every other selector runs once per stratum with its
quota (and that stratum's must-include rows); the runs are merged with every must-include row first, then the
strata's picks interleaved in proportion to their quotas, so any prefix stays close to the allocation.

Registration is explicit: ``_MODULES`` is the tuple of selector modules in registry order, each exposing ``NAME``,
``LABEL``, ``SUMMARY``, ``CITATION``, ``NEEDS``, ``USES_SEED``, ``USES_REFERENCE``, ``TAKES_INCLUDE``,
``TAKES_QUOTAS``, ``PARAMS`` and ``run`` (and optionally ``needs_for``). Importing this module is cheap: selector
modules import only numpy and scipy at import time (scikit-learn, POT and numba are imported when a selector runs).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from core.constraints import Constraints, Resolved, allocate
from core.defaults import DEFAULT_SEED
from core.errors import SiftError, check_budget, check_seed
from core.features import QUALITY, REFERENCE, Features, Progress
from core.params import Param, resolve_params
from core.selection import Selection
from core.selectors import (bandit, car, deita, instag, kcenter, kmq, mig, novelselect, qdit, quality_topk,
                            random_select)

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
                        needs_for=getattr(module, "needs_for", None))


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
    began = time.perf_counter()
    if rules is None:
        selection = spec.run(features, budget, progress=progress, **resolved, **seeded)
    else:
        selection = _run_constrained(spec, features, budget, rules, constraints.per_mode, progress,
                                     {**resolved, **seeded})
    seconds = time.perf_counter() - began
    _check_result(name, selection, budget, features.n)
    selection.method = name
    selection.params = {**resolved, **seeded}
    info = dict(selection.info or {})
    if rules is not None:
        _check_constraints(name, selection, rules)
        selection.params["constraints"] = info["constraints"] = constraints.record()
    if QUALITY in needs:  # provenance of the scores the selector ranked by
        from core.quality import quality_source

        info["quality_source"] = quality_source(features)
    if spec.uses_reference and REFERENCE in needs:
        info["reference_rows"] = int(np.asarray(features.reference).shape[0])
    selection.info = info
    selection.seconds = seconds
    return selection


def _subset(features: Features, rows: np.ndarray) -> Features:
    """``features`` on ``rows`` (the whole pool as is); row-keyed caches are dropped."""
    if rows.size == features.n:
        return features
    sub = features.subset(rows)
    return replace(sub, extra={k: v for k, v in features.extra.items() if k != "metrics_cache"})


def _remap_info(info: dict, rows: np.ndarray) -> dict:
    """Row numbers inside ``info`` (the bandit's pull trace) from the subset back to the pool."""
    if "trace" not in info or rows is None:
        return info
    trace = [{**pull, "picked": [int(rows[i]) for i in pull.get("picked", [])]} for pull in info["trace"]]
    return {**info, "trace": trace}


def _run_rows(spec: SelectorSpec, features: Features, free: np.ndarray, include: np.ndarray, budget: int,
              kwargs: dict, progress: Optional[Progress]) -> tuple[np.ndarray, np.ndarray, dict]:
    """One run on the rows ``free`` plus ``include`` (pool rows, included first): (pool rows, gains, info)."""
    k = include.size
    if spec.takes_include:
        rows = np.union1d(free, include)
        sel = spec.run(_subset(features, rows), budget, progress=progress, include=np.searchsorted(rows, include),
                       **kwargs)
        return rows[sel.indices], sel.gains, _remap_info(dict(sel.info or {}), rows)
    if budget == k:
        return include.copy(), np.zeros(k), {"included_gain": "0 (must-include, not scored by the selector)"}
    sel = spec.run(_subset(features, free), budget - k, progress=progress, **kwargs)
    info = {**_remap_info(dict(sel.info or {}), free), "included_gain": "0 (must-include, not scored by the selector)"}
    return np.concatenate([include, free[sel.indices]]), np.concatenate([np.zeros(k), sel.gains]), info


def _run_constrained(spec: SelectorSpec, features: Features, budget: int, rules: Resolved, per_mode: str,
                     progress: Optional[Progress], kwargs: dict) -> Selection:
    """The selector under ``rules``: one run on the allowed rows, or one run per stratum (module docstring)."""
    if rules.strata is None:
        idx, gains, info = _run_rows(spec, features, rules.free, rules.include, budget, kwargs, progress)
        return Selection(idx, gains, spec.name, info=info)
    rows = rules.rows
    labels = sorted(set(rules.strata[rows].tolist()))
    members = [rows[rules.strata[rows] == s] for s in labels]
    included = [rules.include[rules.strata[rules.include] == s] for s in labels]  # given order kept
    quota = allocate([m.size for m in members], budget, per_mode, minimum=[i.size for i in included])
    table = {s: {"quota": int(q), "available": int(m.size), "included": int(i.size)}
             for s, m, i, q in zip(labels, members, included, quota.tolist())}
    if spec.takes_quotas:  # one greedy over every stratum; full strata leave the search
        codes = np.searchsorted(np.array(labels, dtype=object), rules.strata[rows])
        sel = spec.run(_subset(features, rows), budget, progress=progress, include=np.searchsorted(rows, rules.include),
                       strata=codes, quotas=quota, **kwargs)
        info = {**_remap_info(dict(sel.info or {}), rows), "strata": table, "quotas": "met inside the optimiser"}
        return Selection(rows[sel.indices], sel.gains, spec.name, info=info)
    runs, done = {}, 0
    for s, m, inc, q in zip(labels, members, included, quota.tolist()):
        if q == 0:
            continue
        part = None if progress is None else (
            lambda f, msg, d=done, q=q, s=s: progress((d + f * q) / budget, f"[{s}] {msg}"))
        runs[s] = _run_rows(spec, features, np.setdiff1d(m, inc), inc, q, kwargs, part) + (inc.size,)
        done += q
    gain_of = {}
    free_keys = []
    for order, s in enumerate(labels):
        if s not in runs:
            continue
        idx, gains, _, k = runs[s]
        gain_of.update(zip(idx.tolist(), gains.tolist()))
        m = idx.size - k
        free_keys += [((j + 0.5) / m, order, int(i)) for j, i in enumerate(idx[k:].tolist())]
    picks = rules.include.tolist() + [i for _, _, i in sorted(free_keys)]
    info = {"strata": {s: {**row, "info": runs[s][2] if s in runs else {}} for s, row in table.items()},
            "quotas": "one run per stratum, picks interleaved"}
    return Selection(np.array(picks, dtype=np.int64), np.array([gain_of[i] for i in picks]), spec.name, info=info)


def _check_constraints(name: str, selection: Selection, rules: Resolved) -> None:
    """Guard the constraints: must-include rows first (in order), then only allowed candidates."""
    idx = selection.indices
    k = rules.include.size
    if not np.array_equal(idx[:k], rules.include) or not np.isin(idx[k:], rules.free).all():
        raise RuntimeError(f"selector '{name}' did not honour the constraints (must-include rows first, then only "
                           "allowed candidates)")


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
