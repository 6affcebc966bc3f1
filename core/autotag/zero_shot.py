"""Zero-shot tagging against a user-supplied tag vocabulary (e.g. InsTag's ``valid_tag_path.json``).

Each tag is embedded with the same sentence-transformers model as the records; a record's tags are the vocabulary
entries with the highest cosine to its embedding (:func:`zero_shot_tags`):

* the best tag when its cosine is at least ``min_similarity``;
* further tags, best first, up to ``top_k`` in all, while their cosine is at least ``min_similarity`` and within
  ``margin`` of the best one.

Defaults (``top_k=3``, ``min_similarity=0.35``, ``margin=0.15``), measured with all-MiniLM-L6-v2 on the bundled
sample (455 records) against InsTag's 4,531-tag vocabulary: a record's best tag has cosine 0.35-0.71 (5th-95th
percentile, median 0.49), so 0.35 leaves about 5% of records (greetings, very short or off-vocabulary requests)
untagged rather than giving them a loosely related tag; the best and third-best tags differ by 0.06 at the median
and 0.11 at the 75th percentile, so a 0.15 margin keeps the two or three tags that fit about as well as the best
(an InsTag record has a few tags: "coffee", "poem", "poetry write" for "Write a short poem about coffee.") and drops
the tail of loosely related ones. ``top_k=3`` matches the 3-5 labels of the automatic tagger's lower end.
A record with no tag above ``min_similarity`` keeps an empty list (MIG skips it). The labels are the vocabulary's
own strings (normalised), so MIG works in an InsTag-style label space. Deterministic: ties go to the vocabulary's
sorted order.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from core.errors import SiftError

DEFAULT_TOP_K = 3
DEFAULT_MIN_SIMILARITY = 0.35
DEFAULT_MARGIN = 0.15


def zero_shot_tags(doc_embeddings: np.ndarray, vocabulary: Sequence[str], *, model: Optional[str] = None,
                   top_k: int = DEFAULT_TOP_K, min_similarity: float = DEFAULT_MIN_SIMILARITY,
                   margin: float = DEFAULT_MARGIN, tag_embeddings: Optional[np.ndarray] = None, cache_dir=None,
                   block: int = 2048) -> tuple[list[list[str]], dict]:
    """``(label_sets, info)``: the vocabulary tags that fit each record best (see the module docstring).

    ``doc_embeddings``: unit rows, one per record; ``vocabulary``: distinct tag strings; ``tag_embeddings`` (unit
    rows, one per tag) skips embedding the tags. ``info`` holds the settings, the vocabulary size, the records
    left without a tag and the embedding of every tag (for later merging / the label graph).
    """
    if top_k < 1:
        raise SiftError(f"top_k must be at least 1, got {top_k}")
    if not -1.0 <= min_similarity <= 1.0:
        raise SiftError(f"min_similarity must be in [-1, 1], got {min_similarity}")
    if margin < 0:
        raise SiftError(f"margin must be >= 0, got {margin}")
    tags = sorted(dict.fromkeys(vocabulary))
    if not tags:
        raise SiftError("the tag vocabulary is empty")
    docs = np.asarray(doc_embeddings, dtype=np.float32)
    if docs.ndim != 2:
        raise SiftError(f"need a 2-D array of record embeddings, got shape {docs.shape}")
    if tag_embeddings is None:
        from core.embed import DEFAULT_MODEL, embed_texts

        emb = embed_texts(tags, model=model or DEFAULT_MODEL, batch_size=256, cache_dir=cache_dir)
    else:
        emb = np.asarray(tag_embeddings, dtype=np.float32)
        if emb.shape != (len(tags), docs.shape[1]):
            raise SiftError(f"need one tag embedding per tag: {len(tags)} tags, embeddings shape {emb.shape}")
    k = min(top_k, len(tags))
    sets: list[list[str]] = []
    for start in range(0, docs.shape[0], block):
        sims = docs[start:start + block] @ emb.T
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < len(tags) else np.tile(np.arange(len(tags)),
                                                                                           (sims.shape[0], 1))
        s_top = np.take_along_axis(sims, part, axis=1)
        order = np.lexsort((part, -s_top), axis=1)  # best first, ties to the lower (sorted) tag index
        part, s_top = np.take_along_axis(part, order, axis=1), np.take_along_axis(s_top, order, axis=1)
        keep = (s_top >= min_similarity) & (s_top >= s_top[:, :1] - margin)
        sets.extend([tags[j] for j, ok in zip(row, oks) if ok] for row, oks in zip(part, keep))
    info = {"vocabulary_size": len(tags), "top_k": top_k, "min_similarity": min_similarity, "margin": margin,
            "untagged_records": sum(1 for row in sets if not row),
            "embeddings": dict(zip(tags, emb))}
    return sets, info
