"""The label graph of MIG (arXiv 2504.13835): labels as nodes, thresholded cosine similarity as edge weight.

Follows the official ``SimLabelGraph`` (yichengchen24/xsample, ``mig/label.py``): labels are the Python
``sorted()`` set of the labels that occur, embedded with sentence-transformers and unit-normalised;
``W = E Eᵀ`` with every entry below the threshold set to 0 and **the diagonal kept**.

Deviations (for scale, not for results): ``W`` is stored as a scipy CSR matrix (float64 holding the float32
products) and ``E Eᵀ`` is computed in row blocks, so no dense K x K matrix exists for large K. The
propagation matrix ``P`` and the per-sample matrices ``V`` and ``H = V P`` are sparse too; ``V`` is built from
the labels' integer codes when they come as a ``core.features.LabelSets``. The vocabulary is embedded with one
torch thread (:func:`one_torch_thread`: the same vectors, and no spinning threads on a shared machine).

Deviation (for the model, on by default): the threshold. MIG's T = 0.9 was set for its e5-mistral-7b label
embeddings; with all-MiniLM-L6-v2 it links almost nothing (InsTag's 4,531 tags get 32 edges), so propagation
does nothing. ``threshold="auto"`` (the default mode, ``DEFAULT_THRESHOLD_MODE``) picks T from the label
similarities of the model in use (``auto_threshold``); ``OFFICIAL_THRESHOLD`` (0.9) reproduces the paper.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional, Sequence, Union

import numpy as np
import scipy.sparse as sp

from core.errors import SiftError, InputError
from core.features import LabelSets, Progress
from core.information import label_information, propagate, propagation_matrix

#: Official similarity threshold of MIG (``--sim-threshold``), set for e5-mistral-7b label embeddings.
OFFICIAL_THRESHOLD = 0.9
#: Kept for callers that pass a number explicitly; equal to the official value.
DEFAULT_THRESHOLD = OFFICIAL_THRESHOLD
# The default threshold *mode* of the app and the CLI ("auto": pick T from the model's label similarities) is
# defined once in core.defaults and re-exported here.
from core.defaults import DEFAULT_THRESHOLD_MODE  # noqa: E402
#: ``auto_threshold`` defaults: share of labels that get >= 1 neighbour, mean-degree cap, clip range of T.
AUTO_COVERAGE = 0.8
AUTO_MAX_MEAN_DEGREE = 10.0
AUTO_MIN_T, AUTO_MAX_T = 0.5, OFFICIAL_THRESHOLD
#: Histogram resolution of label-pair cosines (bins over [-1, 1]); auto T is a multiple of 0.001.
_HIST_BINS = 2000
Threshold = Union[str, float]
#: Entries of one block of ``E Eᵀ`` (rows x K); bounds memory to ~64 MB of float32 per block.
_BLOCK_ENTRIES = 16_000_000


class SimilarityProfile:
    """Label-pair cosine statistics of unit embeddings: each label's nearest-neighbour cosine and a histogram
    of all off-diagonal ordered pairs (``counts`` over ``edges``, ``_HIST_BINS`` bins on [-1, 1])."""

    def __init__(self, nearest: np.ndarray, counts: np.ndarray, edges: np.ndarray) -> None:
        self.nearest = nearest
        self.counts = counts
        self.edges = edges

    def mean_degree_at(self, threshold: float) -> float:
        """Mean number of neighbours per label at ``threshold`` (from the histogram, bin resolution)."""
        k = len(self.nearest)
        first = int(np.searchsorted(self.edges, threshold - 1e-9))
        return float(self.counts[first:].sum()) / max(k, 1)

    def share_with_neighbour_at(self, threshold: float) -> float:
        """Share of labels whose nearest other label has cosine >= ``threshold``."""
        return float(np.mean(self.nearest >= threshold)) if len(self.nearest) else 0.0


def _unit_rows(embeddings) -> np.ndarray:
    emb = np.asarray(embeddings, dtype=np.float32)
    if emb.ndim != 2:
        raise SiftError(f"label embeddings must be a 2-D array, got shape {emb.shape}")
    if not np.all(np.isfinite(emb)):
        raise SiftError("label embeddings contain NaN or infinite values")
    return emb


def similarity_profile(embeddings: np.ndarray) -> SimilarityProfile:
    """Nearest-neighbour cosine per label and the histogram of label-pair cosines (diagonal excluded).

    ``E Eᵀ`` is computed in row blocks as in ``LabelGraph.from_embeddings``; memory stays O(block + bins).
    """
    emb = _unit_rows(embeddings)
    k = emb.shape[0]
    edges = np.linspace(-1.0, 1.0, _HIST_BINS + 1)
    counts = np.zeros(_HIST_BINS, dtype=np.int64)
    nearest = np.full(k, -np.inf, dtype=np.float64)
    step = max(1, _BLOCK_ENTRIES // max(k, 1))
    for start in range(0, k, step):
        block = emb[start:start + step] @ emb.T
        rows = np.arange(block.shape[0])
        block[rows, rows + start] = -np.inf
        nearest[start:start + block.shape[0]] = block.max(axis=1) if k > 1 else -np.inf
        vals = block[np.isfinite(block)]
        counts += np.histogram(np.clip(vals, -1.0, 1.0), bins=edges)[0]
    return SimilarityProfile(nearest, counts, edges)


def auto_threshold(embeddings: np.ndarray, *, coverage: float = AUTO_COVERAGE,
                   max_mean_degree: float = AUTO_MAX_MEAN_DEGREE, lo: float = AUTO_MIN_T,
                   hi: float = AUTO_MAX_T) -> tuple[float, str]:
    """T for the label graph from the label-similarity distribution of the model in use, and the rule as text.

    MIG (arXiv 2504.13835) links labels whose cosine is >= T = 0.9, a value set for its e5-mistral-7b label
    model. Cosines depend on the model: with all-MiniLM-L6-v2 the same T leaves ~99% of labels isolated, and
    MIG's propagation over the graph does nothing. So T is read off the similarities instead:

    1. coverage: T_cov is the largest 0.001 step such that at least ``coverage`` (default 0.8) of the labels
       have a neighbour (their nearest other label has cosine >= T_cov);
    2. degree cap: T_deg is the smallest 0.001 step at which the mean degree is <= ``max_mean_degree``
       (default 10), so the graph stays sparse when labels are near-duplicates;
    3. T = max(T_cov, T_deg), clipped to [``lo``, ``hi``] (default [0.5, 0.9]: never looser than 0.5, never
       stricter than the official value).

    Fewer than two labels: T = ``hi``. Deterministic (no sampling). Returns ``(T, rule_text)``.
    """
    if not 0.0 < float(coverage) <= 1.0:
        raise SiftError(f"coverage must be in (0, 1], got {coverage}")
    if not float(max_mean_degree) > 0:
        raise SiftError(f"max_mean_degree must be > 0, got {max_mean_degree}")
    if not -1.0 <= lo <= hi <= 1.0:
        raise SiftError(f"need -1 <= lo <= hi <= 1, got lo={lo}, hi={hi}")
    emb = _unit_rows(embeddings)
    k = emb.shape[0]
    if k < 2:
        return float(hi), f"auto: fewer than two labels, T = {hi:g} (upper bound)"
    prof = similarity_profile(emb)
    # (1) at least ceil(coverage * K) labels keep a neighbour: the m-th largest nearest-neighbour cosine.
    m = int(np.ceil(coverage * k))
    t_cov = float(np.floor(np.sort(prof.nearest)[::-1][m - 1] * 1000.0) / 1000.0)
    # (2) mean degree = (ordered pairs >= T) / K <= cap: smallest bin edge where the tail count fits.
    tail = np.concatenate([np.cumsum(prof.counts[::-1])[::-1], [0]])  # pairs >= edges[i]
    ok = np.flatnonzero(tail <= max_mean_degree * k)
    t_deg = float(np.round(prof.edges[ok[0]], 3))
    t = float(min(max(max(t_cov, t_deg), lo), hi))
    which = "coverage" if t_cov >= t_deg else "degree cap"
    if t != max(t_cov, t_deg):
        which = f"clipped to [{lo:g}, {hi:g}]"
    rule = (f"auto: T = max(T_cov, T_deg) clipped to [{lo:g}, {hi:g}] = {t:.3f} ({which}); "
            f"T_cov = {t_cov:.3f} gives >= {coverage:.0%} of the {k:,} labels a neighbour, "
            f"T_deg = {t_deg:.3f} keeps mean degree <= {max_mean_degree:g}")
    return t, rule


def parse_threshold(value) -> Threshold:
    """"auto" or a cosine in [-1, 1] (a float or its string); InputError otherwise."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "auto":
            return "auto"
        try:
            value = float(text)
        except ValueError:
            raise InputError(f"the label-graph threshold must be 'auto' or a number in [-1, 1], got {value!r}",
                             field="threshold") from None
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or \
            not np.isfinite(float(value)) or not -1.0 <= float(value) <= 1.0:
        raise InputError(f"the label-graph threshold is a cosine similarity and must be 'auto' or in [-1, 1], "
                         f"got {value!r}", field="threshold")
    return float(value)


def resolve_threshold(threshold: Threshold, embeddings: np.ndarray) -> tuple[float, str]:
    """``(T, rule_text)``: ``auto_threshold`` for "auto", else the given number (official when it is 0.9)."""
    t = parse_threshold(threshold)
    if t == "auto":
        return auto_threshold(embeddings)
    if t == OFFICIAL_THRESHOLD:
        return t, f"fixed: T = {t:g} (official MIG value)"
    return t, f"fixed: T = {t:g} (set by the user)"


class LabelGraph:
    """Labels (sorted), their weighted adjacency ``weights`` (CSR, diagonal kept) and optional embeddings."""

    def __init__(self, labels: Sequence[str], weights, *, embeddings: Optional[np.ndarray] = None,
                 threshold: Optional[float] = None, model: Optional[str] = None,
                 threshold_rule: Optional[str] = None) -> None:
        labels = [str(label) for label in labels]
        if not labels:
            raise SiftError("the label graph needs at least one label")
        if len(set(labels)) != len(labels):
            raise SiftError("the label graph was given duplicate labels")
        k = len(labels)
        w = sp.csr_matrix(weights, dtype=np.float64)
        if w.shape != (k, k):
            raise SiftError(f"weights must be {k} x {k} for {k} labels, got {w.shape[0]} x {w.shape[1]}")
        if not np.all(np.isfinite(w.data)):
            raise SiftError("label graph weights contain NaN or infinite values")
        if np.any(w.data < 0):
            raise SiftError("label graph weights must be non-negative")
        w.eliminate_zeros()
        w.sort_indices()
        self.labels: list[str] = labels
        self.index: dict[str, int] = {label: i for i, label in enumerate(labels)}
        self.weights: sp.csr_matrix = w
        self.embeddings = None if embeddings is None else np.asarray(embeddings, dtype=np.float32)
        self.threshold = threshold
        self.threshold_rule = threshold_rule
        self.model = model
        self._prop_cache: dict[float, sp.csr_matrix] = {}

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_weights(cls, labels: Sequence[str], weights) -> "LabelGraph":
        """A graph from given labels and a dense or scipy sparse K x K weight matrix (used as is)."""
        return cls(labels, weights)

    @classmethod
    def from_embeddings(cls, labels: Sequence[str], embeddings: np.ndarray,
                        threshold: Threshold = DEFAULT_THRESHOLD, *, model: Optional[str] = None) -> "LabelGraph":
        """W = E Eᵀ (float32, row blocks) with entries < ``threshold`` set to 0; labels sorted with their rows.

        ``threshold`` is a cosine in [-1, 1] or "auto" (``auto_threshold`` on these embeddings); the T used and
        the rule that chose it are kept as ``threshold`` and ``threshold_rule``.
        """
        labels = [str(label) for label in labels]
        try:
            threshold = parse_threshold(threshold)
        except InputError as exc:
            raise SiftError(str(exc)) from None
        emb = np.asarray(embeddings, dtype=np.float32)
        if emb.ndim != 2 or emb.shape[0] != len(labels):
            raise SiftError(f"need one embedding row per label: {len(labels)} labels, shape {emb.shape}")
        if not np.all(np.isfinite(emb)):
            raise SiftError("label embeddings contain NaN or infinite values")
        threshold, rule = resolve_threshold(threshold, emb)
        order = sorted(range(len(labels)), key=labels.__getitem__)
        labels = [labels[i] for i in order]
        emb = np.ascontiguousarray(emb[order])
        k = len(labels)
        step = max(1, _BLOCK_ENTRIES // max(k, 1))
        rows, cols, vals = [], [], []
        for start in range(0, k, step):
            block = emb[start:start + step] @ emb.T
            r, c = np.nonzero(block >= threshold)
            rows.append(r + start)
            cols.append(c)
            vals.append(block[r, c].astype(np.float64))
        w = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(k, k))
        return cls(labels, w, embeddings=emb, threshold=threshold, model=model, threshold_rule=rule)

    @classmethod
    def from_labels(cls, labels: Sequence[str], model: str | None = None, threshold: Threshold = DEFAULT_THRESHOLD,
                    batch_size: int = 32, *, cache_dir=None, progress: Optional[Progress] = None) -> "LabelGraph":
        """Embed the sorted set of ``labels`` with ``model`` (normalised) and build the thresholded graph.

        ``batch_size=32`` is the official encode batch size; with it ``W`` matches the official one exactly.
        ``threshold`` is a cosine or "auto" (see ``from_embeddings``).
        """
        from core.embed import DEFAULT_MODEL, cached_chunks, embed_texts

        model = model or DEFAULT_MODEL
        vocab = sorted({str(label) for label in labels})
        if not vocab:
            raise SiftError("no labels to build a label graph from")
        cached, total = cached_chunks(vocab, model, batch_size=batch_size, cache_dir=cache_dir)
        with one_torch_thread(cached < total):
            emb = embed_texts(vocab, model=model, batch_size=batch_size, cache_dir=cache_dir, progress=progress)
        return cls.from_embeddings(vocab, emb, threshold, model=model)

    # ----------------------------------------------------------------- structure
    def __len__(self) -> int:
        return len(self.labels)

    def __repr__(self) -> str:
        return f"LabelGraph({len(self)} labels, {self.n_edges} edges, threshold={self.threshold})"

    @property
    def degree(self) -> np.ndarray:
        """Number of neighbours of each label (non-zero off-diagonal entries of its row)."""
        w = self.weights.tocoo()
        return np.bincount(w.row[w.row != w.col], minlength=len(self)).astype(np.int64)

    @property
    def n_edges(self) -> int:
        """Number of undirected edges between distinct labels (off-diagonal non-zeros / 2 when symmetric)."""
        w = self.weights.tocoo()
        return int(np.count_nonzero(w.row < w.col))

    def neighbors(self, label: str) -> list[tuple[str, float]]:
        """``(neighbour, weight)`` pairs of ``label`` (itself excluded), heaviest first."""
        if label not in self.index:
            raise SiftError(f"label {label!r} is not in the label graph")
        i = self.index[label]
        lo, hi = self.weights.indptr[i], self.weights.indptr[i + 1]
        pairs = [(self.labels[j], float(v)) for j, v in zip(self.weights.indices[lo:hi], self.weights.data[lo:hi])
                 if j != i]
        return sorted(pairs, key=lambda p: (-p[1], p[0]))

    def propagation(self, prop_weight: float = 1.0) -> sp.csr_matrix:
        """P for ``prop_weight`` (:func:`core.information.propagation_matrix` of the weights), cached."""
        key = float(prop_weight)
        if key not in self._prop_cache:
            self._prop_cache[key] = propagation_matrix(self.weights, key)
        return self._prop_cache[key]

    # ----------------------------------------------------------------- samples on the graph
    def vectorize(self, label_sets: Sequence[Sequence[str]], quality, *, norm: bool = False) -> sp.csr_matrix:
        """V (N x K, CSR): row i holds ``quality[i]`` on each of its labels (``quality[i]/|L_i|`` if ``norm``).

        Duplicate labels within a record count once. Records with no labels give an empty row. A
        :class:`core.features.LabelSets` is read from its codes with array operations (the same V as the lists
        give, column indices sorted in each row). Raises InputError for a label outside the graph and for NaN,
        infinite or negative quality.
        """
        n = len(label_sets)
        q = check_quality(quality, n)
        if isinstance(label_sets, LabelSets):
            cols, lengths = self._coded_columns(label_sets)
        else:
            index = self.index
            lengths = np.empty(n, dtype=np.int64)
            flat: list[int] = []
            for i, labels in enumerate(label_sets):
                row = {index[label] if label in index else _unknown_label(i, label) for label in labels}
                lengths[i] = len(row)
                flat.extend(sorted(row))
            cols = np.asarray(flat, dtype=np.int64)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        per_label = q / np.maximum(lengths, 1) if norm else q
        data = np.repeat(per_label, lengths)
        return sp.csr_matrix((data, cols, indptr), shape=(n, len(self)))

    def _coded_columns(self, label_sets: LabelSets) -> tuple[np.ndarray, np.ndarray]:
        """(graph columns of every record, sorted and distinct within each record; labels per record)."""
        index = self.index
        to_column = np.array([index.get(label, -1) for label in label_sets.vocabulary], dtype=np.int64)
        n = len(label_sets)
        cols = to_column[label_sets.codes] if label_sets.codes.size else np.zeros(0, dtype=np.int64)
        unknown = np.flatnonzero(cols < 0)
        if unknown.size:
            first = int(unknown[0])
            i = int(np.searchsorted(label_sets.indptr, first, side="right")) - 1
            _unknown_label(i, label_sets.vocabulary[int(label_sets.codes[first])])
        rows = np.repeat(np.arange(n, dtype=np.int64), label_sets.lengths)
        keys = np.sort(rows * np.int64(len(self)) + cols)  # by record, then column
        if keys.size > 1:
            keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
        rows, cols = np.divmod(keys, np.int64(len(self)))
        return cols, np.bincount(rows, minlength=n).astype(np.int64)

    def propagate(self, label_sets: Sequence[Sequence[str]], quality, *, prop_weight: float = 1.0,
                  norm: bool = False) -> sp.csr_matrix:
        """H = V P (N x K, CSR, float64): each sample's information spread to neighbouring labels."""
        return propagate(self.vectorize(label_sets, quality, norm=norm), self.propagation(prop_weight))

    def label_information(self, label_sets: Sequence[Sequence[str]], quality, subset=None, **kwargs) -> np.ndarray:
        """Per-label information phi(z_k) of a set (:func:`core.information.label_information`); sums to E(S)."""
        return label_information(label_sets, quality, self, subset, **kwargs)


@contextmanager
def one_torch_thread(active: bool = True) -> Iterator[None]:
    """Torch's intra-op threads set to one for the block (restored after) when ``active``.

    A label vocabulary is thousands of two- or three-word texts: batches of 32 x ~6 tokens, whose matrix products
    are too small to gain from a second thread. With two threads each product ends at a barrier where the
    threads spin for each other, and on a shared machine the other thread is often descheduled: embedding 480
    such labels took 55 s with two threads and 5.4 s with one under a load average of 16 (the vectors are
    identical, tests/test_label_graph_threads.py). ``active=False`` (the vocabulary is cached, no model runs)
    does not import torch. The setting is process-wide while the block runs.
    """
    if not active:
        yield
        return
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def check_quality(quality, n: int) -> np.ndarray:
    """``quality`` as float64 (n,), or InputError naming the first record that is NaN/infinite/negative."""
    q = np.asarray(quality, dtype=np.float64).reshape(-1)
    if q.shape[0] != n:
        raise InputError(f"need one quality value per record: {n} records, {q.shape[0]} values", field="quality")
    bad = np.flatnonzero(~np.isfinite(q))
    if bad.size:
        raise InputError(f"quality of record {bad[0]} is {q[bad[0]]} ({bad.size} records have NaN or infinite "
                         "quality); fill or drop them first", field="quality")
    neg = np.flatnonzero(q < 0)
    if neg.size:
        raise InputError(f"quality of record {neg[0]} is negative ({q[neg[0]]}; {neg.size} records in all); "
                         "MIG needs quality >= 0", field="quality")
    return q


def _unknown_label(i: int, label: str) -> int:
    raise InputError(f"record {i} has label {label!r}, which is not in the label graph (in whitelist mode tags "
                     "outside the whitelist must be dropped first; otherwise rebuild the graph from these labels)",
                     field="labels")


def components(graph: LabelGraph) -> np.ndarray:
    """Connected-component id of each label (edges between distinct labels); ids ordered by size, largest 0."""
    from scipy.sparse.csgraph import connected_components

    _, comp = connected_components(graph.weights, directed=False)
    sizes = np.bincount(comp)
    order = sorted(range(len(sizes)), key=lambda c: (-sizes[c], int(np.flatnonzero(comp == c)[0])))
    rank = np.empty(len(sizes), dtype=np.int64)
    rank[order] = np.arange(len(sizes))
    return rank[comp]


def graph_stats(graph: LabelGraph, information: Optional[np.ndarray] = None, *, top_components: int = 5,
                labels_per_component: int = 5, top_labels: int = 10) -> dict:
    """Summary of a label graph, as plain JSON-ready values (used by ``python -m core graph`` and the page).

    Keys: ``labels``, ``threshold`` and ``threshold_rule`` (how T was chosen), ``model``, ``edges``
    (undirected, between distinct labels), ``mean_degree`` (2 * edges / labels), ``max_degree``,
    ``share_with_neighbour`` (labels with >= 1 neighbour / labels), ``isolated``, ``components`` (count, with
    singletons) and ``largest_components`` (the ``top_components`` largest: size and up to
    ``labels_per_component`` labels, most connected first). With ``information`` (phi(z_k) per label, e.g.
    ``LabelGraph.label_information`` of the pool), also ``information_total`` and ``top_labels`` (the
    ``top_labels`` most informative labels with their information and degree).
    """
    k = len(graph)
    degree = graph.degree
    edges = graph.n_edges
    comp = components(graph)
    sizes = np.bincount(comp)
    largest = []
    for c in range(min(top_components, len(sizes))):
        members = np.flatnonzero(comp == c)
        members = members[np.lexsort((members, -degree[members]))][:labels_per_component]
        largest.append({"size": int(sizes[c]), "labels": [graph.labels[i] for i in members]})
    out = {"labels": k, "threshold": None if graph.threshold is None else float(graph.threshold),
           "threshold_rule": graph.threshold_rule or ("weights given directly" if graph.threshold is None
                                                      else f"fixed: T = {graph.threshold:g}"),
           "model": graph.model, "edges": int(edges), "mean_degree": 2.0 * edges / k,
           "max_degree": int(degree.max()) if k else 0,
           "share_with_neighbour": float(np.count_nonzero(degree > 0)) / k,
           "isolated": int(np.count_nonzero(degree == 0)), "components": int(len(sizes)),
           "largest_components": largest}
    if information is not None:
        info = np.asarray(information, dtype=np.float64).reshape(-1)
        if info.shape[0] != k:
            raise SiftError(f"need one information value per label: {k} labels, {info.shape[0]} values")
        order = np.lexsort((np.arange(k), -info))[:top_labels]
        out["information_total"] = float(info.sum())
        out["top_labels"] = [{"label": graph.labels[i], "information": float(info[i]), "degree": int(degree[i])}
                             for i in order]
    return out
