"""Duplicate, near-duplicate and template groups of a pool, and the one record kept per group.

Three relations, each on the *normalised* text (NFKC, lower case, every run of punctuation, symbols and
whitespace collapsed to one space; digits kept, so "add 2 and 3" and "add 2 and 4" differ):

* ``exact``: the same normalised text (compared whole, through a hash table).
* ``near``: MinHash LSH (``datasketch``) on word ``shingle``-grams; two records whose estimated Jaccard
  similarity is at least ``near_threshold`` are linked: the LSH proposes candidates at ``near_threshold -
  LSH_MARGIN`` and each candidate pair is checked with the exact Jaccard of its shingle sets (measured pair recall
  against brute force in benchmarks/bench_dedup.py). Texts shorter than ``shingle`` words have one shingle.
* ``template``: records whose first ``template_chars`` normalised characters are identical and that have text
  beyond them form a template group when at least ``template_min_size`` records share the prefix; the group
  reports the text that repeats (the longest common prefix of its members, cut at a word boundary). This is
  how instruction sets built from one preamble plus a variable question (e.g. GPTeacher toolformer's "toolformer:
  enabled / toolformer access: ..." tool descriptions) show up.

Relations are merged with union-find: a record linked to another by any enabled relation is in their group.
A group's ``kind`` is "exact" when all its members have one normalised text, else "template" when a template
relation joined it, else "near". ``by_kind`` also counts
each relation alone.

Keep-one rule (:data:`KEEP_RULE`): per group the record with the highest *real* quality (a quality column in the
data; never the heuristic proxy) is kept, ties and missing values going to the first record in file order;
without real quality the first record in file order is kept. :meth:`Duplicates.keep` gives the sorted pool
indices of the records kept (every record in no group, plus one per group): the candidate set that
``--dedup`` and the app's dedup toggle hand to any selector through :func:`select_deduplicated`.

Defaults (measured on the 16,555-record pool_mixed, see benchmarks/bench_dedup.py): word 5-grams,
128 permutations, Jaccard 0.8, template prefix 100 characters shared by at least 5 records.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Optional, Sequence

import numpy as np

from core.errors import InputError

if TYPE_CHECKING:  # types only
    from core.data.pool import Pool
    from core.features import Features, Progress
    from core.selection import Selection

KINDS = ("exact", "near", "template")
DEFAULT_KINDS = KINDS
#: Jaccard similarity (word shingles, MinHash estimate) at or above which two records are near duplicates.
NEAR_THRESHOLD = 0.8
#: The LSH looks for candidates this far below the threshold (MinHash estimates scatter), then every candidate
#: pair is checked with the exact Jaccard of its shingle sets, so no pair below the threshold is linked.
LSH_MARGIN = 0.15
#: Words per shingle for the MinHash.
SHINGLE = 5
#: MinHash permutations (more = a finer Jaccard estimate, slower).
NUM_PERM = 128
#: Normalised leading characters that template members share exactly.
TEMPLATE_CHARS = 100
#: Fewest records sharing a prefix for it to count as a template.
TEMPLATE_MIN_SIZE = 5
#: Seed of the MinHash permutations.
SEED = 1
#: ``info`` counts near duplicates up to this many records (exact and template duplicates always; ``info --near``
#: at any size): a MinHash of 1M records takes minutes on 2 shared cores, the rest of ``info`` seconds.
INFO_NEAR_LIMIT = 100_000
KEEP_RULE = ("per group, the record with the highest real quality (a quality column in the data, never the "
             "heuristic proxy), ties and missing values to the first in file order; without real quality, the "
             "first record in file order")

_SEP = re.compile(r"[\W_]+", re.UNICODE)


#: ASCII fast path of :func:`normalize`: letters lower-cased, digits kept, every other byte a space (NFKC leaves
#: ASCII as it is, and ``[\W_]`` on ASCII is exactly "not a letter or digit").
_ASCII_FOLD = bytes(c + 32 if 65 <= c <= 90 else c if (48 <= c <= 57 or 97 <= c <= 122) else 32 for c in range(256))


def normalize(text: Any) -> str:
    """Lower-cased NFKC text with every run of punctuation/symbols/whitespace collapsed to one space; digits kept."""
    s = "" if text is None else str(text)
    if s.isascii():  # same result, 3x faster: one bytes.translate and a split
        return b" ".join(s.encode("ascii").translate(_ASCII_FOLD).split()).decode("ascii")
    s = unicodedata.normalize("NFKC", s).lower()
    return _SEP.sub(" ", s).strip()


#: :data:`_ASCII_FOLD` except that NUL stays NUL: the record separator of :func:`normalize_all`'s batches.
_ASCII_FOLD_SEP = b"\x00" + _ASCII_FOLD[1:]
_SPACE_RUN = re.compile(rb"  +")


def normalize_all(texts: Sequence[str], chunk: int = 8192) -> list[str]:
    """``[normalize(t) for t in texts]`` for a list of strings, with ASCII texts normalised in batches.

    A batch of ``chunk`` ASCII texts is joined with NUL (kept by the translation table, so it separates the
    records), translated, its runs of spaces collapsed and split back at the NULs: a few C calls per batch and
    one ``strip`` per text instead of an encode, translate, split, join and decode per text. Texts that are not ASCII, or that hold a NUL themselves, go through
    :func:`normalize` one by one; the result is the same either way (tests/test_dedup.py checks)."""
    out: list[str] = []
    for lo in range(0, len(texts), chunk):
        part = texts[lo:lo + chunk]
        joined = "\x00".join(part)
        if joined.isascii() and joined.count("\x00") == len(part) - 1:
            out.extend(_fold_batch(joined))
            continue
        plain = [t for t in part if t.isascii() and "\x00" not in t]
        folded = iter(_fold_batch("\x00".join(plain)) if plain else ())
        out.extend(next(folded) if t.isascii() and "\x00" not in t else normalize(t) for t in part)
    return out


def _fold_batch(joined: str) -> list[str]:
    """The normalised texts of NUL-joined ASCII texts holding no NUL (see :func:`normalize_all`)."""
    # runs of spaces collapsed in one regex pass (half the time of halving them with replace loops)
    b = _SPACE_RUN.sub(b" ", joined.encode("ascii").translate(_ASCII_FOLD_SEP))
    return list(map(str.strip, b.decode("ascii").split("\x00")))


@dataclass(frozen=True)
class Duplicates:
    """Duplicate groups of one pool.

    ``group[i]`` is record i's group id (0..g-1) or -1 when it is in no group; per group id: ``sizes``,
    ``kinds`` ("exact", "near" or "template"), ``representative`` (the pool index kept) and ``template`` (the
    repeating text of a template group, else None). ``by_kind[kind]`` = {"groups", "records"} for each relation
    alone; ``settings`` the parameters used; ``seconds`` the time taken.
    """

    group: np.ndarray
    sizes: np.ndarray
    kinds: tuple
    representative: np.ndarray
    template: tuple
    by_kind: dict
    settings: dict
    rule: str = KEEP_RULE
    seconds: float = 0.0

    @property
    def n(self) -> int:
        """Records in the pool."""
        return int(self.group.shape[0])

    @property
    def n_groups(self) -> int:
        """Number of groups (of two or more records)."""
        return int(self.sizes.shape[0])

    def keep(self) -> np.ndarray:
        """Sorted pool indices kept: every record in no group plus each group's representative."""
        mask = self.group < 0
        mask[self.representative] = True
        return np.flatnonzero(mask).astype(np.int64)

    @property
    def dropped(self) -> int:
        """Records removed by the keep-one rule (sum of group sizes minus one per group)."""
        return int(self.sizes.sum() - self.sizes.size)

    def members(self, g: int) -> np.ndarray:
        """Pool indices of group ``g`` in file order."""
        return np.flatnonzero(self.group == g)

    def largest(self, k: int = 10) -> list:
        """The ``k`` largest groups as dicts (group, kind, size, representative, template), largest first."""
        order = np.lexsort((np.arange(self.n_groups), -self.sizes))[:k]
        return [{"group": int(g), "kind": self.kinds[g], "size": int(self.sizes[g]),
                 "representative": int(self.representative[g]), "template": self.template[g]} for g in order]

    def summary(self) -> dict:
        """JSON-ready counts: per relation alone, merged groups, records in groups, kept and dropped."""
        return {"records": self.n, "by_kind": self.by_kind, "groups": self.n_groups,
                "records_in_groups": int(self.sizes.sum()), "kept": int(self.n - self.dropped),
                "dropped": self.dropped, "settings": self.settings, "keep_rule": self.rule}


def _merge(labels: dict, n: int) -> np.ndarray:
    """Group id per record (-1 in none) of the union of the relations in ``labels`` (each: per record the index
    it is linked to, or -1); groups are numbered in the file order of their first member."""
    group = np.full(n, -1, dtype=np.int64)
    linked = {kind: lab for kind, lab in labels.items() if (lab >= 0).any()}
    if n == 0 or not linked:
        return group
    if len(linked) == 1:  # one relation whose labels are each group's first record: its groups are the components
        (lab,) = linked.values()
        members = np.flatnonzero(lab >= 0)
        uniq = np.unique(lab[members])
        if (lab[uniq] == uniq).all():
            group[members] = np.searchsorted(uniq, lab[members])
            return group
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    labels = linked
    src = [np.flatnonzero(lab >= 0) for lab in labels.values()]
    dst = [lab[s] for s, lab in zip(src, labels.values())]
    rows, cols = np.concatenate(src), np.concatenate(dst)
    in_any = np.zeros(n, dtype=bool)
    in_any[rows] = True
    in_any[cols] = True
    _, comp = connected_components(coo_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n)), directed=False)
    members = np.flatnonzero(in_any)
    first = np.full(int(comp.max()) + 1, n, dtype=np.int64)
    np.minimum.at(first, comp[members], members)  # each component's smallest index: file order of first member
    uniq = np.unique(first[comp[members]])
    group[members] = np.searchsorted(uniq, first[comp[members]])
    return group


def _labels_from_keys(keys: Sequence[Optional[str]], min_size: int = 2) -> np.ndarray:
    """Group id per record (-1 when its key is None or shared by fewer than ``min_size`` records): the index of the
    first record with the same key (one dict pass, then array operations)."""
    n = len(keys)
    if n == 0:
        return np.full(0, -1, dtype=np.int64)
    first: dict = {}
    setdefault = first.setdefault
    codes = np.array(list(map(setdefault, keys, range(n))), dtype=np.int64)
    counts = np.bincount(codes, minlength=n)
    out = np.where(counts[codes] >= min_size, codes, -1)
    if None in first:
        out[codes == first[None]] = -1
    return out


def exact_groups(norm: Sequence[str]) -> np.ndarray:
    """Per record, the index of the first record with the same normalised text (-1 if it is unique)."""
    return _labels_from_keys(list(norm))


def _shingles(text: str, shingle: int) -> set:
    words = text.split()
    if len(words) <= shingle:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i:i + shingle]).encode("utf-8") for i in range(len(words) - shingle + 1)}


def _signatures(texts: Sequence[str], *, shingle: int, num_perm: int, seed: int, chunk: int = 4096) -> np.ndarray:
    """MinHash signatures (one row per text) equal to ``datasketch.MinHash.bulk`` of the texts' shingle sets.

    The permutations and hash are datasketch's own; only the per-record loop is batched (all shingles of
    ``chunk`` texts permuted in one array operation, then a min per record), which is what makes 1M records
    feasible. tests/test_scale.py checks equality with ``MinHash.bulk``."""
    from datasketch import MinHash
    from datasketch import minhash as dm

    m = MinHash(num_perm=num_perm, seed=seed)
    width = getattr(dm, "_SCHEME_WIDTHS", {}).get(getattr(m, "scheme", None))
    if width is None:  # another datasketch scheme: its own per-record loop
        return np.array([h.hashvalues for h in MinHash.generator((_shingles(t, shingle) for t in texts),
                                                                  num_perm=num_perm, seed=seed)])
    a, b = m.permutations
    hashfunc = m.hashfunc
    out = np.empty((len(texts), num_perm), dtype=m.hashvalues.dtype)
    for lo in range(0, len(texts), chunk):
        sets = [_shingles(t, shingle) for t in texts[lo:lo + chunk]]
        counts = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        hv = m._hash_input_array([hashfunc(x) for s in sets for x in s]).reshape(-1, 1)
        phv = dm._fmix(hv, width) * a + b
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        out[lo:lo + len(sets)] = np.minimum.reduceat(phv, starts, axis=0)
    return out


def _band_pairs(sig: np.ndarray, ranges: Sequence[tuple]) -> np.ndarray:
    """Unique pairs (a < b, as int64 codes a * n + b) of rows equal on every value of at least one band, the
    candidates a ``MinHashLSH`` with these ``ranges`` would return (rows sorted per band, equal runs paired)."""
    n = sig.shape[0]
    codes = []
    for start, end in ranges:
        band = np.ascontiguousarray(sig[:, start:end])
        order = np.lexsort(band.T[::-1])
        srt = band[order]
        same = np.all(srt[1:] == srt[:-1], axis=1)
        if not same.any():
            continue
        # runs of equal rows: every pair inside a run
        edges = np.flatnonzero(np.diff(np.concatenate(([False], same, [False])).astype(np.int8)))
        for s, e in zip(edges[0::2], edges[1::2] + 1):
            members = np.sort(order[s:e])
            ii, jj = np.triu_indices(members.size, k=1)
            codes.append(members[ii] * n + members[jj])
    if not codes:
        return np.empty(0, dtype=np.int64)
    return np.unique(np.concatenate(codes))


def near_groups(norm: Sequence[str], *, threshold: float = NEAR_THRESHOLD, shingle: int = SHINGLE,
                num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    """Per record, the smallest index of its near-duplicate component (-1 if it has none); empty texts skipped.

    The same groups as inserting every record into a ``datasketch.MinHashLSH`` and checking each candidate pair's
    exact Jaccard, computed without per-record objects: identical texts are handled once (their Jaccard is 1),
    signatures in batches, band collisions by sorting."""
    from datasketch import MinHashLSH
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(norm)
    out = np.full(n, -1, dtype=np.int64)
    slot: dict = {}
    text_of = np.full(n, -1, dtype=np.int64)
    for i, t in enumerate(norm):
        if t:
            text_of[i] = slot.setdefault(t, len(slot))
    if int((text_of >= 0).sum()) < 2:
        return out
    texts = list(slot)
    u = len(texts)
    ranges = MinHashLSH(threshold=max(0.3, threshold - LSH_MARGIN), num_perm=num_perm).hashranges
    pairs = _band_pairs(_signatures(texts, shingle=shingle, num_perm=num_perm, seed=seed), ranges)
    left, right = pairs // u, pairs % u
    keep = np.zeros(pairs.size, dtype=bool)
    cache: dict = {}

    def sh(k: int) -> set:
        s = cache.get(k)
        if s is None:
            s = cache[k] = _shingles(texts[k], shingle)
        return s

    for p, (x, y) in enumerate(zip(left.tolist(), right.tolist())):
        a, b = sh(x), sh(y)
        keep[p] = len(a & b) >= threshold * len(a | b)  # exact Jaccard of the shingle sets
    graph = coo_matrix((np.ones(int(keep.sum())), (left[keep], right[keep])), shape=(u, u))
    _, comp = connected_components(graph, directed=False)
    rows = np.flatnonzero(text_of >= 0)
    comp_of_row = comp[text_of[rows]]
    size = np.bincount(comp_of_row, minlength=comp.max() + 1)
    first = np.full(comp.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, comp_of_row, rows)
    linked = size[comp_of_row] >= 2  # in a component of two or more records (an identical text counts)
    out[rows[linked]] = first[comp_of_row[linked]]
    return out


def template_groups(norm: Sequence[str], *, chars: int = TEMPLATE_CHARS,
                    min_size: int = TEMPLATE_MIN_SIZE) -> np.ndarray:
    """Per record, the first index of the records sharing its first ``chars`` normalised characters (when at
    least ``min_size`` do and each has text beyond them), else -1."""
    keys = [t[:chars] if len(t) > chars else None for t in norm]
    return _labels_from_keys(keys, min_size=max(2, int(min_size)))


def _common_prefix(texts: Sequence[str]) -> str:
    lo, hi = min(texts), max(texts)  # the common prefix of a set is that of its min and max
    k = 0
    while k < min(len(lo), len(hi)) and lo[k] == hi[k]:
        k += 1
    prefix = lo[:k]
    if k < len(lo) and " " in prefix.strip():  # cut a word in half: back to the last whitespace
        prefix = prefix[:max(prefix.rfind(" "), prefix.rfind("\n"))]
    return prefix.rstrip()


def find_duplicates(texts: Sequence[Any], *, kinds: Sequence[str] = DEFAULT_KINDS,
                    near_threshold: float = NEAR_THRESHOLD, shingle: int = SHINGLE, num_perm: int = NUM_PERM,
                    template_chars: int = TEMPLATE_CHARS, template_min_size: int = TEMPLATE_MIN_SIZE,
                    quality: Optional[np.ndarray] = None, seed: int = SEED) -> Duplicates:
    """Duplicate groups of ``texts`` under the enabled ``kinds`` (any of "exact", "near", "template").

    ``quality`` (optional, real quality only: the keep-one rule prefers the highest) must have one value per
    text. Defaults: see the module docstring.
    """
    began = time.perf_counter()
    kinds = tuple(dict.fromkeys(kinds))
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise InputError(f"unknown duplicate kind(s) {', '.join(map(repr, bad))}; choose from {', '.join(KINDS)}")
    if not 0.0 < float(near_threshold) <= 1.0:
        raise InputError(f"near_threshold must be in (0, 1], got {near_threshold!r}")
    for name, value, low in (("shingle", shingle, 1), ("num_perm", num_perm, 16), ("template_chars", template_chars, 10),
                             ("template_min_size", template_min_size, 2)):
        if isinstance(value, bool) or int(value) != value or value < low:
            raise InputError(f"{name} must be an integer >= {low}, got {value!r}")
    n = len(texts)
    if quality is not None:
        quality = np.asarray(quality, dtype=np.float64)
        if quality.shape != (n,):
            raise InputError(f"quality has {quality.shape[0] if quality.ndim else 0} values for {n} texts")
    raw = ["" if t is None else str(t) for t in texts]
    norm = normalize_all(raw)
    labels: dict = {}
    if "exact" in kinds:
        labels["exact"] = exact_groups(norm)
    if "near" in kinds:
        labels["near"] = near_groups(norm, threshold=near_threshold, shingle=shingle, num_perm=num_perm, seed=seed)
    if "template" in kinds:
        labels["template"] = template_groups(norm, chars=template_chars, min_size=template_min_size)

    group = _merge(labels, n)
    by_kind = {}
    for kind, lab in labels.items():
        members = np.flatnonzero(lab >= 0)
        by_kind[kind] = {"groups": int(np.unique(lab[members]).size), "records": int(members.size)}
    g_count = int(group.max()) + 1 if n else 0
    sizes = np.bincount(group[group >= 0], minlength=g_count).astype(np.int64)
    in_groups = np.flatnonzero(group >= 0)
    by_group = np.split(in_groups[np.argsort(group[in_groups], kind="stable")], np.cumsum(sizes)[:-1])
    kinds_out, reps, temps = [], [], []
    for g in range(g_count):
        idx = by_group[g]  # members in file order
        if len({norm[i] for i in idx}) == 1:
            kind = "exact"
        elif "template" in labels and (labels["template"][idx] >= 0).any():
            kind = "template"
        else:
            kind = "near"
        kinds_out.append(kind)
        rep = int(idx[0])
        if quality is not None:
            q = quality[idx]
            if np.isfinite(q).any():
                rep = int(idx[int(np.nanargmax(np.where(np.isfinite(q), q, -np.inf)))])
        reps.append(rep)
        if kind == "template":
            t_idx = idx[labels["template"][idx] >= 0]
            text = _common_prefix([raw[i] for i in t_idx])
            if len(normalize(text)) < template_chars // 2:  # spacing differs: show the normalised prefix
                text = _common_prefix([norm[i] for i in t_idx])
            temps.append(text)
        else:
            temps.append(None)
    settings = {"kinds": list(kinds), "near_threshold": float(near_threshold), "shingle": int(shingle),
                "num_perm": int(num_perm), "template_chars": int(template_chars),
                "template_min_size": int(template_min_size), "seed": int(seed),
                "quality": "real quality column" if quality is not None else "none (first in file order)"}
    return Duplicates(group=group, sizes=sizes, kinds=tuple(kinds_out), representative=np.array(reps, np.int64),
                      template=tuple(temps), by_kind=by_kind, settings=settings,
                      seconds=time.perf_counter() - began)


def parse_kinds(text: Optional[str]) -> tuple:
    """``"exact,near"`` -> ("exact", "near"); None or "all" -> every kind."""
    if text is None or text.strip().lower() == "all":
        return DEFAULT_KINDS
    kinds = tuple(k.strip().lower() for k in text.split(",") if k.strip())
    bad = [k for k in kinds if k not in KINDS]
    if not kinds or bad:
        raise InputError(f"--dedup-kinds expects a comma-separated list of {', '.join(KINDS)} (or all), got {text!r}")
    return kinds


def pool_duplicates(pool: Pool, *, view: str = "instruction", turns: str = "first",
                    kinds: Sequence[str] = DEFAULT_KINDS, **params) -> Duplicates:
    """:func:`find_duplicates` of ``pool.texts(view, turns)`` with the pool's own quality column (real quality
    only; None when the data has none). ``params`` go to find_duplicates."""
    dups = find_duplicates(pool.texts(view=view, turns=turns), kinds=kinds, quality=pool.quality, **params)
    return replace(dups, settings={**dups.settings, "view": view, "turns": turns})


def select_deduplicated(name: str, features: Features, budget: int, dups: Optional[Duplicates], *,
                        progress: Optional[Progress] = None, **params) -> Selection:
    """``core.selectors.run`` on the records :meth:`Duplicates.keep` keeps; the picks are pool indices.

    Every per-row input (embeddings, texts, labels, quality) is sliced to the kept rows (``Features.subset``),
    so density-based selectors see the deduplicated pool. ``dups=None`` runs on the whole pool. ``constraints``
    (in ``params``, :class:`core.constraints.Constraints` on pool rows) are applied with the kept records as the
    candidates (must-include records are kept even when deduplication would drop them).
    ``Selection.info["dedup"]`` records the settings and how many records were dropped.
    """
    from core.errors import check_budget
    from core.selectors import run

    constraints = params.pop("constraints", None)
    if dups is None:
        return run(name, features, budget, progress=progress, constraints=constraints, **params)
    if dups.n != features.n:
        raise InputError(f"duplicate groups cover {dups.n:,} records but the features have {features.n:,}")
    keep = dups.keep()
    from core.errors import BudgetError

    if isinstance(budget, (int, np.integer)) and not isinstance(budget, bool) and budget > len(keep):
        raise BudgetError(f"budget {int(budget):,} is larger than the {len(keep):,} records left after "
                          f"deduplication ({dups.dropped:,} of {dups.n:,} dropped as duplicates)")
    check_budget(budget, len(keep))
    if constraints is not None and not constraints.is_empty():  # the kept records become the candidates
        from core.constraints import restrict

        sel = run(name, features, budget, progress=progress, constraints=restrict(constraints, keep, "dedup"),
                  **params)
        sel.info = {**sel.info, "dedup": dedup_record(dups)}
        return sel
    sub = features.subset(keep)
    sub = replace(sub, extra={k: v for k, v in features.extra.items() if k != "metrics_cache"})
    sel = run(name, sub, budget, progress=progress, **params)
    sel.indices = keep[sel.indices]
    sel.info = {**sel.info, "dedup": dedup_record(dups)}
    return sel


def dedup_record(dups: Duplicates) -> dict:
    """What a manifest records about a dedup step: settings, rule, groups, records kept and dropped."""
    return {"settings": dups.settings, "keep_rule": dups.rule, "groups": dups.n_groups,
            "by_kind": dups.by_kind, "records": dups.n, "kept": dups.n - dups.dropped, "dropped": dups.dropped}
