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
from itertools import chain
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
from core.features import LabelSets, Progress
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
    """Per-record labels (a :class:`core.features.LabelSets`, read like lists), where they came from, the sorted
    vocabulary, and what clean-up did."""

    label_sets: Sequence[Sequence[str]]
    source: str
    vocabulary: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    report: dict = field(default_factory=dict)

    @property
    def n_empty(self) -> int:
        """Number of records left with no label."""
        if isinstance(self.label_sets, LabelSets):
            return int(np.count_nonzero(self.label_sets.lengths == 0))
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
    The lists are :func:`clean_label_codes` of the same labels, read back as lists.
    """
    vocab, indptr, codes = _factorize(label_sets)
    sets, report = clean_label_codes(vocab, indptr, codes, valid_tags=valid_tags, min_freq=min_freq,
                                     merge_threshold=merge_threshold, model=model,
                                     label_embeddings=label_embeddings, ids=ids)
    return list(sets), report


def _factorize(label_sets: Sequence[Optional[Sequence[str]]]) -> tuple[list, np.ndarray, np.ndarray]:
    """``(distinct raw tags in first-seen order, indptr, codes)`` of per-record tag lists, in one flat pass.

    A tag that is not a string is keyed by its type and text, so ``1`` and ``True`` stay apart as they would
    one by one (both are normalised from their text)."""
    lengths = np.fromiter((len(labels) if labels else 0 for labels in label_sets), dtype=np.int64,
                          count=len(label_sets))
    flat = list(chain.from_iterable(labels for labels in label_sets if labels))
    index: dict = {}
    setdefault = index.setdefault
    try:
        codes = [setdefault(tag, len(index)) for tag in flat]
        clean = all(type(tag) is str for tag in index)
    except TypeError:  # an unhashable tag
        clean = False
    if not clean:
        index = {}
        setdefault = index.setdefault
        codes = [setdefault(tag if type(tag) is str else (type(tag), str(tag)), len(index)) for tag in flat]
    raw = [tag if type(tag) is str else _NotText(tag[1]) for tag in index]
    indptr = np.zeros(lengths.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    return raw, indptr, np.asarray(codes, dtype=np.int64)


class _NotText(str):
    """The text of a tag that was not a string (it counts as changed by the normalisation, as ``str(tag)`` did)."""


def _first_per_row(rows: np.ndarray, codes: np.ndarray, width: int) -> np.ndarray:
    """Boolean mask of the entries that are the first of their (row, code) pair, so each record keeps its first
    occurrence of a label in its original place."""
    keep = np.zeros(rows.size, dtype=bool)
    if rows.size:
        _, first = np.unique(rows * np.int64(max(width, 1)) + codes, return_index=True)
        keep[first] = True
    return keep


def clean_label_codes(vocab: Sequence, indptr, codes, *, valid_tags=None, min_freq: int = 1,
                      merge_threshold: Optional[float] = None, model: Optional[str] = None,
                      label_embeddings: Optional[dict[str, np.ndarray]] = None,
                      ids: Optional[Sequence[str]] = None) -> tuple[LabelSets, dict]:
    """:func:`clean_labels` on tags given as codes: record i's raw tags are ``vocab[c]`` for ``c`` in
    ``codes[indptr[i]:indptr[i + 1]]`` (``Pool.tag_codes`` is this form); returns ``(LabelSets, report)``.

    Each distinct raw tag is normalised and whitelisted once; duplicates, merges and rare labels are dropped
    with array operations, so no per-record list is built. The result and the report are those of the
    record-by-record rules (the label vocabulary of the LabelSets is sorted, each record keeps its labels in
    first-occurrence order).
    """
    if min_freq < 1:
        raise SiftError(f"min_freq must be at least 1, got {min_freq}")
    if merge_threshold is not None and not 0.0 < merge_threshold <= 1.0:
        raise SiftError(f"merge_threshold must be in (0, 1], got {merge_threshold}")
    whitelist = None if valid_tags is None else load_whitelist(valid_tags)
    raw = list(vocab)
    indptr = np.asarray(indptr, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    n = indptr.size - 1
    occurrences = np.bincount(codes, minlength=len(raw))
    # each distinct raw tag once: its normalised text, then whether it is kept (non-empty, whitelisted)
    norms = [normalize_label(tag) for tag in raw]
    changed = int(sum(int(c) for tag, norm, c in zip(raw, norms, occurrences.tolist())
                      if c and (norm != tag or isinstance(tag, _NotText))))
    labels: dict[str, int] = {}
    to_label = np.full(len(raw), -1, dtype=np.int64)
    not_listed_raw: list[int] = []
    for j, norm in enumerate(norms):
        if not norm:
            continue
        if whitelist is not None and norm not in whitelist:
            not_listed_raw.append(j)
            continue
        to_label[j] = labels.setdefault(norm, len(labels))
    not_listed = _not_listed(norms, not_listed_raw, occurrences, codes)
    names = list(labels)
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    lab = to_label[codes]
    kept = lab >= 0
    rows, lab = rows[kept], lab[kept]
    first = _first_per_row(rows, lab, len(names))
    rows, lab = rows[first], lab[first]
    merged: dict[str, str] = {}
    if merge_threshold is not None:
        per_label = np.bincount(lab, minlength=len(names))
        counts = {name: int(c) for name, c in zip(names, per_label.tolist()) if c}
        present = sorted(counts)
        if len(present) > 1:
            emb = _label_vectors(present, model, label_embeddings)
            merged = synonym_groups(present, counts, emb, merge_threshold)
            if merged:
                target = np.array([labels[merged.get(name, name)] for name in names], dtype=np.int64)
                lab = target[lab]
                first = _first_per_row(rows, lab, len(names))
                rows, lab = rows[first], lab[first]
    per_label = np.bincount(lab, minlength=len(names))
    rare = {names[j]: int(c) for j, c in enumerate(per_label.tolist()) if 0 < c < min_freq}
    if rare:
        common = per_label >= min_freq
        keep = common[lab]
        rows, lab = rows[keep], lab[keep]
        per_label = np.where(common, per_label, 0)
    # the sorted vocabulary of the labels that remain, and each record's codes in it
    present = sorted(names[j] for j in np.flatnonzero(per_label).tolist())
    position = np.full(len(names), -1, dtype=np.int64)
    position[np.array([labels[name] for name in present], dtype=np.int64)] = np.arange(len(present))
    lengths = np.bincount(rows, minlength=n)
    out_indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=out_indptr[1:])
    sets = LabelSets(present, out_indptr, position[lab])
    empty = np.flatnonzero(lengths == 0)
    report = {
        "records": n,
        "normalised": changed,
        "not_whitelisted": not_listed,
        "merged": dict(sorted(merged.items())),
        "rare": dict(sorted(rare.items(), key=lambda kv: (-kv[1], kv[0]))),
        "empty_records": int(empty.size),
        "empty_examples": [ids[i] if ids is not None else i for i in empty[:20].tolist()],
        "settings": {"min_freq": min_freq, "merge_threshold": merge_threshold,
                     "whitelist_size": None if whitelist is None else len(whitelist)},
    }
    return sets, report


def _not_listed(norms: list[str], raw_ids: list[int], occurrences: np.ndarray, codes: np.ndarray) -> dict[str, int]:
    """``{normalised tag: occurrences}`` of the tags the whitelist dropped, most frequent first, ties in the order
    they first occur in the data (``Counter.most_common`` of a record-by-record count)."""
    if not raw_ids:
        return {}
    firsts = np.full(len(norms), codes.size, dtype=np.int64)
    seen, where = np.unique(codes, return_index=True)
    firsts[seen] = where
    count: dict[str, int] = {}
    first: dict[str, int] = {}
    for j in raw_ids:
        c = int(occurrences[j])
        if not c:
            continue
        norm = norms[j]
        count[norm] = count.get(norm, 0) + c
        first[norm] = min(first.get(norm, codes.size), int(firsts[j]))
    return {norm: count[norm] for norm in sorted(count, key=lambda t: (-count[t], first[t]))}


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
    coded = getattr(pool, "tag_codes", None)  # (vocabulary, indptr, codes) from the loader, when it keeps them
    tags = None if coded is not None else pool.tags
    has_data = bool(len(coded[2])) if coded is not None else tags is not None and any(t for t in tags)
    if source == "zero_shot" and tag_vocab is None:
        raise SiftError("zero-shot labels need a tag vocabulary: a JSON list of strings (--tag-vocab FILE.json)")
    if source == "data" and not has_data:
        raise MissingNeedError("the pool has no tags: add a 'tags' column (or InsTag annotations), or use "
                               "automatic tags")
    use_data = source == "data" or (source == "auto" and has_data)
    info: dict = {}
    label_embeddings = None
    if use_data:
        raw = coded if coded is not None else _factorize(tags)
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
        raw = _factorize(raw)
    sets, report = clean_label_codes(*raw, valid_tags=valid_tags, min_freq=min_freq,
                                     merge_threshold=merge_threshold, model=model,
                                     label_embeddings=label_embeddings, ids=_LazyIds(pool))
    report.update(info)
    report["source"] = kind
    report["settings"].update({"source": kind, "view": None if use_data else view,
                               "turns": None if use_data else turns,
                               "tag_vocab": str(tag_vocab) if isinstance(tag_vocab, (str, Path)) else None})
    counts = dict(zip(sets.vocabulary, sets.counts().tolist()))  # the vocabulary is sorted and all occur
    if progress:
        progress(1.0, f"{len(counts):,} labels on {n - report['empty_records']:,} records")
    return LabelResult(sets, report["source"], list(sets.vocabulary), counts, report)


class _LazyIds:
    """``pool.ids[i]``, read only when a record is named (the report's empty examples)."""

    def __init__(self, pool: "Pool") -> None:
        self.pool = pool

    def __getitem__(self, i: int) -> str:
        return self.pool.ids[i]
