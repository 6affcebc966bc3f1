"""Everything selectors and metrics need about one pool, in one call: embeddings, labels, label graph, quality.

``build_features`` is what the CLI and the app call; each stage (``embed_pool``, ``core.labels.extract_labels``,
``build_graph``, ``core.quality.quality_for``) can also be called alone. Progress is reported across the stages
through one ``progress(fraction, message)`` callback. The MIG inputs follow arXiv 2504.13835 (see core.labels,
core.label_graph, core.quality).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

import numpy as np

from core.errors import SiftError, InputError
from core.features import Features, Progress
from core.defaults import (DEFAULT_BACKEND, DEFAULT_BATCH_SIZE, DEFAULT_DEVICE, DEFAULT_LABELS, DEFAULT_MODEL,
                           DEFAULT_THRESHOLD_MODE, DEFAULT_TURNS, DEFAULT_VIEW, LABEL_SOURCES)
from core.label_graph import LabelGraph, Threshold
from core.labels import LabelResult, extract_labels
from core.quality import quality_for

LABEL_CHOICES = LABEL_SOURCES
# Share of the progress bar for each stage (embeddings dominate the run time).
_STAGES = {"embed": (0.0, 0.6), "labels": (0.6, 0.9), "graph": (0.9, 0.97), "quality": (0.97, 1.0)}


def _stage(progress: Optional[Progress], name: str) -> Optional[Progress]:
    """A callback mapping a stage's own 0..1 onto its share of the overall bar."""
    if progress is None:
        return None
    lo, hi = _STAGES[name]
    return lambda fraction, message: progress(lo + (hi - lo) * min(max(fraction, 0.0), 1.0), message)


def embed_pool(pool, *, model: Optional[str] = None, view: str = DEFAULT_VIEW, turns: str = DEFAULT_TURNS,
               embeddings: Union[None, str, np.ndarray] = None, cache_dir=None, batch_size: int = DEFAULT_BATCH_SIZE,
               use_cache: bool = True, progress: Optional[Progress] = None, backend: str = DEFAULT_BACKEND,
               device: str = DEFAULT_DEVICE) -> tuple[np.ndarray, str]:
    """``(embeddings, origin)``: given ones (array or .npy path), the pool's embedding column, or the model's.

    ``origin`` is "given", "column" or "model"; given or column vectors become one float32 array, normalised in
    place by ``core.vectors.unit_rows`` (what the selectors would compute on a copy, so ``Features.embeddings_unit``
    lets them use it as is: no second pool-sized array). The model's are cached per chunk on disk
    (``core.embed.embed_texts``), run by ``backend`` on ``device`` (see ``core.embed_backends``).
    """
    from core.embed import embed_texts, load_precomputed
    from core.vectors import unit_rows

    if embeddings is not None:  # load_precomputed returns a new array: normalising it in place touches no input
        return unit_rows(load_precomputed(embeddings, len(pool)), copy=False), "given"
    column = getattr(pool, "embedding_column", None)
    if column is not None:
        return unit_rows(load_precomputed(column, len(pool), name="embedding column"), copy=False), "column"
    texts = pool.texts(view=view, turns=turns)
    return embed_texts(texts, model=model or DEFAULT_MODEL, cache_dir=cache_dir, batch_size=batch_size,
                       use_cache=use_cache, progress=progress, backend=backend, device=device), "model"


def labels_need_embeddings(pool, labels: str) -> bool:
    """True when building labels from ``labels`` (a LABEL_CHOICES source) embeds the records' texts: automatic and
    zero-shot labels do, the data's tags do not."""
    if labels in ("none", "data"):
        return False
    if labels == "auto":
        tags = getattr(pool, "tags", None)
        return not (tags is not None and any(t for t in tags))
    return True


def build_graph(label_result: LabelResult, *, model: Optional[str] = None,
                threshold: Threshold = DEFAULT_THRESHOLD_MODE, cache_dir=None,
                progress: Optional[Progress] = None) -> Optional[LabelGraph]:
    """The label graph over the labels that occur (None when no record has a label).

    ``threshold``: "auto" (default; ``core.label_graph.auto_threshold``) or a cosine (0.9 is MIG's official).
    """
    if not label_result.vocabulary:
        return None
    return LabelGraph.from_labels(label_result.vocabulary, model=model, threshold=threshold, batch_size=32,
                                  cache_dir=cache_dir, progress=progress)


def build_features(pool, *, model: Optional[str] = None, view: str = DEFAULT_VIEW, turns: str = DEFAULT_TURNS,
                   embeddings: Union[None, str, np.ndarray] = None, labels: str = DEFAULT_LABELS, valid_tags=None,
                   tag_vocab=None, min_freq: int = 1, merge_threshold: Optional[float] = None,
                   graph_threshold: Threshold = DEFAULT_THRESHOLD_MODE, cache_dir=None,
                   need_embeddings: bool = True, need_graph: bool = True, batch_size: int = DEFAULT_BATCH_SIZE,
                   use_cache: bool = True, progress: Optional[Progress] = None, backend: str = DEFAULT_BACKEND,
                   device: str = DEFAULT_DEVICE, store: Union[bool, str, Path] = False) -> Features:
    """Features of ``pool``: embeddings of ``pool.texts(view, turns)``, texts, label sets, label graph, quality.

    ``labels``: "auto" (data tags if any, else automatic tags), "data", "auto_tags", "zero_shot" (closest tags of
    the JSON list ``tag_vocab``) or "none" (no labels and no graph); automatic and zero-shot labels read the same
    text view (``view``, ``turns``) as the embeddings. ``graph_threshold``: "auto" (default) or a cosine, see
    ``build_graph``. ``need_embeddings=False`` (a selector or metric that uses no vectors) reads no vectors and
    runs no model for the pool unless automatic or zero-shot labels need the model's vectors (then they are kept):
    ``embeddings`` is then None, and given / column vectors are not read. ``need_graph=False`` builds labels
    without their graph (InsTag's coverage and label coverage need no label embeddings). ``batch_size``,
    ``use_cache``, ``backend`` and ``device`` go to ``core.embed.embed_texts`` for the pool's vectors (label
    vocabularies are always embedded with torch). ``extra`` holds the LabelResult ("labels"), the QualityResult
    ("quality") and run settings, among them the T actually used ("graph_threshold", None only without a graph)
    and how it was chosen ("graph_threshold_rule"). ``store`` (default False): True keeps the labels and the label
    graph in the workspace (``$SIFT_HOME``; a path: that workspace) and reads them back on a later call with the
    same pool and settings (``core.workspace.derived``; the CLI unless ``--no-cache``, and the app); ``extra["stored"]``
    then says of "labels" and "graph" whether each was read back or computed.
    """
    model = model or DEFAULT_MODEL
    if labels not in LABEL_CHOICES:
        raise SiftError(f"labels must be one of {', '.join(LABEL_CHOICES)}, got {labels!r}")
    n = len(pool)
    if n == 0:
        raise SiftError("the pool is empty: nothing to build features for")
    # Whether vectors come with the pool, from the field map alone (building the column parses every record).
    given = embeddings is not None or getattr(getattr(pool, "fieldmap", None), "embedding", None) is not None
    if need_embeddings or (labels_need_embeddings(pool, labels) and not given):
        emb, origin = embed_pool(pool, model=model, view=view, turns=turns, embeddings=embeddings,
                                 cache_dir=cache_dir, batch_size=batch_size, use_cache=use_cache,
                                 progress=_stage(progress, "embed"), backend=backend, device=device)
    else:  # nothing here uses the vectors: no model is loaded for the pool
        emb, origin = None, None
    texts = pool.texts(view=view, turns=turns)
    label_result: Optional[LabelResult] = None
    graph = None
    stored: dict = {}  # with ``store``: whether labels and graph were read back from the workspace or computed
    if labels != "none":
        reuse = emb if origin == "model" else None  # same model and same text view as the labels
        compute_labels = lambda: extract_labels(  # noqa: E731
            pool, reuse, model=model, source=labels, valid_tags=valid_tags, view=view, turns=turns,
            tag_vocab=tag_vocab, min_freq=min_freq, merge_threshold=merge_threshold, cache_dir=cache_dir,
            progress=_stage(progress, "labels"))
        compute_graph = lambda: build_graph(label_result, model=model, threshold=graph_threshold,  # noqa: E731
                                            cache_dir=cache_dir, progress=_stage(progress, "graph"))
        if store:
            from core.workspace import derived

            root = None if store is True else store
            key = derived.labels_parts(pool, source=labels, model=model, view=view, turns=turns,
                                       valid_tags=valid_tags, tag_vocab=tag_vocab, min_freq=min_freq,
                                       merge_threshold=merge_threshold)
            label_result, stored["labels"] = derived.stored_labels(pool, key, compute_labels, root)
            if need_graph and label_result.vocabulary:
                graph, stored["graph"] = derived.stored_graph(
                    derived.graph_parts(key, model=model, threshold=graph_threshold), compute_graph,
                    label_result.vocabulary, root)
        else:
            label_result = compute_labels()
            if need_graph:
                graph = compute_graph()
    try:
        quality = quality_for(pool)
    except InputError as exc:
        # A missing/NaN/infinite quality value only stops what ranks by quality (Features.require raises this
        # error, naming the line); random, k-center and the other quality-free selectors still run.
        quality, quality_error = None, exc
    else:
        quality_error = None
    if progress:
        progress(1.0, f"Features ready: {n:,} records"
                      + (f", {len(graph):,} labels" if graph is not None else "")
                      + (" (quality is a heuristic proxy)" if quality is not None and quality.is_proxy else ""))
    extra = {"labels": label_result, "quality": quality, "quality_error": quality_error, "model": model,
             "view": view, "turns": turns,
             "source_file": str(pool.path) if getattr(pool, "path", None) is not None else getattr(pool, "name", None),
             "lines": getattr(pool, "lines", None), "stored": stored,
             "embedding_origin": origin, "embedding_backend": backend if origin == "model" else None,
             "graph_threshold": None if graph is None else float(graph.threshold),
             "graph_threshold_rule": graph.threshold_rule if graph is not None else
             "no label graph (not needed)" if label_result is not None and not need_graph else
             "no label graph (no labels)"}
    return Features(n=n, embeddings=emb, texts=texts,
                    label_sets=None if label_result is None else label_result.label_sets,
                    quality=None if quality is None else quality.values, graph=graph,
                    quality_is_proxy=quality is not None and quality.is_proxy, extra=extra,
                    embeddings_unit=origin in ("given", "column"))
