"""Tag assignment for automatic tags: per-record choice of topic phrases, top-up to ``min_tags``, ``auto_tags``.

:func:`auto_tags` runs the whole method (see ``core.autotag``): intent labels (``core.autotag.intents``), then
topic phrases (``core.autotag.phrases``), embedded once with the same sentence-transformers model, near-duplicates
(cosine >= ``vocab_merge``) merged. A record's phrases are those it contains, ranked by ``cos(record, phrase) +
directive_bonus * [phrase is in the directive zone] + topical_weight * topicality(phrase)`` and picked with maximal
marginal relevance (``diversity``) by :func:`assign_tags` (KeyBERT-style, Grootendorst 2020), the record's intents
counting as already chosen, never two labels with cosine >= 0.8 and never a phrase whose words are a subset or
superset of another label's.

**Count**: picks stop at ``max_tags``, and beyond ``min_tags`` only while a phrase is at least 0.9 x as relevant as
the first. A record still short of ``min_tags`` (a one-line question has few phrases) is topped up only with labels
its own text supports: its other intents whose cue matched, and phrases it contains (:func:`_fill`); without such
labels it keeps fewer (fewer labels are better than wrong ones).

**Never labels**: code-like phrases (``_``, ``(``, ``=``, a leading ``assert``, camelCase / snake_case; code and test
lines are not read, see ``core.autotag.phrases.is_code_line``), person first names (``phrases.FIRST_NAMES``) the pool
never writes in lowercase (always, for names that are not ordinary words), and creative / persona intents (``intents.NEEDS_CUE``) without their request cue.

Everything is deterministic (stable sorts, ties to the lower index) and runs on CPU: after the records' embeddings
exist, the cost is embedding the candidate phrases (and, once per model, the intent examples; both go to the
embedding cache) plus sparse / blocked matrix products; ``benchmarks/bench_mig.py`` (part c) measures it.
"""

from __future__ import annotations

from typing import Optional, Sequence, Union

import numpy as np
import scipy.sparse as sp

from core.autotag.intents import INTENTS, Intent, choose_intents, intent_cues, intent_vectors
from core.autotag.phrases import (FIRST_NAMES, NAME_WORDS, boilerplate_segments, candidate_vocabulary, directive_zone,
                                  doc_phrases, is_clean_label, topicality)
from core.errors import SiftError
from core.features import Progress
from core.label_synonyms import synonym_groups


def assign_tags(doc_embeddings: np.ndarray, cand_embeddings: np.ndarray, *, occurrence: Optional[sp.spmatrix] = None,
                grounding: float = 0.1, min_tags: Union[int, np.ndarray] = 3, max_tags: Union[int, np.ndarray] = 5,
                diversity: float = 0.3, extra_ratio: float = 0.9, distinct_max: float = 0.8, top: int = 24,
                block: int = 1024, bonus: Optional[sp.spmatrix] = None, prior: Optional[np.ndarray] = None,
                grounded_only: bool = False, taken: Optional[np.ndarray] = None,
                taken_similarity: Optional[np.ndarray] = None) -> np.ndarray:
    """Candidate indices per document (rows of an int array, -1 = no tag), by MMR over each doc's ``top`` phrases.

    Relevance is ``cos(doc, c) + grounding * [c occurs in the doc] + bonus + prior`` (``occurrence`` and ``bonus``:
    sparse docs x candidates; ``prior``: one value per candidate), which
    prefers phrases the record actually uses while letting shared phrases of close records through
    (``grounded_only`` keeps only phrases that occur, as KeyBERT does). Step s scores
    ``(1 - diversity) relevance - diversity max_{t chosen} cos(c, t)``; a candidate with cos >= ``distinct_max``
    to a chosen tag is never taken. ``taken`` (docs x m ints, -1 = none) are labels a doc already has, with
    ``taken_similarity`` (labels x candidates) their cosines to the candidates: they count as chosen tags for the
    redundancy term and the distinctness rule. The first ``min_tags`` picks are kept when there are candidates
    left; picks beyond them only while ``relevance >= extra_ratio * relevance of the first pick``. ``min_tags`` and
    ``max_tags`` may be per-document arrays.
    """
    docs = np.asarray(doc_embeddings, dtype=np.float32)
    cands = np.asarray(cand_embeddings, dtype=np.float32)
    n, c = docs.shape[0], cands.shape[0]
    top = min(top, c)
    max_tags_arr = np.minimum(np.broadcast_to(np.asarray(max_tags), (n,)), top)
    min_tags_arr = np.minimum(np.broadcast_to(np.asarray(min_tags), (n,)), max_tags_arr)
    width = int(max_tags_arr.max()) if n else 0
    occ = None if occurrence is None else sp.csr_matrix(occurrence, dtype=np.float32)
    bonus_mat = None if bonus is None else sp.csr_matrix(bonus, dtype=np.float32)
    prior_vec = None if prior is None else np.asarray(prior, dtype=np.float32)
    out = np.full((n, width), -1, dtype=np.int64)
    for start in range(0, n, block):
        stop = min(start + block, n)
        sims = docs[start:stop] @ cands.T
        if occ is not None and grounding:
            sims += grounding * occ[start:stop].toarray()
        if prior_vec is not None:
            sims += prior_vec
        if bonus_mat is not None:
            sims += bonus_mat[start:stop].toarray()
        if grounded_only and occ is not None:
            sims[occ[start:stop].toarray() == 0] = -np.inf
        b = sims.shape[0]
        part = np.argpartition(-sims, top - 1, axis=1)[:, :top] if top < c else np.tile(np.arange(c), (b, 1))
        s_top = np.take_along_axis(sims, part, axis=1)
        g = cands[part]  # (b, top, d)
        cc = np.einsum("btd,bsd->bts", g, g)
        chosen = ~np.isfinite(s_top)
        redundancy = np.zeros((b, top), dtype=np.float32)
        if taken is not None and taken_similarity is not None:
            tk = np.asarray(taken)[start:stop]
            for col in range(tk.shape[1]):
                has = tk[:, col] >= 0
                if has.any():
                    rows_t = np.flatnonzero(has)
                    sim_t = taken_similarity[tk[rows_t, col][:, None], part[rows_t]]
                    redundancy[rows_t] = np.maximum(redundancy[rows_t], sim_t)
        rows = np.arange(b)
        lo, hi = min_tags_arr[start:stop], max_tags_arr[start:stop]
        best = np.zeros(b, dtype=np.float32)
        for step in range(width):
            score = (1.0 - diversity) * s_top - diversity * redundancy
            score[chosen | (redundancy >= distinct_max)] = -np.inf
            j = np.argmax(score, axis=1)
            ok = np.isfinite(score[rows, j]) & (step < hi)
            if step == 0:
                best = np.where(ok, s_top[rows, j], 0.0)
            extra = step >= lo
            ok &= ~extra | (s_top[rows, j] >= extra_ratio * best)
            chosen[rows[extra & ~ok]] = True  # a record that stops adding extras stays stopped
            out[start + rows[ok], step] = part[rows[ok], j[ok]]
            chosen[rows[ok], j[ok]] = True
            redundancy = np.where(ok[:, None], np.maximum(redundancy, cc[rows, j]), redundancy)
    return out


def _occurrence(sets: Sequence[set[str]], column: dict[str, int], n_cols: int) -> sp.csr_matrix:
    rows = [(i, column[p]) for i, doc in enumerate(sets) for p in doc if p in column]
    r, c = (np.array(x, dtype=np.int64) for x in zip(*rows)) if rows else (np.zeros(0, np.int64),) * 2
    occ = sp.csr_matrix((np.ones(r.size, np.float32), (r, c)), shape=(len(sets), n_cols))
    occ.data[:] = 1.0  # a merged variant and its canonical in one doc count once
    return occ


def _overlaps(label: str, labels: Sequence[str]) -> bool:
    """Whether ``label``'s words are a subset or superset of another label's ("email" / "email addresses")."""
    words = set(label.split())
    return any(words <= set(other.split()) or words >= set(other.split()) for other in labels)


def _fill(sets: list[list[str]], rows: Sequence[int], docs: np.ndarray, phrases: Sequence[str], phrase_emb: np.ndarray,
          intent_list: Sequence[Intent], intent_emb: np.ndarray, intent_scores: Optional[np.ndarray],
          intent_cue: Optional[np.ndarray], min_tags: int, distinct_max: float = 0.8,
          occurrence: Optional[sp.csr_matrix] = None, block: int = 1024) -> None:
    """Top up ``sets[i]`` for ``i`` in ``rows`` to ``min_tags`` labels, in place, with labels its text supports.

    Candidates are the intents whose cue matched the record's directive zone, valued by their score, and the pool
    phrases the record contains (``occurrence``: rows x phrases, the rows of ``rows``), valued by cosine to the
    record. A label without support in the record's own text (an intent from the embedding alone, a phrase of other
    records) is never added: a record may end with fewer than ``min_tags`` labels, fewer being better than wrong.
    """
    labels = [t.label for t in intent_list] + list(phrases)
    if not labels:
        return
    vectors = np.vstack([intent_emb, phrase_emb])
    index = {label: j for j, label in enumerate(labels)}
    n_intents = len(intent_list)
    for start in range(0, len(rows), block):
        values = docs[start:start + block] @ phrase_emb.T
        if occurrence is None:
            values[:] = -np.inf
        else:
            values[occurrence[start:start + block].toarray() == 0] = -np.inf
        if n_intents:
            block_scores = np.where(intent_cue[start:start + block] > 0, intent_scores[start:start + block], -np.inf)
            values = np.hstack([block_scores, values])
        finite = np.isfinite(values)
        for r in range(values.shape[0]):
            i = rows[start + r]
            cand = np.flatnonzero(finite[r])  # the labels this record's text supports (few: no shortlist needed)
            if not cand.size:
                continue
            chosen = [vectors[index[label]] for label in sets[i] if label in index]
            for j in cand[np.lexsort((cand, -values[r, cand]))]:  # by value, ties to the lower index
                if len(sets[i]) >= min_tags:
                    break
                if labels[j] in sets[i] or (j >= n_intents and _overlaps(labels[j], sets[i])):
                    continue
                if chosen and max(float(vectors[j] @ v) for v in chosen) >= distinct_max:
                    continue
                sets[i].append(labels[j])
                chosen.append(vectors[j])


def auto_tags(texts: Sequence[str], doc_embeddings: np.ndarray, *, model: Optional[str] = None, min_tags: int = 3,
              max_tags: int = 5, diversity: float = 0.3, grounding: float = 0.1, min_df: int = 2,
              max_df: float = 0.3, max_candidates: int = 4000, per_record: float = 1.0, vocab_merge: float = 0.9,
              intents: Union[bool, Sequence[Intent]] = True, cue_bonus: float = 0.2, directive_bonus: float = 0.05,
              topical_weight: float = 0.15, name_topicality: float = 0.15, cache_dir=None,
              progress: Optional[Progress] = None) -> tuple[list[list[str]], dict]:
    """Automatic tags for each text (intent labels, then topic phrases); returns ``(label_sets, info)``.

    See ``core.autotag`` for the method. ``intents``: True for the built-in :data:`INTENTS`, False for topic
    phrases only, or a sequence of :class:`Intent`. Only phrases a record contains are its topic candidates, so
    ``grounding`` (kept for compatibility) no longer changes their order. One-word candidates never written in
    lowercase in the pool (names) are dropped when their topicality is below ``name_topicality``. ``info`` holds the
    candidate count, merges, the number of boilerplate segments and of names dropped, the number of intent labels
    used and the embedding of every label (for later merging).
    """
    from core.embed import DEFAULT_MODEL, embed_texts

    model = model or DEFAULT_MODEL
    docs = np.asarray(doc_embeddings, dtype=np.float32)
    n = len(texts)
    if docs.ndim != 2 or docs.shape[0] != n:
        raise SiftError(f"need one embedding per text: {n} texts, embeddings shape {docs.shape}")
    if not min_tags >= 1 or max_tags < min_tags:
        raise SiftError(f"need 1 <= min_tags <= max_tags, got {min_tags} and {max_tags}")
    intent_list: list[Intent] = list(INTENTS) if intents is True else list(intents or ())
    zones = [directive_zone(t) for t in texts]
    boilerplate = boilerplate_segments(texts)
    lowercase_seen: set[str] = set()
    per_doc, per_zone = doc_phrases(texts, boilerplate=boilerplate, zones=zones, lowercase_seen=lowercase_seen)
    # at most ``per_record`` candidates per record (>= 300): embedding them is the costly step on small pools
    limit = min(max_candidates, max(300, int(per_record * n)))
    phrases, df = candidate_vocabulary(per_doc, min_df=min_df, max_df=max_df, max_candidates=limit)
    # code-like labels never (identifiers are already cut by candidate_phrases; this is the last check), nor person
    # first names (FIRST_NAMES), alone or inside a phrase ("sam", "james bond"), unless an ordinary word the pool
    # also writes in lowercase (NAME_WORDS: "mark", "bill")
    keep = [is_clean_label(p) and not any(w in FIRST_NAMES and (w not in NAME_WORDS or w not in lowercase_seen)
                                          for w in p.split()) for p in phrases]
    first_names = sum(1 for p, k in zip(phrases, keep) if not k)
    phrases, df = [p for p, k in zip(phrases, keep) if k], df[np.asarray(keep, dtype=bool)] if phrases else df
    # names: one capitalised word ("Martin", "London", a sentence-initial "Construct") held by unrelated records
    names = [p for p in phrases if " " not in p and p not in lowercase_seen]
    if names and name_topicality > 0:
        col = {p: i for i, p in enumerate(names)}
        low = topicality(_occurrence(per_doc, col, len(names)), docs) < name_topicality
        if low.any():
            drop = {p for p, is_low in zip(names, low) if is_low}
            keep = [p not in drop for p in phrases]
            phrases, df = [p for p, k in zip(phrases, keep) if k], df[keep]
    if not phrases and not intent_list:
        raise SiftError("no candidate phrases for automatic tags: the texts have no words outside the stop list")
    if progress:
        progress(0.1, f"Embedding {len(phrases):,} candidate phrases and {len(intent_list)} intent labels")
    d = docs.shape[1]
    # --- intents: record-to-prototype cosine + a bonus when the intent's cue is in the directive zone
    picked_intents = np.full((n, 0), -1, dtype=np.int64)
    intent_label_emb = np.zeros((0, d), dtype=np.float32)
    if intent_list:
        proto, intent_label_emb = intent_vectors(intent_list, model, cache_dir)
        cues = intent_cues(zones, intent_list)
        scores = docs @ proto.T + cue_bonus * cues
        gated = np.array([t.needs_cue for t in intent_list], dtype=bool)
        if gated.any():  # creative / persona intents only on a request for them, never from the embedding alone
            scores[:, gated] = np.where(cues[:, gated] == 2, scores[:, gated], -np.inf)
        picked_intents = choose_intents(scores, [t.kind for t in intent_list], intent_label_emb, strong=cues == 2)
        picked_intents[:, max(1, max_tags - 1):] = -1  # leave room for at least one topic phrase
    # --- topic phrases of the pool, KeyBERT-style, grounded in the record
    kept: list[str] = []
    merged: dict[str, str] = {}
    emb = np.zeros((0, d), dtype=np.float32)
    if phrases:
        emb = embed_texts(phrases, model=model, batch_size=256, cache_dir=cache_dir)  # short texts: big batches
        merged = synonym_groups(phrases, dict(zip(phrases, df.tolist())), emb, vocab_merge) if vocab_merge else {}
        kept = [p for p in phrases if p not in merged]
        emb = emb[[p not in merged for p in phrases]]
    column = {p: i for i, p in enumerate(kept)}
    column.update({v: column[c] for v, c in merged.items()})
    if progress:
        progress(0.7, f"Tagging {n:,} records with {len(kept):,} phrases")
    n_intents = (picked_intents >= 0).sum(axis=1)
    sets: list[list[str]] = [[intent_list[k].label for k in row if k >= 0] for row in picked_intents]
    if kept:
        occurrence = _occurrence(per_doc, column, len(kept))
        in_zone = _occurrence(per_zone, column, len(kept))
        bonus = (directive_bonus * in_zone) if directive_bonus else None
        topical = topicality(occurrence, docs)
        taken_sim = intent_label_emb @ emb.T if intent_list else None
        picks = assign_tags(docs, emb, occurrence=occurrence, grounding=grounding,
                            min_tags=np.maximum(min_tags - n_intents, 1), max_tags=max_tags - n_intents,
                            diversity=diversity, bonus=bonus, prior=topical_weight * topical, grounded_only=True,
                            taken=picked_intents if intent_list else None, taken_similarity=taken_sim)
        for i, row in enumerate(picks):
            for j in row:
                if j >= 0 and not _overlaps(kept[j], sets[i]):
                    sets[i].append(kept[j])
    # --- records still short of ``min_tags``: the best of their other intents and of the pool's phrases they do not
    # contain (KeyBERT's nearest phrases), by score, skipping near-synonyms (cos >= 0.8) of labels they have
    short = [i for i, row in enumerate(sets) if len(row) < min_tags]
    if short:
        _fill(sets, short, docs[short], kept, emb, intent_list, intent_label_emb,
              scores[short] if intent_list else None, cues[short] if intent_list else None, min_tags,
              occurrence=occurrence[short] if kept else None)
    embeddings = dict(zip(kept, emb))
    embeddings.update({t.label: v for t, v in zip(intent_list, intent_label_emb)})
    used = {label for row in sets for label in row}
    return sets, {"candidates": len(kept), "candidate_merges": len(merged), "boilerplate_segments": len(boilerplate),
                  "names_dropped": len(names) - sum(p in column for p in names), "first_names_dropped": first_names,
                  "below_min_tags": sum(1 for row in sets if len(row) < min_tags),
                  "intents": len(intent_list), "intent_labels_used": sum(t.label in used for t in intent_list),
                  "embeddings": embeddings}
