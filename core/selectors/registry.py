"""The selector registry: one :class:`SelectorSpec` per selector, so the UI and the CLI build their forms from it.

``run(name, features, budget, **params)`` is the single way to run any selector: it resolves parameters
against the spec (defaults, types, ranges), checks the pool, the budget and the needs with clear messages,
and fills ``Selection.method`` / ``params`` / ``seconds``. Importing this module is cheap: selector modules
import only numpy at import time (scikit-learn, POT and numba are imported when a selector runs).
"""

from __future__ import annotations

import importlib
import inspect
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from core.errors import SiftError, check_budget
from core.features import Features, Progress
from core.params import Param, resolve_params
from core.selection import Selection


@dataclass(frozen=True)
class SelectorSpec:
    """What a selector is called, how to run it, what it needs and which parameters it takes.

    ``needs`` are the inputs under default parameters; ``needs_for(params)`` (when given) refines them for a
    particular parameter choice (e.g. the bandit's OT reward needs a reference set instead of quality).
    """

    name: str
    label: str
    run: Callable[..., Selection]
    needs: Tuple[str, ...]
    params: List[Param]
    citation: str
    summary: str
    needs_for: Optional[Callable[[dict], Tuple[str, ...]]] = field(default=None, compare=False)

    def required(self, params: Optional[dict] = None) -> Tuple[str, ...]:
        """The needs under ``params`` (resolved parameter values); the static needs if no refinement."""
        return tuple(self.needs_for(params or {})) if self.needs_for is not None else tuple(self.needs)

    def defaults(self) -> dict:
        """Every parameter's default value."""
        return {p.name: p.default for p in self.params}


# selector modules in registry order (each exposes NAME, LABEL, SUMMARY, CITATION, NEEDS, PARAMS, run)
_MODULES = ("novelselect", "random_select", "quality_topk", "kcenter", "deita", "qdit", "instag", "car", "kmq",
            "bandit")
_MIG_LABEL = "MIG (information gain on a label graph)"
_MIG_SUMMARY = ("Greedy maximisation of information over a label graph: quality-weighted labels, propagated "
                "to similar labels, with diminishing returns per label.")


def _spec_from_module(module, *, name: Optional[str] = None, label: Optional[str] = None,
                      summary: Optional[str] = None) -> SelectorSpec:
    return SelectorSpec(
        name=name or module.NAME,
        label=label or getattr(module, "LABEL", name),
        run=module.run,
        needs=tuple(module.NEEDS),
        params=list(module.PARAMS),
        citation=module.CITATION,
        summary=summary or getattr(module, "SUMMARY", ""),
        needs_for=getattr(module, "needs_for", None),
    )


def _build() -> Dict[str, SelectorSpec]:
    specs: Dict[str, SelectorSpec] = {}
    try:  # MIG is written alongside (core/selectors/mig.py); registered as soon as it exists
        mig = importlib.import_module("core.selectors.mig")
    except ModuleNotFoundError as exc:
        if exc.name != "core.selectors.mig":
            raise
    else:
        specs["mig"] = _spec_from_module(mig, name="mig", label=getattr(mig, "LABEL", _MIG_LABEL),
                                         summary=getattr(mig, "SUMMARY", _MIG_SUMMARY))
    for mod_name in _MODULES:
        module = importlib.import_module(f"core.selectors.{mod_name}")
        specs[module.NAME] = _spec_from_module(module)
    return specs


REGISTRY: Dict[str, SelectorSpec] = _build()
#: Every selector accepts a seed: 0 <= seed < 2**32, what numpy's RandomState and default_rng both take.
_SEED = Param("seed", 42, int, "random seed", low=0, high=2**32 - 1)


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
        **params) -> Selection:
    """Run selector ``name`` on ``features`` under ``budget``; any budget is a prefix of the returned order.

    ``params`` may be given as values or CLI strings; ``seed`` is accepted for every selector and ignored by
    the deterministic ones (it is then not recorded). Raises SiftError subclasses for an unknown name,
    unknown or out-of-range parameters, an empty pool, a bad budget and missing inputs.
    """
    spec = get(name)
    seed = params.pop("seed", None)
    if seed is not None:
        seed = _SEED.parse(seed) if isinstance(seed, str) else seed
        _SEED.check(seed)
    declared = {p.name for p in spec.params}
    if seed is not None and "seed" in declared:
        params["seed"] = seed
    resolved = resolve_params(spec.params, params, f"selector '{name}'")
    extra = {}
    if seed is not None and "seed" not in declared and _accepts(spec.run, "seed"):
        extra["seed"] = int(seed)
    if features.n == 0:
        raise SiftError(f"selector '{name}': the pool is empty")
    budget = check_budget(budget, features.n)
    features.require(spec.required(resolved), f"selector '{name}'")
    began = time.perf_counter()
    selection = spec.run(features, budget, progress=progress, **resolved, **extra)
    seconds = time.perf_counter() - began
    _check_result(name, selection, budget, features.n)
    selection.method = name
    selection.params = {**resolved, **extra}
    if "quality" in spec.required(resolved):  # provenance of the scores the selector ranked by
        from core.quality import quality_source

        selection.info = {**(selection.info or {}), "quality_source": quality_source(features)}
    selection.seconds = seconds
    return selection


def _accepts(fn: Callable, arg: str) -> bool:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    return arg in sig.parameters or any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values())


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
                    "summary": spec.summary, "params": {p.name: p.default for p in spec.params}})
    return out
