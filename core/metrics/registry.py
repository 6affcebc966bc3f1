"""The metric registry: one :class:`MetricSpec` per measure, so the UI and the CLI build forms and tables from it.

``compute(name, features, subset=None, **params)`` takes what the metric needs from a
:class:`core.features.Features` for the whole pool, measured on the rows ``subset`` (default: all rows).
How the pool serves as context when a subset is measured (documented per entry):

- NovelSum: the density reference is the whole pool (as in the official fixture), so a subset's densities are
  rows of the pool's density, computed once and cached in ``features.extra["metrics_cache"]``.
- facility location and partition entropy: the reference is the pool (partition centres are cached too).
- tag coverage: the vocabulary is every label of the pool.
``reference_set="user"`` uses ``features.reference`` (e.g. target-task examples) instead of the pool.

Adding a metric is one ``_add(MetricSpec(...))`` line; ``kind`` says how ``func`` is called:
``"embeddings"`` -> ``func(X, **params)`` (plus ``reference=`` when ``uses_reference``), ``"texts"`` ->
``func(texts, **params)``, ``"labels"`` -> ``func(label_sets, vocabulary=..., **params)``, ``"features"`` ->
``func(features, subset_indices_or_None, **params)``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

import numpy as np

from core.array_memo import ArrayMemo
from core.errors import SiftError, InputError, MissingNeedError
from core.features import EMBEDDINGS, GRAPH, LABELS, QUALITY, REFERENCE, TEXTS, Features
from core.information import information
from core.metrics import classic, lexical, tags
from core.metrics.novelsum_metric import (DEFAULT_SAMPLE_ROWS, EXACT_MAX_ROWS, REGULARIZATION, NovelSumResult,
                                          mean_knn_sq_distance, novelsum_estimate, novelty)
from core.params import Param, resolve_params

_KINDS = ("embeddings", "texts", "labels", "features")
#: What a metric measures -> what its better end means (the words Compare shows next to each row).
ASPECTS = {
    "diversity": "more diverse (embedding space)",
    "lexical": "more varied wording",
    "coverage": "covers more of the pool",
    "information": "more information (quality x label diversity)",
}


@dataclass(frozen=True)
class MetricSpec:
    """One registered measure: how to call it, what it needs, its parameters and where it comes from."""

    name: str
    label: str
    func: Callable[..., Any]
    needs: tuple[str, ...]
    params: Sequence[Param] = ()
    citation: str = ""
    formula: str = ""
    kind: str = "embeddings"
    uses_reference: bool = False
    notes: str = ""
    #: What the measure rewards (one of ASPECTS, default "diversity"); with ``higher_is_better`` it says how to
    #: read a value.
    aspect: str = "diversity"
    higher_is_better: bool = True
    #: One line a curator can read: what a higher value means for a subset.
    meaning: str = ""

    @property
    def direction(self) -> str:
        """How to read the value, e.g. "higher = more diverse"."""
        return f"{'higher' if self.higher_is_better else 'lower'} = {ASPECTS[self.aspect]}"


@dataclass(frozen=True)
class MetricResult:
    """A computed value with its provenance; ``approximate`` with ``stderr`` when the value is an estimate."""

    name: str
    value: float
    params: dict = field(default_factory=dict)
    approximate: bool = False
    stderr: Optional[float] = None
    seconds: float = 0.0


REGISTRY: dict[str, MetricSpec] = {}


def _add(spec: MetricSpec) -> MetricSpec:
    if spec.kind not in _KINDS:
        raise ValueError(f"metric {spec.name}: kind must be one of {_KINDS}")
    if spec.aspect not in ASPECTS or not spec.meaning:
        raise ValueError(f"metric {spec.name}: needs an aspect in {tuple(ASPECTS)} and a one-line meaning")
    REGISTRY[spec.name] = spec
    return spec


# --------------------------------------------------------------------------------------------- helpers

def _subset_indices(subset: Any, n: int) -> Optional[np.ndarray]:
    """``subset`` as int64 pool indices (a boolean mask of length n is accepted); None means every row."""
    if subset is None:
        return None
    idx = np.asarray(subset)
    if idx.dtype == bool:
        if idx.shape != (n,):
            raise InputError(f"a boolean subset mask must have length {n}, got shape {idx.shape}")
        idx = np.flatnonzero(idx)
    elif idx.size and not np.issubdtype(idx.dtype, np.integer):
        raise InputError(f"subset must hold integer row indices, got dtype {idx.dtype}")
    idx = idx.astype(np.int64).ravel()
    if idx.size == 0:
        raise InputError("the subset is empty: select at least one row")
    bad = (idx < 0) | (idx >= n)
    if bad.any():
        raise InputError(f"subset index {int(idx[np.argmax(bad)])} is out of range for a pool of {n} rows")
    return idx


def _cache(features: Features) -> dict:
    return features.extra.setdefault("metrics_cache", {})


def _fingerprint(array: np.ndarray) -> tuple:
    """Shape, dtype and a hash of the bytes, read in place (``tobytes()`` copied a pool-sized matrix whole)."""
    data = np.ascontiguousarray(array)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(memoryview(data.reshape(-1)).cast("B"))
    return (data.shape, str(data.dtype), digest.hexdigest())


_FINGERPRINTS = ArrayMemo()


def _fingerprint_once(array: np.ndarray) -> tuple:
    """:func:`_fingerprint`, hashed once per array object while it lives (a weak reference checks it is the same
    array): a compare measures partition entropy against the pool for every run and random draw, and hashing a
    1M x 384 pool cost about a second each time. An array changed in place keeps its first fingerprint."""
    key = (id(array), array.shape, array.dtype.str)
    hit = _FINGERPRINTS.get(key, array)
    if hit is not None:
        return hit
    value = _fingerprint(array)
    _FINGERPRINTS.put(key, array, value)
    return value


def _vocabulary(features: Features) -> list:
    """Every label of the pool, sorted, computed once per ``features.label_sets`` object (kept in
    ``features.extra``): tag coverage of each run and draw measured against the same pool vocabulary."""
    labels = features.label_sets
    hit = features.extra.get("label_vocabulary")
    if hit is not None and hit[0] is labels and hit[1] == len(labels):
        return hit[2]
    vocabulary = sorted({label for row in labels if row for label in row})
    features.extra["label_vocabulary"] = (labels, len(labels), vocabulary)
    return vocabulary


def _reference_for(features: Features, idx: Optional[np.ndarray], reference_set: str) -> Optional[np.ndarray]:
    """The reference a subset is measured against: the pool (None when the set is the pool) or the user's set."""
    if reference_set == "user":
        features.require((REFERENCE,), "reference_set='user'")
        return features.reference
    return None if idx is None else features.embeddings


def _pick(seq: Any, idx: Optional[np.ndarray]) -> Any:
    if idx is None:
        return seq
    if isinstance(seq, np.ndarray):
        return seq[idx]
    return [seq[i] for i in idx]


def pool_mean_knn_sq_distance(features: Features, neighbors: int = 10) -> np.ndarray:
    """NovelSum's ``m_i`` for every pool row against the whole (deduplicated) pool, computed once per embedding
    array (:func:`core.metrics.knn_memo.self_knn_m`, shared with NovelSelect and the pool's novelty)."""
    from core.metrics.knn_memo import self_knn_m

    features.require((EMBEDDINGS,), "NovelSum density")
    return self_knn_m(features.embeddings, int(neighbors))


def _pool_densities(features: Features, idx: Optional[np.ndarray], neighbors: int,
                    density_power: float) -> np.ndarray:
    n = features.embeddings.shape[0] if idx is None else idx.shape[0]
    if float(density_power) == 0.0:
        return np.ones(n, dtype=np.float64)
    m = pool_mean_knn_sq_distance(features, neighbors)
    return 1.0 / np.power(_pick(m, idx) + REGULARIZATION, float(density_power))


def _rows_densities(features: Features, idx: np.ndarray, neighbors: int, density_power: float,
                    distance_power: float) -> np.ndarray:
    """rho of the pool rows ``idx`` against the whole pool, as ``density(X[idx], pool)`` gives them, with the
    same parameter and size errors first; each row's kNN search runs once per pool array
    (:func:`core.metrics.knn_memo.rows_knn_m`), so a compare's runs and random draws sweep the pool once."""
    from core.metrics.knn_memo import rows_knn_m
    from core.metrics.novelsum_metric import _check_params, _check_size

    _check_params(neighbors, density_power, distance_power)
    _check_size(idx.shape[0], features.embeddings.shape[0], approximate=False)
    if float(density_power) == 0.0:
        return np.ones(idx.shape[0], dtype=np.float64)
    return 1.0 / np.power(rows_knn_m(features.embeddings, idx, int(neighbors)) + REGULARIZATION,
                          float(density_power))


# ------------------------------------------------------------------------------------- entry adapters

def _novelsum_entry(features: Features, idx: Optional[np.ndarray], *, neighbors: int, density_power: float,
                    distance_power: float, reference_set: str, approximate: bool, sample_rows: int,
                    seed: int) -> NovelSumResult:
    X = _pick(features.embeddings, idx)
    common = dict(neighbors=neighbors, density_power=density_power, distance_power=distance_power,
                  approximate=approximate, sample_rows=sample_rows, seed=seed)
    if reference_set == "user":
        return novelsum_estimate(X, reference=_reference_for(features, idx, "user"), **common)
    if features.embeddings.shape[0] > EXACT_MAX_ROWS:  # too big to cache the pool's density: the rows (or the
        if idx is not None and not approximate:  # sampled rows) query the pool; exact rows once per pool array
            rho = _rows_densities(features, idx, neighbors, density_power, distance_power)
            return novelsum_estimate(X, densities=rho, **common)
        return novelsum_estimate(X, reference=features.embeddings, **common)
    rho = _pool_densities(features, idx, neighbors, density_power)
    return novelsum_estimate(X, densities=rho, **common)


def novelty_of(features: Features, subset: Any = None, *, neighbors: int = 10, density_power: float = 0.5,
               distance_power: float = 1.0) -> np.ndarray:
    """Per-sample NovelSum novelty v_i of the rows ``subset`` (default all), density over the whole pool."""
    features.require((EMBEDDINGS,), "novelty")
    idx = _subset_indices(subset, features.n)
    common = dict(neighbors=neighbors, density_power=density_power, distance_power=distance_power)
    if features.embeddings.shape[0] > EXACT_MAX_ROWS:  # novelty() raises its clear size error
        return novelty(_pick(features.embeddings, idx), reference=features.embeddings, **common)
    rho = _pool_densities(features, idx, neighbors, density_power)
    return novelty(_pick(features.embeddings, idx), densities=rho, **common)


def _partition_entropy_entry(features: Features, idx: Optional[np.ndarray], *, n_clusters: int, seed: int,
                             max_iter: int, reference_set: str) -> float:
    ref = _reference_for(features, idx, reference_set)
    ref = features.embeddings if ref is None else ref
    key = ("partition", _fingerprint_once(ref), int(n_clusters), int(seed), int(max_iter))
    cache = _cache(features)
    if key not in cache:
        cache[key] = classic.fit_partition(ref, n_clusters, seed=seed, max_iter=max_iter)
    return classic.partition_entropy(_pick(features.embeddings, idx), centroids=cache[key])


def mig_information(features: Features, subset: Any = None) -> float:
    """MIG's information E(S) (:func:`core.information.information`, official defaults) of the rows ``subset``
    (pool indices; None = the whole pool)."""
    features.require((LABELS, QUALITY, GRAPH), "MIG information")
    idx = np.arange(features.n) if subset is None else np.asarray(subset, dtype=np.int64).reshape(-1)
    if idx.size == 0:
        raise SiftError("MIG information needs a non-empty subset")
    return information(features.label_sets, features.quality, features.graph, idx)


# ----------------------------------------------------------------------------------------- the entries

_REFERENCE_SET = Param("reference_set", "pool", str, "what the set is measured against: the whole pool, or the "
                       "user's reference set", choices=("pool", "user"))
_NEIGHBORS = Param("neighbors", 10, int, "k nearest reference rows for the density factor", low=1, high=1000)
_DENSITY_POWER = Param("density_power", 0.5, float, "beta: rho = (m_k + 1e-9)^-beta (0 = no density)",
                       low=0.0, high=4.0)
_DISTANCE_POWER = Param("distance_power", 1.0, float, "alpha: rank r of a sorted row weighs r^-alpha "
                        "(0 = plain mean)", low=0.0, high=8.0)

_add(MetricSpec(
    "novelsum", "NovelSum", _novelsum_entry, (EMBEDDINGS,),
    [_NEIGHBORS, _DENSITY_POWER, _DISTANCE_POWER, _REFERENCE_SET,
     Param("approximate", False, bool, "allow a row-sampled estimate (needed above 50,000 rows)"),
     Param("sample_rows", DEFAULT_SAMPLE_ROWS, int, "rows evaluated when approximating", low=2),
     Param("seed", 0, int, "seed of the row sample when approximating", low=0)],
    "Yang et al. 2025, arXiv 2502.17184 (official code UmeanNever/NovelSum)",
    "mean_i rho_i * sum_r r^-alpha d_i,(r) / sum_r r^-alpha, d = 1 - cos (self included), "
    "rho_i = (mean sq. L2 to k nearest pool rows + 1e-9)^-beta",
    kind="features", uses_reference=True,
    notes="Exact up to 50,000 rows; beyond that only with approximate=True, which is labelled approximate with a "
          "standard error. For a subset the density reference is the whole pool.",
    meaning="each record's distance to the rest of the set, weighted up where the pool is sparse: novel, "
            "spread-out picks score high"))
_add(MetricSpec(
    "distsum_cosine", "DistSum (cosine)", classic.distsum_cosine, (EMBEDDINGS,),
    [Param("include_self", True, bool, "average all n^2 pairs, diagonal included (the official cos_distance)")],
    "NovelSum study baseline, arXiv 2502.17184", "mean_ij (1 - cos(x_i, x_j))",
    meaning="mean cosine distance between two records of the set: how far apart the picks are on average"))
_add(MetricSpec(
    "distsum_l2", "DistSum (L2)", classic.distsum_l2, (EMBEDDINGS,),
    [Param("include_self", True, bool, "average all n^2 pairs, diagonal included")],
    "NovelSum study baseline, arXiv 2502.17184", "mean_ij ||x_i - x_j||",
    meaning="mean Euclidean distance between two records of the set (unit vectors): how far apart the picks are"))
_add(MetricSpec(
    "knn_distance", "Mean kNN distance", classic.knn_distance, (EMBEDDINGS,),
    [Param("k", 10, int, "nearest other points per point", low=1),
     Param("metric", "cosine", str, "distance", choices=("cosine", "l2"))],
    "kNN-distance diversity (e.g. Stasaski & Hearst 2022)", "mean_i mean_{j in kNN(i)} d(x_i, x_j)",
    meaning="mean distance of each pick to its nearest other picks: high when no two picks crowd together"))
_add(MetricSpec(
    "vendi", "Vendi score", classic.vendi_score, (EMBEDDINGS,), [],
    "Friedman & Dieng 2023, arXiv 2210.02410", "exp(-sum_i l_i log l_i), l = eig(K/n), K = cosine similarity",
    meaning="the effective number of distinct records in the set (1 = all the same, n = all unrelated)"))
_add(MetricSpec(
    "cluster_inertia", "Cluster inertia", classic.cluster_inertia, (EMBEDDINGS,),
    [Param("n_clusters", 10, int, "k-means clusters", low=1), Param("seed", 0, int, "k-means seed", low=0)],
    "Du & Black 2019; NovelSum study baseline, arXiv 2502.17184",
    "sum_i ||x_i - c(x_i)||^2 after k-means (a sum: compare equal-size sets)",
    meaning="spread of the picks around their own k-means centres (a sum: compare sets of one size)"))
_add(MetricSpec(
    "radius", "Radius", classic.radius, (EMBEDDINGS,), [],
    "Lai et al. 2020, arXiv 2003.08529; NovelSum study baseline", "(prod_j sigma_j)^(1/d)",
    meaning="geometric mean spread of the picks along each embedding axis"))
_add(MetricSpec(
    "log_determinant", "Log-determinant", classic.log_determinant, (EMBEDDINGS,),
    [Param("eps", 1.0, float, "ridge added to the kernel diagonal", low=1e-12)],
    "DPP volume, e.g. Wang et al. 2024, arXiv 2402.02318", "log det(K + eps I), K = cosine similarity",
    meaning="volume the picks span in embedding space: falls sharply when two picks are alike"))
_add(MetricSpec(
    "facility_location", "Facility location", classic.facility_location, (EMBEDDINGS,), [_REFERENCE_SET],
    "NovelSum study baseline, arXiv 2502.17184", "mean_{r in R} max_{x in S} cos(r, x), R = the pool",
    uses_reference=True, notes="On the whole pool (no subset, reference_set='pool') the value is 1 by definition.",
    aspect="coverage",
    meaning="how close every pool record is to some pick: how well the set represents the pool"))
_add(MetricSpec(
    "partition_entropy", "Partition entropy", _partition_entropy_entry, (EMBEDDINGS,),
    [Param("n_clusters", 100, int, "k-means clusters of the reference", low=2),
     Param("seed", 42, int, "k-means seed", low=0), Param("max_iter", 20, int, "k-means iterations", low=1),
     _REFERENCE_SET],
    "NovelSum official entropy.py (arXiv 2502.17184)", "-sum_c p_c log2 p_c, p_c = share of the set in cluster c",
    kind="features", uses_reference=True,
    meaning="how evenly the picks spread over the pool's k-means clusters (at most log2 of the cluster count)"))
_add(MetricSpec(
    "ttr", "Type-token ratio", lexical.type_token_ratio, (TEXTS,), [],
    "Templin 1957; NovelSum study baseline", "distinct tokens / tokens", kind="texts",
    aspect="lexical",
    meaning="share of distinct words among all words of the set's texts (falls with text length)"))
_add(MetricSpec(
    "mtld", "MTLD", lexical.mtld, (TEXTS,),
    [Param("threshold", 0.72, float, "TTR threshold ending a factor", low=0.01, high=0.99)],
    "McCarthy & Jarvis 2010, doi:10.3758/BRM.42.2.381", "tokens / factors (TTR threshold 0.72), fwd/bwd mean",
    kind="texts",
    aspect="lexical",
    meaning="average run of words before the vocabulary starts repeating (length-robust lexical variety)"))
_add(MetricSpec(
    "tag_coverage", "Tag coverage", tags.tag_coverage, (LABELS,), [],
    "InsTag (Lu et al. 2023, arXiv 2308.07074)", "|labels of the set| / |labels of the pool|", kind="labels",
    aspect="coverage",
    meaning="share of the pool's labels that occur in the set"))
_add(MetricSpec(
    "mig_information", "MIG information E(S)", mig_information, (LABELS, QUALITY, GRAPH), [],
    "Chen et al. 2025, arXiv 2504.13835", "sum_k phi(z_k), z = sum_{i in S} h_i, phi(x) = x^0.8",
    kind="features",
    aspect="information",
    meaning="MIG's information: quality-weighted labels with diminishing returns per label, so quality and "
            "label diversity both count"))


# ------------------------------------------------------------------------------------------ computing

def get(name: str) -> MetricSpec:
    """The spec named ``name``, or a SiftError listing the known names."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise SiftError(f"unknown metric {name!r}; known: {', '.join(REGISTRY)}") from None


def glossary(names: Optional[Sequence[str]] = None) -> list[dict]:
    """One plain row per metric (default: all, registry order) for the UI's and the CLI's glossaries.

    Keys: name, label, aspect, higher_is_better, direction (e.g. "higher = more diverse (embedding space)"),
    meaning (one line), formula, citation, notes.
    """
    rows = []
    for name in (names if names is not None else list(REGISTRY)):
        spec = get(name)
        rows.append({"name": spec.name, "label": spec.label, "aspect": spec.aspect,
                     "higher_is_better": spec.higher_is_better, "direction": spec.direction,
                     "meaning": spec.meaning, "formula": spec.formula, "citation": spec.citation,
                     "notes": spec.notes})
    return rows


def compute_result(name: str, features: Features, subset: Any = None, **params: Any) -> MetricResult:
    """Like :func:`compute`, with the resolved parameters, the run time and whether the value is an estimate."""
    spec = get(name)
    features.require(spec.needs, spec.label)
    resolved = resolve_params(spec.params, params, spec.label)
    idx = _subset_indices(subset, features.n)
    call = dict(resolved)
    start = time.perf_counter()
    if spec.kind == "embeddings":
        if spec.uses_reference:
            call["reference"] = _reference_for(features, idx, call.pop("reference_set", "pool"))
        raw = spec.func(_pick(features.embeddings, idx), **call)
    elif spec.kind == "texts":
        raw = spec.func(_pick(features.texts, idx), **call)
    elif spec.kind == "labels":
        vocabulary = _vocabulary(features)
        raw = spec.func(_pick(features.label_sets, idx), vocabulary=vocabulary, **call)
    else:
        raw = spec.func(features, idx, **call)
    seconds = time.perf_counter() - start
    if isinstance(raw, NovelSumResult):
        return MetricResult(name, raw.value, resolved, raw.approximate, raw.stderr if raw.approximate else None,
                            seconds)
    return MetricResult(name, float(raw), resolved, False, None, seconds)


def compute(name: str, features: Features, subset: Any = None, **params: Any) -> float:
    """Value of metric ``name`` on the rows ``subset`` (default: all) of the pool described by ``features``.

    Raises MissingNeedError naming what is missing (e.g. labels), SiftError for an unknown name or a bad
    parameter, InputError for bad subsets or data.
    """
    return compute_result(name, features, subset, **params).value


def compute_all(features: Features, subset: Any = None, names: Optional[Sequence[str]] = None,
                params: Optional[dict[str, dict]] = None) -> dict[str, float]:
    """Every metric (or those in ``names``); metrics whose needs are missing (or unavailable) are skipped.

    ``params`` maps a metric name to its parameters (defaults otherwise), e.g.
    ``{"novelsum": {"approximate": True}}``, which sets beyond NovelSum's exact limit need (else NovelSum raises
    :class:`core.metrics.ExactLimitError`, a SiftError); other errors raise too.
    """
    params = params or {}
    out: dict[str, float] = {}
    for name in (names if names is not None else list(REGISTRY)):
        spec = get(name)
        if not all(features.has(need) for need in spec.needs):
            continue
        try:
            out[name] = compute(name, features, subset, **params.get(name, {}))
        except MissingNeedError:
            continue
    return out
