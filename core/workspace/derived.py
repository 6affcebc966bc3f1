"""Automatic labels and the label graph kept in the workspace beside the map coordinates, so a server restart or
another CLI call reads them back instead of re-tagging the pool and re-embedding its label vocabulary:
``$SIFT_HOME/arrays/labels/<key>.npz`` and ``$SIFT_HOME/arrays/label_graph/<key>.npz``.

Keys (:func:`labels_parts`, :func:`graph_parts`) hold everything the result depends on: the pool (its catalogue
id: file SHA-256, how it was read, record count), the label source, model, text view, turns, tag lists (by
content digest), clean-up settings, and for the graph the labels' key and the requested threshold; sift's version
is added by :func:`core.workspace.arrays.array_key`. A file is one ``.npz`` (no pickles) written with
``core.fileio.atomic_write``; on read it is checked (arrays, shapes, label indices, a LabelGraph that constructs)
and a bad file is recomputed and rewritten with an :class:`~core.workspace.arrays.ArrayCacheWarning`. An
unwritable workspace warns and the computed result is used all the same. ``core.pipeline.build_features(...,
store=True)`` uses this for the CLI and the app alike (one path).
"""

from __future__ import annotations

import hashlib
import io
import json
import warnings
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Union

import numpy as np

from core.errors import SiftError
from core.fileio import atomic_write
from core.workspace.arrays import ArrayCacheWarning, array_path

LABELS_KIND, GRAPH_KIND = "labels", "label_graph"
#: How many stored entries were read back / computed in this process (by kind): tests and the app's captions.
COUNTS: dict[str, int] = {}


def _count(what: str) -> None:
    COUNTS[what] = COUNTS.get(what, 0) + 1


def _digest_of(value: Any) -> Optional[str]:
    """A content digest of a tag list given as a file path or an iterable of strings (None when not given)."""
    if value is None:
        return None
    if isinstance(value, (str, Path)):
        try:
            return hashlib.sha256(Path(value).read_bytes()).hexdigest()
        except OSError:
            return f"unreadable:{value}"  # extract_labels raises its own clear error for it
    return hashlib.sha256(json.dumps(sorted(str(v) for v in value)).encode("utf-8")).hexdigest()


def labels_parts(pool: Any, *, source: str, model: str, view: str, turns: str, valid_tags: Any = None,
                 tag_vocab: Any = None, min_freq: int = 1, merge_threshold: Optional[float] = None) -> dict:
    """The key parts of ``pool``'s labels from ``source`` with these settings (what core.labels.extract_labels
    reads: the pool's records, and for automatic / zero-shot labels the model's vectors of the text view)."""
    from core.workspace.catalogue import pool_id
    from core.workspace.record import pool_entry

    return {"pool": pool_id(pool_entry(pool)), "source": source, "model": model, "view": view, "turns": turns,
            "valid_tags": _digest_of(valid_tags), "tag_vocab": _digest_of(tag_vocab), "min_freq": int(min_freq),
            "merge_threshold": None if merge_threshold is None else float(merge_threshold)}


def graph_parts(labels_key: Mapping[str, Any], *, model: str, threshold: Any) -> dict:
    """The key parts of the label graph over the labels keyed by ``labels_key`` at the requested ``threshold``
    ("auto" or a cosine)."""
    t = threshold if isinstance(threshold, str) else f"{float(threshold):.6f}"
    return {"labels": dict(labels_key), "model": model, "threshold": t}


# ----------------------------------------------------------------------------- encoding
def _npz(**arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _text(value: Any) -> np.ndarray:
    return np.array(json.dumps(value, sort_keys=True, default=str))


def encode_labels(result: Any) -> bytes:
    """A LabelResult as one ``.npz``: the vocabulary, label indices per record (CSR), source and report."""
    from core.features import LabelSets

    vocab = list(result.vocabulary)
    sets = result.label_sets
    if isinstance(sets, LabelSets) and sets.vocabulary == vocab:  # already codes into this vocabulary
        indptr, flat = sets.indptr, sets.codes.astype(np.int64)
    else:
        index = {label: i for i, label in enumerate(vocab)}
        lengths = np.fromiter((len(row) for row in sets), dtype=np.int64, count=len(sets))
        indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        flat = np.fromiter((index[label] for row in sets for label in row), dtype=np.int64, count=int(indptr[-1]))
    return _npz(vocabulary=np.array(vocab, dtype=str) if vocab else np.zeros(0, dtype="<U1"), indptr=indptr,
                indices=flat, meta=_text({"source": result.source, "report": result.report}))


def decode_labels(data: Any, n: int) -> Any:
    """The LabelResult stored by :func:`encode_labels` for a pool of ``n`` records; SiftError when it is not."""
    from core.features import LabelSets
    from core.labels import LabelResult

    vocab = [str(v) for v in data["vocabulary"].tolist()]
    indptr, flat = data["indptr"], data["indices"]
    if indptr.dtype.kind != "i" or flat.dtype.kind != "i" or indptr.shape != (n + 1,):
        raise SiftError(f"label index arrays do not fit {n} records")
    if indptr[0] != 0 or np.any(np.diff(indptr) < 0) or indptr[-1] != len(flat):
        raise SiftError("label offsets are not increasing")
    if len(flat) and (flat.min() < 0 or flat.max() >= len(vocab)):
        raise SiftError("a label index is outside the vocabulary")
    if vocab != sorted(set(vocab)):
        raise SiftError("the vocabulary is not sorted and unique")
    meta = json.loads(str(data["meta"]))
    sets = LabelSets(vocab, indptr, flat)  # codes, read like lists (no per-record list at 1M rows)
    per_label = sets.counts()
    if per_label.size and int(per_label.min()) == 0:
        raise SiftError("the vocabulary does not match the labels")
    counts = dict(zip(vocab, per_label.tolist()))
    return LabelResult(sets, str(meta["source"]), vocab, counts, dict(meta["report"]))


def encode_graph(graph: Any) -> bytes:
    """A LabelGraph as one ``.npz``: labels, weights (CSR), label embeddings, threshold, its rule and model."""
    w = graph.weights.tocsr()
    emb = graph.embeddings if graph.embeddings is not None else np.zeros((0, 0), np.float32)
    return _npz(labels=np.array(graph.labels, dtype=str), data=w.data, indices=w.indices, indptr=w.indptr,
                embeddings=np.asarray(emb, dtype=np.float32),
                meta=_text({"threshold": None if graph.threshold is None else float(graph.threshold),
                            "rule": graph.threshold_rule, "model": graph.model,
                            "has_embeddings": graph.embeddings is not None}))


def decode_graph(data: Any) -> Any:
    """The LabelGraph stored by :func:`encode_graph` (its constructor checks weights); SiftError when broken."""
    import scipy.sparse as sp

    from core.label_graph import LabelGraph

    labels = [str(v) for v in data["labels"].tolist()]
    k = len(labels)
    meta = json.loads(str(data["meta"]))
    emb = data["embeddings"] if meta.get("has_embeddings") else None
    if emb is not None and (emb.dtype != np.float32 or emb.ndim != 2 or emb.shape[0] != k
                            or not np.isfinite(emb).all()):
        raise SiftError(f"label embeddings have shape {emb.shape} / dtype {emb.dtype} for {k} labels")
    try:
        w = sp.csr_matrix((data["data"], data["indices"], data["indptr"]), shape=(k, k))
    except ValueError as exc:
        raise SiftError(f"label graph weights: {exc}") from None
    return LabelGraph(labels, w, embeddings=emb, threshold=meta.get("threshold"), model=meta.get("model"),
                      threshold_rule=meta.get("rule"))


# ----------------------------------------------------------------------------- store
def _path(kind: str, parts: Mapping[str, Any], root: Union[None, str, Path]) -> Path:
    return array_path(kind, parts, root).with_suffix(".npz")


READ, COMPUTED = "read back from the workspace", "computed"


def stored(kind: str, parts: Mapping[str, Any], compute: Callable[[], Any], encode: Callable[[Any], bytes],
           decode: Callable[[Any], Any], root: Union[None, str, Path] = None) -> tuple[Any, str]:
    """``(object, READ or COMPUTED)``: the object of ``kind`` keyed by ``parts``, decoded from its workspace file if
    that is usable, else ``compute()``, stored (atomically). A file that fails to decode is recomputed with a
    warning."""
    path = _path(kind, parts, root)
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as data:
                value = decode(data)
        except (OSError, ValueError, KeyError, EOFError, TypeError, SiftError) as exc:
            warnings.warn(f"stored {kind} {path} is unusable ({exc}); recomputing it", ArrayCacheWarning,
                          stacklevel=2)
        else:
            _count(f"{kind}:read")
            return value, READ
    value = compute()
    _count(f"{kind}:computed")
    if value is None:
        return None, COMPUTED
    try:
        blob = encode(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, blob)
    except (OSError, SiftError) as exc:
        warnings.warn(f"cannot store the {kind} in the workspace ({exc}); it will be recomputed next time",
                      ArrayCacheWarning, stacklevel=2)
    return value, COMPUTED


def stored_labels(pool: Any, parts: Mapping[str, Any], compute: Callable[[], Any],
                  root: Union[None, str, Path] = None) -> tuple[Any, str]:
    """``(compute(), READ or COMPUTED)`` (a core.labels.LabelResult of ``pool``) kept in the workspace under ``parts``
    (:func:`labels_parts`)."""
    n = len(pool)
    return stored(LABELS_KIND, parts, compute, encode_labels, lambda data: decode_labels(data, n), root)


def stored_graph(parts: Mapping[str, Any], compute: Callable[[], Any], vocabulary: Any,
                 root: Union[None, str, Path] = None) -> tuple[Any, str]:
    """``(compute(), READ or COMPUTED)`` (a LabelGraph, or None without labels) kept in the workspace under ``parts``
    (:func:`graph_parts`); a stored graph whose labels are not ``vocabulary`` is recomputed."""
    want = sorted(str(v) for v in vocabulary)

    def decode(data):
        graph = decode_graph(data)
        if graph.labels != want:
            raise SiftError("its labels are not the labels' vocabulary")
        return graph

    return stored(GRAPH_KIND, parts, compute, encode_graph, decode, root)


def entry_path(kind: str, parts: Mapping[str, Any], root: Union[None, str, Path] = None) -> Path:
    """Where the entry of ``kind`` (LABELS_KIND or GRAPH_KIND) keyed by ``parts`` is (or would be) stored."""
    return _path(kind, parts, root)
