"""Comparing runs at an equal budget: metrics of every run's first k picks, ranks, the best run, the random baseline,
and a plain explanation when the metrics disagree; the per-pick gains of a run, named apart and smoothed.

Every run is an order (a :class:`core.selection.Selection`, or pool indices in pick order), so its first k picks
are exactly what it selects under budget k: :func:`compare_at_k` measures every run at one k (default the
smallest run, the largest k at which every run is exact) and :func:`metric_curves` measures them on a shared k
grid (:func:`k_grid`). Ranks are competition ranks in the metric's declared direction
(``MetricSpec.higher_is_better``): 1 is best, ties share the better rank.

Disagreement rule (:func:`find_disagreements`): with at least 3 runs, a metric that ranks one run alone best while
at least half of the other metrics rank it in their bottom half (rank > ceil(runs / 2)) is reported; when a
duplicate analysis (:func:`core.dedup.find_duplicates` groups) is given, the run's duplicate share among its first
k picks is checked and named when it stands out (at least :data:`DUPLICATE_SHARE_FLAG` and twice the other runs'
median).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping, Optional, Sequence, Union

import numpy as np

from core.baseline import Baseline, VersusRandom, baseline_curve, versus_random
from core.curves import metric_curve
from core.errors import SiftError
from core.features import GRAPH, LABELS, QUALITY, Features, Progress
from core.information import information_curve
from core.metrics.registry import REGISTRY as METRICS
from core.metrics.registry import compute
from core.metrics.registry import get as metric_spec
from core.selection import Selection

if TYPE_CHECKING:
    from core.dedup import Duplicates

Run = Union[Selection, Sequence[int], np.ndarray]

#: A run whose duplicate share (picks in one duplicate group with an earlier pick) is at least this, and at least
#: twice the other runs' median, is named as the likely cause of a disagreement.
DUPLICATE_SHARE_FLAG = 0.05
#: Points of the shared k grid by default.
GRID_POINTS = 10


# ------------------------------------------------------------------------------------------ prefixes

def order_of(run: Run) -> np.ndarray:
    """A run's pool indices in pick order."""
    idx = run.indices if isinstance(run, Selection) else run
    return np.asarray(idx, dtype=np.int64).reshape(-1)


def equal_budget(runs: Mapping[str, Run]) -> int:
    """The largest k at which every run is exact: the length of the shortest run."""
    if not runs:
        raise SiftError("nothing to compare: no runs")
    return min(order_of(r).size for r in runs.values())


def k_grid(lengths: Sequence[int], points: int = GRID_POINTS, upto: str = "min") -> list[int]:
    """Shared prefix sizes 1..K, about ``points`` of them evenly spread, always ending at K.

    ``upto="min"``: K is the shortest run (every run has every k); ``"max"``: K is the longest run, for curves on
    one x range where a shorter run stops at its own budget.
    """
    if not lengths or min(lengths) < 1:
        raise SiftError("every run needs at least one pick")
    if upto not in ("min", "max"):
        raise SiftError(f"upto must be 'min' or 'max', got {upto!r}")
    top = int(min(lengths) if upto == "min" else max(lengths))
    ks = np.unique(np.linspace(1, top, num=max(1, min(int(points), top))).round().astype(np.int64))
    grid = sorted(set(ks.tolist()) | ({int(n) for n in lengths if n <= top} if upto == "max" else set()))
    return grid


def metric_curves(features: Features, runs: Mapping[str, Run], metric: str, ks: Sequence[int],
                  params: Optional[dict] = None) -> dict[str, np.ndarray]:
    """``metric`` on every run's first k picks for each k in ``ks``; NaN where k exceeds the run's length."""
    params = dict(params or {})
    metric_spec(metric)
    ks = [int(k) for k in ks]
    out = {}
    for name, run in runs.items():
        order = order_of(run)
        values = np.full(len(ks), np.nan, dtype=np.float64)
        inside = [i for i, k in enumerate(ks) if k <= order.size]
        if inside:  # core.curves.metric_curve checks the order and evaluates its prefixes
            values[inside] = metric_curve(lambda f, s: compute(metric, f, s, **params), features, order,
                                          [ks[i] for i in inside])
        out[name] = values
    return out


# --------------------------------------------------------------------------------------------- ranks

def rank(values: Mapping[str, Optional[float]], higher_is_better: bool = True) -> dict[str, int]:
    """Competition ranks (1 = best in the declared direction, ties share the better rank); None is unranked."""
    present = {k: float(v) for k, v in values.items() if v is not None and np.isfinite(v)}
    sign = -1.0 if higher_is_better else 1.0
    return {k: 1 + sum(1 for o in present.values() if sign * o < sign * v) for k, v in present.items()}


def duplicate_share(dups: "Duplicates", indices: Sequence[int]) -> float:
    """Share of ``indices`` in one duplicate group with another of them (what dedup would drop from the set)."""
    idx = np.asarray(indices, dtype=np.int64)
    if idx.size == 0:
        return 0.0
    groups = np.asarray(dups.group)[idx]
    grouped = groups[groups >= 0]
    return float(grouped.size - np.unique(grouped).size) / idx.size


@dataclass
class MetricRow:
    """One metric across the runs at one k: values, ranks, the best run(s) and the random baseline."""

    metric: str
    label: str
    direction: str
    higher_is_better: bool
    meaning: str
    values: dict[str, Optional[float]]
    ranks: dict[str, int]
    best: list[str]
    baseline: Optional[Baseline] = None
    versus: dict[str, VersusRandom] = field(default_factory=dict)


@dataclass
class Disagreement:
    """A metric rating a run best while most other metrics rate it in their bottom half, with the likely cause."""

    metric: str
    run: str
    against: list[str]
    others: int
    duplicate_share: Optional[float]
    text: str


@dataclass
class Comparison:
    """Every run measured at one prefix size ``k``."""

    k: int
    runs: list[str]
    rows: list[MetricRow]
    duplicate_shares: Optional[dict[str, float]] = None
    disagreements: list[Disagreement] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def row(self, metric: str) -> MetricRow:
        for r in self.rows:
            if r.metric == metric:
                return r
        raise SiftError(f"metric {metric!r} is not in this comparison")

    def as_dict(self) -> dict:
        """Plain JSON-ready values (for ``--json`` output and tables): per metric its direction, meaning, values,
        ranks, best runs and, when computed, the random baseline (mean, sd, draws) and each run's delta and z."""
        rows = []
        for r in self.rows:
            row = {"metric": r.metric, "label": r.label, "direction": r.direction,
                   "higher_is_better": r.higher_is_better, "meaning": r.meaning, "values": dict(r.values),
                   "ranks": dict(r.ranks), "best": list(r.best)}
            if r.baseline is not None:
                row["random"] = {"mean": r.baseline.mean, "sd": r.baseline.std, "draws": len(r.baseline.values),
                                 "seeds": list(r.baseline.seeds)}
                row["versus_random"] = {n: {"delta": v.delta, "z": v.z, "text": v.describe()}
                                        for n, v in r.versus.items()}
            rows.append(row)
        return {"k": self.k, "runs": list(self.runs), "metrics": rows, "mean_rank": self.mean_rank(),
                "duplicate_share": None if self.duplicate_shares is None else dict(self.duplicate_shares),
                "disagreements": [{"metric": d.metric, "run": d.run, "against": list(d.against), "text": d.text}
                                  for d in self.disagreements],
                "skipped": dict(self.skipped)}

    def mean_rank(self) -> dict[str, float]:
        """Each run's mean rank over the metrics that ranked it (lower is better)."""
        out = {}
        for run in self.runs:
            ranks = [r.ranks[run] for r in self.rows if run in r.ranks]
            out[run] = float(np.mean(ranks)) if ranks else float("nan")
        return out


def compare_at_k(features: Features, runs: Mapping[str, Run], k: Optional[int] = None, *,
                 metrics: Optional[Sequence[str]] = None, params: Optional[Mapping[str, dict]] = None,
                 baseline: bool = True, seeds: Optional[Sequence[int]] = None,
                 candidates: Optional[Sequence[int]] = None, dups: Optional["Duplicates"] = None,
                 progress: Optional[Progress] = None) -> Comparison:
    """Measure every run's first ``k`` picks (default: the shortest run) with each metric it has inputs for.

    ``metrics`` defaults to every registry metric; ``params`` maps a metric to its parameters. With ``baseline``
    each row carries the random baseline at k (``seeds``, default 0..9; draws among ``candidates``, default the
    pool: pass the dedup candidates when the runs were deduplicated). ``dups`` (a :class:`core.dedup.Duplicates`
    of the pool) adds each run's duplicate share and lets disagreements name duplicates as the cause.
    Metrics whose inputs are missing or that fail on this data are listed in ``skipped`` with the reason.
    """
    if not runs:
        raise SiftError("nothing to compare: no runs")
    names = list(runs)
    orders = {name: order_of(run) for name, run in runs.items()}
    smallest = min(o.size for o in orders.values())
    k = smallest if k is None else int(k)
    if not 1 <= k <= smallest:
        raise SiftError(f"k must be between 1 and {smallest} (the shortest run) so every run is exact at k")
    params = dict(params or {})
    chosen = list(metrics) if metrics is not None else list(METRICS)
    if "novelsum" in chosen:
        search_pool_density(features, [o[:k] for o in orders.values()], k, dict(params.get("novelsum", {})),
                            baseline=baseline, seeds=seeds, candidates=candidates, progress=progress)
    rows, skipped = [], {}
    for step, metric in enumerate(chosen):
        spec = metric_spec(metric)
        if progress:
            progress(step / max(1, len(chosen)), f"{spec.label} at k={k:,}")
        missing = [need for need in spec.needs if not features.has(need)]
        if missing:
            skipped[metric] = "needs " + ", ".join(missing)
            continue
        mparams = dict(params.get(metric, {}))
        try:
            values = {name: float(compute(metric, features, orders[name][:k], **mparams)) for name in names}
            base = (baseline_curve(features, metric, [k], seeds=seeds, candidates=candidates, params=mparams)[0]
                    if baseline else None)
        except SiftError as exc:
            skipped[metric] = str(exc)
            continue
        ranks = rank(values, spec.higher_is_better)
        best = sorted((n for n, r in ranks.items() if r == 1), key=names.index)
        versus = {} if base is None else {n: versus_random(v, base, spec.higher_is_better)
                                          for n, v in values.items()}
        rows.append(MetricRow(metric, spec.label, spec.direction, spec.higher_is_better, spec.meaning, values,
                              ranks, best, base, versus))
    shares = None if dups is None else {name: duplicate_share(dups, orders[name][:k]) for name in names}
    if progress:
        progress(1.0, f"{len(rows)} metrics at k={k:,}")
    comparison = Comparison(k, names, rows, shares, [], skipped)
    comparison.disagreements = find_disagreements(comparison)
    for d in comparison.disagreements:
        explain = EXPLAINERS.get(d.metric)
        if explain is not None:
            d.text += explain(features, orders, k, d.run, dict(params.get(d.metric, {})))
    return comparison


def search_pool_density(features: Features, subsets: Sequence[np.ndarray], k: int, params: dict, *,
                        baseline: bool = True, seeds: Optional[Sequence[int]] = None,
                        candidates: Optional[Sequence[int]] = None, progress: Optional[Progress] = None) -> int:
    """Search the pool neighbours of every row NovelSum will measure (the runs' first k picks and, with
    ``baseline``, every random draw) in one sweep of the pool; returns the number of rows searched (0 when it
    does not apply).

    Above ``EXACT_MAX_ROWS`` rows NovelSum's density of a subset is each row's kNN distance against the whole
    pool; measured run by run and draw by draw that was 13 sweeps of the pool (and 13 deduplications of it) for
    3 runs and 10 draws. The values are those the metric computes (``core.metrics.knn_memo.rows_knn_m`` remembers
    them per row); nothing is searched when NovelSum would not use them (a user reference, the row-sampled
    estimate, no density factor, a size beyond the exact limit, or bad parameters: the metric reports those).
    """
    from core.features import EMBEDDINGS
    from core.metrics.knn_memo import rows_knn_m
    from core.metrics.novelsum_metric import EXACT_MAX_ROWS
    from core.params import resolve_params

    if not features.has(EMBEDDINGS) or features.n <= EXACT_MAX_ROWS:
        return 0
    spec = metric_spec("novelsum")
    try:
        p = resolve_params(spec.params, params, spec.label)
    except SiftError:
        return 0
    if (p["reference_set"] != "pool" or p["approximate"] or float(p["density_power"]) == 0.0
            or int(k) * features.n > EXACT_MAX_ROWS ** 2):
        return 0
    parts = [np.asarray(s, dtype=np.int64) for s in subsets]
    if baseline:
        from core.baseline import draws

        try:
            parts += draws(features, int(k), seeds=seeds, candidates=candidates)
        except SiftError:
            pass
    rows = np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
    if rows.size == 0:
        return 0
    if progress:
        progress(0.0, f"NovelSum density: {rows.size:,} rows against the pool's {features.n:,}")
    try:
        rows_knn_m(features.embeddings, rows, int(p["neighbors"]))
    except SiftError:  # e.g. too few distinct rows: NovelSum reports it when it is measured
        return 0
    return int(rows.size)


def explain_novelsum(features: Features, orders: Mapping[str, np.ndarray], k: int, run: str, params: dict) -> str:
    """Why NovelSum rates ``run`` as it does: its ranks without the density factor (``density_power=0``) and the
    mean density weight rho = (m_k + 1e-9)^-beta of its first k picks against the pool's. rho is largest in dense
    regions of the pool, so many variants of one template weigh more. "" when it does not apply (a user reference
    set, or a pool too big for the cached density)."""
    from core.metrics.novelsum_metric import EXACT_MAX_ROWS, REGULARIZATION
    from core.metrics.registry import pool_mean_knn_sq_distance

    if params.get("reference_set", "pool") != "pool" or features.n > EXACT_MAX_ROWS:
        return ""
    beta = float(params.get("density_power", 0.5))
    if beta == 0.0:
        return ""
    flat = {**params, "density_power": 0.0}
    values = {name: float(compute("novelsum", features, order[:k], **flat)) for name, order in orders.items()}
    ranks = rank(values, True)
    rho = 1.0 / np.power(pool_mean_knn_sq_distance(features, int(params.get("neighbors", 10))) + REGULARIZATION,
                         beta)
    picks, pool = float(rho[orders[run][:k]].mean()), float(rho.mean())
    return (f" Without its density factor (density_power=0) NovelSum ranks {run} {ranks[run]} of {len(ranks)}; "
            f"the density weight of its picks averages {picks:.2f} against {pool:.2f} over the pool (the weight "
            f"is largest in dense regions, such as many variants of one template).")


#: Metric-specific checks added to a disagreement's text by :func:`compare_at_k`.
EXPLAINERS = {"novelsum": explain_novelsum}


def find_disagreements(comparison: Comparison) -> list[Disagreement]:
    """Metrics that rank a run alone best while at least half of the other metrics rank it in the bottom half."""
    runs = comparison.runs
    if len(runs) < 3 or len(comparison.rows) < 3:
        return []
    bottom = (len(runs) + 1) // 2  # rank > bottom = the bottom half (with 3 runs: the last)
    shares = comparison.duplicate_shares
    found = []
    for row in comparison.rows:
        if len(row.best) != 1:
            continue
        run = row.best[0]
        others = [r for r in comparison.rows if r is not row and run in r.ranks]
        against = [r for r in others if r.ranks[run] > bottom]
        if not others or 2 * len(against) < len(others):
            continue
        names = ", ".join(r.label for r in against)
        text = (f"{row.label} rates {run} best at k={comparison.k:,}, while {len(against)} of {len(others)} other "
                f"metrics rank it in their bottom half ({names}).")
        share = None if shares is None else shares[run]
        if share is not None:
            rest = [shares[r] for r in runs if r != run]
            median = float(np.median(rest)) if rest else 0.0
            if share >= DUPLICATE_SHARE_FLAG and share >= 2 * median:
                text += (f" {share:.0%} of its first {comparison.k:,} picks duplicate another of its picks (exact, "
                         f"near or template groups, core/dedup.py) against a median of {median:.0%} for the other "
                         f"runs: repeated records can lift {row.label} while they lower the measures of spread. "
                         f"Compare again with duplicates removed (dedup).")
            else:
                text += (f" Its duplicate share is {share:.0%} (others' median {median:.0%}), so duplicates do not "
                         f"explain it: {row.label} measures {row.meaning}.")
        else:
            text += f" {row.label} measures {row.meaning}; the others measure something else (see the glossary)."
        found.append(Disagreement(row.metric, run, [r.metric for r in against], len(others), share, text))
    return found


# --------------------------------------------------------------------------------------------- gains

@dataclass(frozen=True)
class GainKind:
    """A per-pick quantity a chart or table can show, with its name and a one-line meaning."""

    key: str
    name: str
    meaning: str


#: What ``Selection.gains`` holds, per selector (the value each pick was ranked or accepted by).
SCORE_KINDS: dict[str, GainKind] = {
    "mig": GainKind("ranking_score", "MIG ranking score (first-order gain)",
                    "h_i · phi'(z): the linearised gain the greedy ranks candidates by; it overestimates the exact "
                    "gain (phi is concave) and only falls as the selection grows"),
    "novelselect": GainKind("novelselect_score", "NovelSelect score",
                            "density-weighted, rank-weighted distance of the pick to the records already chosen"),
    "kcenter": GainKind("kcenter_distance", "distance to the nearest pick",
                        "cosine distance from the pick to its nearest earlier pick (0 for the first)"),
    "qdit": GainKind("qdit_gain", "QDIT objective gain",
                     "marginal gain of (1 - a) x facility location + a x quality when the pick was made"),
    "instag": GainKind("new_tags", "new tags", "tags the pick added that no earlier pick had (0 in the fill pass)"),
    "bandit": GainKind("arm_reward", "arm reward", "reward of the cluster pull that took the pick"),
    "random": GainKind("none", "no score", "random picks carry no score (all 0)"),
}
for _quality_method in ("quality_topk", "deita", "car", "kmq"):
    SCORE_KINDS[_quality_method] = GainKind("quality", "quality score", "the quality score of the pick")
del _quality_method

#: The exact information gain of MIG's E(S), for any run with labels, quality and a label graph.
MARGINAL_INFORMATION = GainKind(
    "marginal_information", "exact information gain E(S_k) - E(S_k-1)",
    "how much MIG's information actually rose with pick k; not monotone (a pick can add more than the one before "
    "it), and smaller than MIG's first-order ranking score")


def score_kind(method: str) -> GainKind:
    """What a selector's ``Selection.gains`` means (a generic entry for a selector not listed)."""
    return SCORE_KINDS.get(method, GainKind("score", "selector score", "the score the selector gave each pick"))


def gain_series(features: Features, selection: Selection) -> dict[str, tuple[GainKind, np.ndarray]]:
    """The run's own per-pick score and, when the pool has labels, quality and a graph, the exact marginal gain of
    MIG's information along the run's order (every run, not only MIG, can be read on E(S))."""
    out = {"score": (score_kind(selection.method), np.asarray(selection.gains, dtype=np.float64))}
    if all(features.has(need) for need in (LABELS, QUALITY, GRAPH)) and len(selection):
        _, marginal = information_curve(features.label_sets, features.quality, features.graph, selection.indices)
        out["marginal_information"] = (MARGINAL_INFORMATION, marginal)
    return out


def default_window(n: int) -> int:
    """Smoothing window for a series of ``n`` values: about n / 50, odd, 1 (no smoothing) below 100 values."""
    if n < 100:
        return 1
    w = max(3, n // 50)
    return w if w % 2 else w + 1


def smooth(values: Sequence[float], window: Optional[int] = None) -> np.ndarray:
    """Centred moving average of ``values`` (same length; near the ends the mean of the values in reach; NaN
    ignored). ``window`` defaults to :func:`default_window`; 1 returns the values unchanged."""
    y = np.asarray(values, dtype=np.float64).reshape(-1)
    w = default_window(y.size) if window is None else int(window)
    if w < 1:
        raise SiftError(f"the smoothing window must be at least 1, got {window}")
    if w == 1 or y.size == 0:
        return y.copy()
    ok = np.isfinite(y)
    total = np.concatenate([[0.0], np.cumsum(np.where(ok, y, 0.0))])
    count = np.concatenate([[0], np.cumsum(ok)])
    i = np.arange(y.size)
    lo = np.clip(i - w // 2, 0, y.size)
    hi = np.clip(i + w // 2 + 1, 0, y.size)
    n = count[hi] - count[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (total[hi] - total[lo]) / np.maximum(n, 1), np.nan)
