"""Named clusters: each cluster labelled by its most characteristic labels or words (class-based TF-IDF).

Class-based TF-IDF (as in BERTopic, Grootendorst 2022) treats all records of a cluster as one document:
``tf[c, t]`` = how often term t occurs in cluster c divided by the cluster's total term count, and
``idf[t] = log(1 + A / f[t])`` with ``f[t]`` the term's count over all clusters and ``A`` the mean term count per
cluster. A cluster's name is its ``top_n`` terms by ``tf * idf``. Terms are the records' labels (each label once
per record) when the pool has labels, else words of the texts (lowercase, English stop words removed, words seen
in fewer than ``min_records`` records of the cluster left out). Callers cache the result (it depends only on the
cluster ids and the labels/texts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from core.errors import SiftError

SOURCES = ("labels", "words")


@dataclass(frozen=True)
class ClusterName:
    """One cluster: its id, record count, top terms (best first) with their c-TF-IDF scores, and a short name."""

    cluster: int
    size: int
    terms: tuple[str, ...]
    scores: tuple[float, ...]
    source: str

    @property
    def name(self) -> str:
        """The top terms joined with ' · ' ('(no terms)' when the cluster has none)."""
        return " · ".join(self.terms) if self.terms else "(no terms)"


def _label_matrix(label_sets: Sequence[Sequence[str]]):
    from scipy import sparse

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, labels in enumerate(label_sets):
        for lab in dict.fromkeys(labels or ()):  # each label once per record, first-seen order
            rows.append(i)
            cols.append(vocab.setdefault(lab, len(vocab)))
    X = sparse.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(label_sets), len(vocab)))
    return X, list(vocab)


def _word_matrix(texts: Sequence[str]):
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(lowercase=True, stop_words="english", token_pattern=r"(?u)\b[^\W\d_][\w'-]*[^\W_]\b",
                          binary=True, dtype=np.float64)
    try:
        X = vec.fit_transform(texts)
    except ValueError:  # every text empty or only stop words
        from scipy import sparse

        return sparse.csr_matrix((len(texts), 0)), []
    return X.tocsr(), vec.get_feature_names_out().tolist()


def ctfidf(counts: np.ndarray) -> np.ndarray:
    """Class-based TF-IDF of a (clusters x terms) count matrix (dense float64)."""
    counts = np.asarray(counts, dtype=np.float64)
    totals = counts.sum(axis=1, keepdims=True)
    tf = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    f = counts.sum(axis=0)
    mean_words = counts.sum() / max(counts.shape[0], 1)
    idf = np.log1p(np.divide(mean_words, f, out=np.zeros_like(f), where=f > 0))
    return tf * idf


def name_clusters(cluster_ids: Sequence[int], *, label_sets: Optional[Sequence[Sequence[str]]] = None,
                  texts: Optional[Sequence[str]] = None, top_n: int = 3, min_records: int = 2) -> list[ClusterName]:
    """A :class:`ClusterName` per cluster id 0..max(cluster_ids), in id order.

    Terms come from ``label_sets`` when given (and some record has a label), else from the words of ``texts``.
    ``top_n``: terms per name (default 3). ``min_records``: a term must occur in at least this many records of a
    cluster to name it (default 2; clusters smaller than that may use terms of a single record).
    """
    ids = np.asarray(cluster_ids, dtype=np.int64).reshape(-1)
    if ids.size and ids.min() < 0:
        raise SiftError("cluster ids must be non-negative")
    if isinstance(top_n, bool) or not isinstance(top_n, (int, np.integer)) or top_n < 1:
        raise SiftError(f"top_n must be a positive integer, got {top_n!r}")
    if label_sets is not None and any(label_sets):
        if len(label_sets) != ids.size:
            raise SiftError(f"got {len(label_sets)} label sets for {ids.size} cluster ids")
        X, vocab = _label_matrix(label_sets)
        source = "labels"
    elif texts is not None:
        if len(texts) != ids.size:
            raise SiftError(f"got {len(texts)} texts for {ids.size} cluster ids")
        X, vocab = _word_matrix(texts)
        source = "words"
    else:
        raise SiftError("naming clusters needs labels or texts")
    k = int(ids.max()) + 1 if ids.size else 0
    sizes = np.bincount(ids, minlength=k)
    from scipy import sparse

    member = sparse.csr_matrix((np.ones(ids.size), (ids, np.arange(ids.size))), shape=(k, ids.size))
    counts = np.asarray((member @ X).todense()) if X.shape[1] else np.zeros((k, 0))
    scores = ctfidf(counts)
    out = []
    for c in range(k):
        need = min(min_records, int(sizes[c]))
        s = np.where(counts[c] >= max(need, 1), scores[c], 0.0) if counts.shape[1] else scores[c]
        top = [t for t in np.lexsort((np.arange(s.size), -s))[:top_n] if s[t] > 0]
        out.append(ClusterName(c, int(sizes[c]), tuple(vocab[t] for t in top), tuple(float(s[t]) for t in top),
                               source))
    return out


def cluster_centres(xy: np.ndarray, cluster_ids: Sequence[int]) -> np.ndarray:
    """(k, 2) median map position of each cluster's points (NaN for an empty cluster): where to write its name."""
    xy = np.asarray(xy, dtype=np.float64)
    ids = np.asarray(cluster_ids, dtype=np.int64).reshape(-1)
    if xy.ndim != 2 or xy.shape != (ids.size, 2):
        raise SiftError(f"coordinates of shape {xy.shape} do not match {ids.size} cluster ids")
    k = int(ids.max()) + 1 if ids.size else 0
    out = np.full((k, 2), np.nan)
    order = np.argsort(ids, kind="stable")
    bounds = np.searchsorted(ids[order], np.arange(k + 1))
    for c in range(k):
        rows = order[bounds[c]:bounds[c + 1]]
        if rows.size:
            out[c] = np.median(xy[rows], axis=0)
    return out
