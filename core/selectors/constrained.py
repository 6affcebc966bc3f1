"""How every selector honours constraints (called by ``core.selectors.run``, never by a selector).

Constraints (:class:`core.constraints.Constraints`: must-include, never-pick, a candidate filter, per-stratum
quotas) apply to every selector in one way: the selector runs on the allowed rows (candidates minus
never-pick, plus must-include) as its pool. A selector whose spec says ``takes_include`` starts from the
must-include rows itself (MIG and QDIT commit them first, so the objective counts them; k-center and NovelSelect
take them as the first centres; DEITA accepts them first, so they block near-duplicates); for the others the
registry puts them first (gain 0) and ranks the rest among the allowed candidates. With strata the budget is
split by :func:`core.constraints.allocate`. A selector whose spec says ``takes_quotas`` (MIG and QDIT) meets the
quotas inside the optimiser: one greedy run over all strata in which a stratum that has its quota leaves the
search, so the objective is that of the whole selection. Every other selector runs once per stratum with its
quota (and that stratum's must-include rows); the runs are merged with every must-include row first, then the
strata's picks interleaved in proportion to their quotas, so any prefix stays close to the allocation.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Optional, Protocol

import numpy as np

from core.constraints import Resolved, allocate
from core.features import Features, Progress
from core.selection import Selection


class SelectorSpec(Protocol):
    """What this module reads of a :class:`core.selectors.registry.SelectorSpec` (not imported: no cycle)."""

    name: str
    run: Callable[..., Selection]
    takes_include: bool
    takes_quotas: bool

_INCLUDED_GAIN = "0 (must-include, not scored by the selector)"


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
        return include.copy(), np.zeros(k), {"included_gain": _INCLUDED_GAIN}
    sel = spec.run(_subset(features, free), budget - k, progress=progress, **kwargs)
    info = {**_remap_info(dict(sel.info or {}), free), "included_gain": _INCLUDED_GAIN}
    return np.concatenate([include, free[sel.indices]]), np.concatenate([np.zeros(k), sel.gains]), info


def run_constrained(spec: SelectorSpec, features: Features, budget: int, rules: Resolved, per_mode: str,
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
        sel = spec.run(_subset(features, rows), budget, progress=progress,
                       include=np.searchsorted(rows, rules.include), strata=codes, quotas=quota, **kwargs)
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


def check_constraints(name: str, selection: Selection, rules: Resolved) -> None:
    """Guard the constraints: must-include rows first (in order), then only allowed candidates."""
    idx = selection.indices
    k = rules.include.size
    if not np.array_equal(idx[:k], rules.include) or not np.isin(idx[k:], rules.free).all():
        raise RuntimeError(f"selector '{name}' did not honour the constraints (must-include rows first, then only "
                           "allowed candidates)")
