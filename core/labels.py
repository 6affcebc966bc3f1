"""Labels per record for MIG (arXiv 2504.13835): tags from the data, or automatic intent tags, then clean-up.

Sources, in order of preference (``source="auto"``): MIG/Tulu ``annotation.instag.content`` or a tags column (both
arrive as ``Pool.tags``), else automatic tags. MIG itself uses #InsTag tags (Lu et al. 2023, arXiv 2308.07074):
fine-grained intent labels such as "python programming", "math word problem", "sentiment analysis", "role play",
written by an LLM tagger. Without an LLM, the automatic tags here give each record 3-5 labels of two kinds, from
one shared vocabulary (the label graph needs labels that repeat across records): InsTag-style intent labels and
KeyBERT-style topic phrases (Grootendorst 2020); the method is described in ``core.autotag`` (:func:`auto_tags`).

Clean-up follows the #InsTag normalisation steps that MIG's baseline uses, in this order: lowercase / strip /
collapse spaces; optional whitelist (a JSON list of tags, the format of the official ``configs/valid_tag_path.json``;
tags outside it are dropped, as the official loader does); merging of near-synonyms (pairs with embedding cosine
>= ``merge_threshold`` joined by union-find; the canonical tag is the most frequent); then a minimum frequency.
Defaults keep data tags as given (``min_freq=1``, no merging: the official MIG pipeline does no clean-up beyond the
whitelist). Records left with no label keep an empty list; they are counted in ``report`` and MIG skips them.

``source="zero_shot"`` tags each record with the entries of a user-supplied tag vocabulary (``tag_vocab``: a JSON
list of strings such as InsTag's ``valid_tag_path.json``) closest to it in embedding space
(``core.autotag.zero_shot``), so MIG can work in an InsTag-style label space without an LLM tagger.

Automatic and zero-shot labels are computed from the text view the caller chose (``view``, ``turns`` as in
``Pool.texts``); ``report["settings"]`` records the source, view and turns (select manifests show them).

This module keeps the label API (sources, :class:`LabelResult`, normalisation, whitelist, synonym merging,
:func:`clean_labels`, :func:`extract_labels`) and re-exports the automatic-tag names that callers import from it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional, Sequence, Union

import numpy as np

from core.autotag.assign import assign_tags, auto_tags
from core.autotag.intents import INTENTS, Intent, choose_intents, intent_cues, intent_vectors
from core.autotag.phrases import (EDGE_WORDS, GENERIC_WORDS, INSTRUCTION_STOP_WORDS, boilerplate_segments,
                                  candidate_phrases, candidate_vocabulary, directive_zone, doc_phrases, stop_words,
                                  topicality)
from core.errors import SiftError, InputError, MissingNeedError
from core.features import Progress
from core.label_synonyms import synonym_groups

if TYPE_CHECKING:  # types only
    from core.data.pool import Pool

__all__ = [
    # label API (defined here)
    "SOURCES", "LabelResult", "normalize_label", "load_whitelist", "clean_labels", "extract_labels",
    # re-exported: near-synonym merging (core.label_synonyms)
    "synonym_groups",
    # re-exported: automatic tags (core.autotag)
    "auto_tags", "assign_tags", "Intent", "INTENTS", "intent_cues", "intent_vectors", "choose_intents",
    "INSTRUCTION_STOP_WORDS", "EDGE_WORDS", "GENERIC_WORDS", "stop_words", "candidate_phrases", "directive_zone",
    "boilerplate_segments", "doc_phrases", "candidate_vocabulary", "topicality",
]

SOURCES = ("auto", "data", "auto_tags", "zero_shot")


@dataclass
class LabelResult:
    """Per-record label lists, where they came from, the sorted vocabulary, and what clean-up did."""

    label_sets: list[list[str]]
    source: str
    vocabulary: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    report: dict = field(default_factory=dict)

    @property
    def n_empty(self) -> int:
        """Number of records left with no label."""
        return sum(1 for labels in self.label_sets if not labels)


# ------------------------------------------------------------------------------------------- clean-up
def normalize_label(tag: object) -> str:
    """Lowercase, strip and collapse inner whitespace (``"  Python  Code "`` -> ``"python code"``)."""
    return " ".join(str(tag).lower().split())


def load_whitelist(valid_tags: Union[str, Path, Iterable[str]]) -> set[str]:
    """The normalised whitelist from a JSON file holding a list of strings, or from an iterable of tags."""
    if isinstance(valid_tags, (str, Path)):
        path = Path(valid_tags)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the tag whitelist: {exc}", file=str(path)) from exc
        except json.JSONDecodeError as exc:
            raise InputError(f"the tag whitelist is not valid JSON: {exc.msg}", file=str(path),
                             line=exc.lineno) from exc
        if not isinstance(data, list) or not all(isinstance(t, str) for t in data):
            raise InputError("the tag whitelist must be a JSON list of strings, like "
                             '["mathematics", "python programming"]', file=str(path))
    else:
        data = list(valid_tags)
        if not all(isinstance(t, str) for t in data):
            raise SiftError("the tag whitelist must hold strings only")
    out = {normalize_label(t) for t in data} - {""}
    if not out:
        raise SiftError("the tag whitelist is empty")
    return out


def clean_labels(label_sets: Sequence[Optional[Sequence[str]]], *, valid_tags=None, min_freq: int = 1,
                 merge_threshold: Optional[float] = None, model: Optional[str] = None,
                 label_embeddings: Optional[dict[str, np.ndarray]] = None,
                 ids: Optional[Sequence[str]] = None) -> tuple[list[list[str]], dict]:
    """Normalise, whitelist, merge near-synonyms and drop rare labels; returns ``(label_sets, report)``.

    Order: normalise -> whitelist -> merge (cosine >= ``merge_threshold``; needs ``model`` or
    ``label_embeddings``) -> drop labels on fewer than ``min_freq`` records. Duplicates within a record go.
    """
    if min_freq < 1:
        raise SiftError(f"min_freq must be at least 1, got {min_freq}")
    if merge_threshold is not None and not 0.0 < merge_threshold <= 1.0:
        raise SiftError(f"merge_threshold must be in (0, 1], got {merge_threshold}")
    whitelist = None if valid_tags is None else load_whitelist(valid_tags)
    changed = 0
    not_listed: Counter = Counter()
    sets: list[list[str]] = []
    for labels in label_sets:
        row: list[str] = []
        for tag in labels or ():
            norm = normalize_label(tag)
            changed += norm != tag
            if not norm:
                continue
            if whitelist is not None and norm not in whitelist:
                not_listed[norm] += 1
                continue
            if norm not in row:
                row.append(norm)
        sets.append(row)
    merged: dict[str, str] = {}
    if merge_threshold is not None:
        counts = Counter(t for row in sets for t in row)
        vocab = sorted(counts)
        if len(vocab) > 1:
            emb = _label_vectors(vocab, model, label_embeddings)
            merged = synonym_groups(vocab, counts, emb, merge_threshold)
            sets = [list(dict.fromkeys(merged.get(t, t) for t in row)) for row in sets]
    counts = Counter(t for row in sets for t in row)
    rare = {t: c for t, c in counts.items() if c < min_freq}
    if rare:
        sets = [[t for t in row if t not in rare] for row in sets]
    empty = [i for i, row in enumerate(sets) if not row]
    report = {
        "records": len(sets),
        "normalised": int(changed),
        "not_whitelisted": dict(not_listed.most_common()),
        "merged": dict(sorted(merged.items())),
        "rare": dict(sorted(rare.items(), key=lambda kv: (-kv[1], kv[0]))),
        "empty_records": len(empty),
        "empty_examples": [ids[i] if ids is not None else i for i in empty[:20]],
        "settings": {"min_freq": min_freq, "merge_threshold": merge_threshold,
                     "whitelist_size": None if whitelist is None else len(whitelist)},
    }
    return sets, report


def _label_vectors(vocab: list[str], model: Optional[str], given: Optional[dict[str, np.ndarray]]) -> np.ndarray:
    """Unit embeddings of ``vocab``: from ``given`` when it covers every label, else from the model."""
    if given is not None and all(t in given for t in vocab):
        emb = np.stack([np.asarray(given[t], dtype=np.float32) for t in vocab])
        return emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
    from core.embed import DEFAULT_MODEL, embed_texts

    return embed_texts(vocab, model=model or DEFAULT_MODEL, batch_size=32)


# ------------------------------------------------------------------------------------------- entry point
def extract_labels(pool: Pool, embeddings: Optional[np.ndarray] = None, *, model: Optional[str] = None,
                   source: str = "auto", valid_tags=None, min_freq: int = 1,
                   merge_threshold: Optional[float] = None, min_tags: int = 3, max_tags: int = 5,
                   diversity: float = 0.3, grounding: float = 0.1, min_df: int = 2,
                   intents: Union[bool, Sequence[Intent]] = True, view: str = "instruction", turns: str = "first",
                   tag_vocab=None, zero_shot_top_k: Optional[int] = None,
                   zero_shot_min_similarity: Optional[float] = None, zero_shot_margin: Optional[float] = None,
                   cache_dir=None, progress: Optional[Progress] = None) -> LabelResult:
    """Labels for every record of ``pool`` (a ``core.data.Pool``), cleaned; see the module docstring.

    ``source``: "auto" (data tags when any record has some, else automatic), "data", "auto_tags" or "zero_shot"
    (needs ``tag_vocab``: a JSON file holding a list of strings, or an iterable of tags).
    ``embeddings``: the embeddings of ``pool.texts(view, turns)`` (unit rows), reused if given.
    ``view`` / ``turns`` (default "instruction" / "first"): the text automatic and zero-shot labels are read from.
    ``intents`` (automatic tags only): True for the built-in intent labels, False for none, or a list of Intent.
    ``zero_shot_*``: top-k, minimum cosine and margin of zero-shot tagging (None: the defaults of
    ``core.autotag.zero_shot``, 3 / 0.35 / 0.15).
    """
    if source not in SOURCES:
        raise SiftError(f"label source must be one of {', '.join(SOURCES)}, got {source!r}")
    n = len(pool)
    if n == 0:
        raise SiftError("the pool is empty: no records to label")
    tags = pool.tags
    has_data = tags is not None and any(t for t in tags)
    if source == "zero_shot" and tag_vocab is None:
        raise SiftError("zero-shot labels need a tag vocabulary: a JSON list of strings (--tag-vocab FILE.json)")
    if source == "data" and not has_data:
        raise MissingNeedError("the pool has no tags: add a 'tags' column (or InsTag annotations), or use "
                               "automatic tags")
    use_data = source == "data" or (source == "auto" and has_data)
    info: dict = {}
    label_embeddings = None
    if use_data:
        raw = [list(t) if t else [] for t in tags]
        kind = "data"
    else:
        texts = pool.texts(view=view, turns=turns)
        if embeddings is None:
            from core.embed import DEFAULT_MODEL, embed_texts

            embeddings = embed_texts(texts, model=model or DEFAULT_MODEL, cache_dir=cache_dir,
                                     progress=(lambda f, m: progress(0.5 * f, m)) if progress else None)
        if source == "zero_shot":
            from core.autotag.zero_shot import zero_shot_tags

            given = {"top_k": zero_shot_top_k, "min_similarity": zero_shot_min_similarity,
                     "margin": zero_shot_margin}
            if progress:
                progress(0.5, "Zero-shot tagging against the tag vocabulary")
            raw, info = zero_shot_tags(embeddings, sorted(load_whitelist(tag_vocab)), model=model,
                                       cache_dir=cache_dir, **{k: v for k, v in given.items() if v is not None})
            kind = "zero_shot"
        else:
            sub = (lambda f, m: progress(0.5 + 0.45 * f, m)) if progress else None
            raw, info = auto_tags(texts, embeddings, model=model, min_tags=min_tags, max_tags=max_tags,
                                  diversity=diversity, grounding=grounding, min_df=min_df, intents=intents,
                                  cache_dir=cache_dir, progress=sub)
            kind = "auto_tags"
        label_embeddings = info.pop("embeddings")
    sets, report = clean_labels(raw, valid_tags=valid_tags, min_freq=min_freq, merge_threshold=merge_threshold,
                                model=model, label_embeddings=label_embeddings, ids=list(pool.ids))
    report.update(info)
    report["source"] = kind
    report["settings"].update({"source": kind, "view": None if use_data else view,
                               "turns": None if use_data else turns,
                               "tag_vocab": str(tag_vocab) if isinstance(tag_vocab, (str, Path)) else None})
    counts = Counter(t for row in sets for t in row)
    if progress:
        progress(1.0, f"{len(counts):,} labels on {n - report['empty_records']:,} records")
    return LabelResult(sets, report["source"], sorted(counts), dict(sorted(counts.items())), report)
