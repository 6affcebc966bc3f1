"""The per-pool inputs that selectors and metrics draw on, computed once and passed around together."""

from __future__ import annotations

from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

import numpy as np

#: Progress callback convention used across the core: ``progress(fraction_done, message)``.
Progress = Callable[[float, str], None]


class LabelSets(SequenceABC):
    """The labels of every record as integer codes into one vocabulary, read like a list of lists of strings.

    Record i's labels are ``vocabulary[c] for c in codes[indptr[i]:indptr[i + 1]]``, in their order. MIG's
    matrices and the label counts are built from ``indptr``/``codes`` directly, so a 1M-record pool keeps two
    arrays instead of a million lists; ``labels[i]`` and iteration give plain lists for the callers that read
    labels record by record, and a LabelSets equals the list of lists it stands for.
    """

    __slots__ = ("vocabulary", "indptr", "codes")

    def __init__(self, vocabulary: Sequence[str], indptr, codes) -> None:
        self.vocabulary = list(vocabulary)
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.codes = np.asarray(codes, dtype=np.int32)
        if self.indptr.ndim != 1 or self.indptr.size == 0 or self.indptr[0] != 0 or \
                self.indptr[-1] != self.codes.size or np.any(np.diff(self.indptr) < 0):
            raise ValueError("indptr must start at 0, never decrease and end at the number of codes")
        if self.codes.size and (int(self.codes.min()) < 0 or int(self.codes.max()) >= len(self.vocabulary)):
            raise ValueError("label codes must index the vocabulary")

    @classmethod
    def from_lists(cls, label_sets: Iterable[Iterable[str]], vocabulary: Optional[Sequence[str]] = None
                   ) -> "LabelSets":
        """Codes of ``label_sets`` (kept as given, duplicates too); the vocabulary is ``vocabulary`` (every label
        must be in it) or the labels in first-seen order."""
        index: dict = {} if vocabulary is None else {label: i for i, label in enumerate(vocabulary)}
        lengths: list[int] = []
        codes: list[int] = []
        if vocabulary is None:
            setdefault = index.setdefault
            for labels in label_sets:
                row = [setdefault(label, len(index)) for label in labels]
                lengths.append(len(row))
                codes.extend(row)
        else:
            for labels in label_sets:
                row = [index[label] for label in labels]
                lengths.append(len(row))
                codes.extend(row)
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        return cls(list(index) if vocabulary is None else vocabulary, indptr, np.asarray(codes, dtype=np.int32))

    @property
    def lengths(self) -> np.ndarray:
        """Number of labels of each record (int64)."""
        return np.diff(self.indptr)

    def counts(self) -> np.ndarray:
        """Occurrences of each vocabulary label (int64, aligned with ``vocabulary``)."""
        return np.bincount(self.codes, minlength=len(self.vocabulary)).astype(np.int64)

    def take(self, rows) -> "LabelSets":
        """Records ``rows`` (in that order) as a new LabelSets over the same vocabulary."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        starts = self.indptr[:-1][rows]
        lengths = self.indptr[1:][rows] - starts
        indptr = np.zeros(rows.size + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        pos = np.repeat(starts - indptr[:-1], lengths) + np.arange(int(indptr[-1]), dtype=np.int64)
        return LabelSets(self.vocabulary, indptr, self.codes[pos])

    def __len__(self) -> int:
        return self.indptr.size - 1

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.take(np.arange(len(self))[i])
        n = len(self)
        i = int(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"record {i} is outside the {n} label sets")
        vocab = self.vocabulary
        return [vocab[c] for c in self.codes[self.indptr[i]:self.indptr[i + 1]].tolist()]

    def __iter__(self) -> Iterator[list[str]]:
        vocab = self.vocabulary
        names = [vocab[c] for c in self.codes.tolist()]
        bounds = self.indptr.tolist()
        for a, b in zip(bounds[:-1], bounds[1:]):
            yield names[a:b]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LabelSets):
            return (self.vocabulary == other.vocabulary and np.array_equal(self.indptr, other.indptr)
                    and np.array_equal(self.codes, other.codes)) or list(self) == list(other)
        if isinstance(other, SequenceABC) and not isinstance(other, (str, bytes)):
            return len(self) == len(other) and all(list(a) == list(b) for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable arrays, like a list

    def __repr__(self) -> str:
        return f"LabelSets({len(self):,} records, {len(self.vocabulary):,} labels, {self.codes.size:,} codes)"

    def __getstate__(self):
        return self.vocabulary, self.indptr, self.codes

    def __setstate__(self, state) -> None:
        self.vocabulary, self.indptr, self.codes = state

EMBEDDINGS = "embeddings"
TEXTS = "texts"
LABELS = "labels"
QUALITY = "quality"
GRAPH = "graph"
REFERENCE = "reference"
NEEDS = (EMBEDDINGS, TEXTS, LABELS, QUALITY, GRAPH, REFERENCE)

_NEED_HELP = {
    EMBEDDINGS: "embeddings (embed the pool first)",
    TEXTS: "the record texts",
    LABELS: "labels per record (a tags column, InsTag annotations, or automatic tags)",
    QUALITY: "a quality score per record (a quality column, DEITA scores, or the heuristic proxy)",
    GRAPH: "the label graph (built from the labels)",
    REFERENCE: "a reference set of embeddings (e.g. examples of the target task)",
}


@dataclass
class Features:
    """Everything a selector or metric may need about one pool (or subset), aligned by row.

    ``embeddings`` are float32 with unit rows; ``quality`` is float64; ``label_sets[i]`` is the list of
    labels of row i (a :class:`LabelSets` when they come from ``core.labels``); ``graph`` is a
    :class:`core.label_graph.LabelGraph`; ``reference`` holds embeddings of a user reference set (not rows of
    the pool). ``embeddings_unit`` is True when the embeddings already are ``core.vectors.unit_rows`` output (the
    pipeline normalised its own loaded copy in place), so selectors use them as they are instead of normalising
    a second copy (re-normalising would also change last bits).
    """

    n: int
    embeddings: Optional[np.ndarray] = None
    texts: Optional[Sequence[str]] = None
    label_sets: Optional[Sequence[Sequence[str]]] = None
    quality: Optional[np.ndarray] = None
    graph: Any = None  # a core.label_graph.LabelGraph; not imported: label_graph and embed import this module
    reference: Optional[np.ndarray] = None
    quality_is_proxy: bool = False
    extra: dict = field(default_factory=dict)
    embeddings_unit: bool = False

    def has(self, need: str) -> bool:
        """True when the input ``need`` (one of NEEDS) is available."""
        value = {EMBEDDINGS: self.embeddings, TEXTS: self.texts, LABELS: self.label_sets,
                 QUALITY: self.quality, GRAPH: self.graph, REFERENCE: self.reference}[need]
        return value is not None

    def require(self, needs: Sequence[str], what: str) -> None:
        """Raise MissingNeedError naming every need of ``what`` that is missing."""
        from core.errors import MissingNeedError

        missing = [n for n in needs if not self.has(n)]
        if QUALITY in missing and self.extra.get("quality_error") is not None:
            raise self.extra["quality_error"]  # the pool's quality column has a bad value: name its line
        if missing:
            raise MissingNeedError(f"{what} needs " + "; ".join(_NEED_HELP[m] for m in missing))

    def subset(self, indices: Sequence[int]) -> "Features":
        """Rows ``indices`` of every per-row input (graph and reference are shared)."""
        idx = np.asarray(indices, dtype=np.int64)
        pick = lambda seq: None if seq is None else [seq[i] for i in idx]  # noqa: E731
        return replace(
            self,
            n=len(idx),
            embeddings=None if self.embeddings is None else self.embeddings[idx],
            texts=pick(self.texts),
            label_sets=None if self.label_sets is None else take_rows(self.label_sets, idx),
            quality=None if self.quality is None else self.quality[idx],
        )


def take_rows(label_sets: Sequence[Sequence[str]], idx: np.ndarray) -> Sequence[Sequence[str]]:
    """Rows ``idx`` of ``label_sets``: its own ``take`` when it has one (:class:`LabelSets`: codes, no per-record
    lists), else a list."""
    take = getattr(label_sets, "take", None)
    return take(idx) if callable(take) else [label_sets[i] for i in idx]


def with_graph_threshold(features: Features, threshold: Any) -> Features:
    """The same features with only the label graph rebuilt at ``threshold`` ("auto" or a cosine).

    Embeddings, labels and quality are shared (nothing is re-embedded); caches in ``extra`` that may depend on the
    graph are dropped, and ``extra`` records the new T and its rule, as ``core.pipeline.build_features`` does.
    Raises SiftError when the graph carries no label embeddings to rebuild from.
    """
    from core.errors import SiftError

    g = features.graph
    if g is None or g.embeddings is None:
        raise SiftError("this label graph has no label embeddings, so its threshold cannot change")
    graph = type(g).from_embeddings(g.labels, g.embeddings, threshold, model=g.model)
    extra = {k: v for k, v in features.extra.items() if "cache" not in k}
    extra["graph_threshold"] = float(graph.threshold)
    extra["graph_threshold_rule"] = graph.threshold_rule
    return replace(features, graph=graph, extra=extra)
