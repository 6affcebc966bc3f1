"""The per-pool inputs that selectors and metrics draw on, computed once and passed around together."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional, Sequence

import numpy as np

#: Progress callback convention used across the core: ``progress(fraction_done, message)``.
Progress = Callable[[float, str], None]

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
    labels of row i; ``graph`` is a :class:`core.label_graph.LabelGraph`; ``reference`` holds embeddings of
    a user reference set (not rows of the pool). ``embeddings_unit`` is True when the embeddings already are
    ``core.vectors.unit_rows`` output (the pipeline normalised its own loaded copy in place), so selectors use
    them as they are instead of normalising a second copy (re-normalising would also change last bits).
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
            label_sets=pick(self.label_sets),
            quality=None if self.quality is None else self.quality[idx],
        )


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
