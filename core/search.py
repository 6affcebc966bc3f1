"""Search a pool: substring, regular expression and semantic ("records like this text") search.

Text and regex search run over one field of every record (a top-level or dotted field, or the pool's derived
``instruction``/``response`` views) or over all text of each record (every string inside it, chat turns
included). Regular expressions run through the ``regex`` package with a time budget, so a catastrophic pattern
such as ``(a+)+$`` stops with a clear error instead of hanging the app. Semantic search embeds the query with the
pool's model (``core.embed``) and ranks records by cosine similarity to it over the pool's unit embeddings.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Optional, Sequence

import numpy as np

from core.errors import SiftError

#: Pseudo-field: every string value inside each record (chat turns, input, output, metadata text).
ALL_TEXT = "(all text)"
#: Pseudo-fields read from the pool's shape, whatever the record layout.
DERIVED = ("instruction", "response")
MODES = ("text", "regex")
#: Longest pattern accepted (characters).
MAX_PATTERN = 1000
#: Default time budget of one regex search over the whole pool (seconds).
REGEX_TIMEOUT = 2.0


@dataclass(frozen=True)
class SearchResult:
    """Rows that match (ascending pool indices), what was searched, and how."""

    indices: np.ndarray
    query: str
    field: str
    mode: str

    def __len__(self) -> int:
        return len(self.indices)


def _strings(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _strings(v, out)


def all_text(record: Any) -> str:
    """Every string inside ``record`` (nested lists and objects included), one per line, in record order."""
    out: list[str] = []
    _strings(record, out)
    return "\n".join(out)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def searchable_fields(pool) -> list[str]:
    """Fields a search can target: all text, the derived instruction/response, then every top-level field."""
    return [ALL_TEXT, *DERIVED, *[f for f in pool.fields if f not in DERIVED]]


def field_texts(pool, field: str = ALL_TEXT) -> list[str]:
    """The text of ``field`` for every record of ``pool``: strings as they are, lists of strings joined with
    ', ', other values as JSON, '' when absent. ``ALL_TEXT`` gives every string inside the record;
    "instruction"/"response", when the records have no such field, the shape's first user/assistant turn."""
    from core.data.shapes import get_path

    if field == ALL_TEXT:
        return [all_text(r) for r in pool.records]
    if not isinstance(field, str) or not field:
        raise SiftError("search field must be a non-empty field name")
    if field in DERIVED and field not in pool.fields:  # the shape's view, e.g. the first user turn of a chat
        return list(pool.instructions if field == "instruction" else pool.responses)
    return [cell_text(get_path(r, field)) for r in pool.records]


def text_search(texts: Sequence[str], query: str, *, case_sensitive: bool = False) -> np.ndarray:
    """Indices of ``texts`` containing ``query`` as a substring (case-insensitive unless ``case_sensitive``)."""
    if not isinstance(query, str) or not query:
        raise SiftError("the search text is empty")
    if case_sensitive:
        hits = [i for i, t in enumerate(texts) if query in t]
    else:
        q = query.casefold()
        hits = [i for i, t in enumerate(texts) if q in t.casefold()]
    return np.asarray(hits, dtype=np.int64)


def compile_pattern(pattern: str, *, case_sensitive: bool = False):
    """``pattern`` compiled with the ``regex`` package (re-compatible syntax), or SiftError saying what is wrong."""
    import regex

    if not isinstance(pattern, str) or not pattern:
        raise SiftError("the regular expression is empty")
    if len(pattern) > MAX_PATTERN:
        raise SiftError(f"the regular expression is {len(pattern):,} characters long; at most {MAX_PATTERN:,}")
    flags = regex.VERSION0 | (0 if case_sensitive else regex.IGNORECASE)
    try:
        return regex.compile(pattern, flags)
    except regex.error as exc:
        where = f" at position {exc.pos}" if getattr(exc, "pos", None) is not None else ""
        msg = str(exc).split(" at position")[0]
        raise SiftError(f"bad regular expression {pattern!r}: {msg}{where}") from None


def regex_search(texts: Sequence[str], pattern: str, *, case_sensitive: bool = False,
                 timeout: float = REGEX_TIMEOUT) -> np.ndarray:
    """Indices of ``texts`` where ``pattern`` matches somewhere (``regex`` search semantics, case-insensitive
    unless ``case_sensitive``). The whole search gets ``timeout`` seconds; a pattern that needs longer (e.g.
    nested quantifiers backtracking on a long text) raises SiftError instead of hanging."""
    compiled = compile_pattern(pattern, case_sensitive=case_sensitive)
    if not timeout > 0:
        raise SiftError(f"timeout must be positive, got {timeout!r}")
    deadline = time.monotonic() + timeout
    hits = []
    for i, t in enumerate(texts):
        left = deadline - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError
            if compiled.search(t, timeout=left) is not None:
                hits.append(i)
        except TimeoutError:
            raise SiftError(f"the regular expression {pattern!r} took longer than {timeout:g} s (stopped at record "
                            f"{i + 1:,} of {len(texts):,}); simplify it, e.g. avoid nested repeats like (a+)+")
    return np.asarray(hits, dtype=np.int64)


def search_pool(pool, query: str, *, field: str = ALL_TEXT, mode: str = "text", case_sensitive: bool = False,
                texts: Optional[Sequence[str]] = None, timeout: float = REGEX_TIMEOUT) -> SearchResult:
    """Rows of ``pool`` whose ``field`` matches ``query`` by ``mode`` ("text": substring, "regex": pattern).

    ``texts``: the field's texts when the caller already has them (e.g. cached by the app), else
    :func:`field_texts` builds them.
    """
    if mode not in MODES:
        raise SiftError(f"search mode must be one of {', '.join(MODES)}, got {mode!r}")
    texts = field_texts(pool, field) if texts is None else texts
    if len(texts) != len(pool):
        raise SiftError(f"got {len(texts)} texts for a pool of {len(pool)} records")
    if mode == "text":
        idx = text_search(texts, query, case_sensitive=case_sensitive)
    else:
        idx = regex_search(texts, query, case_sensitive=case_sensitive, timeout=timeout)
    return SearchResult(idx, query, field, mode)


def nearest(query_vec: np.ndarray, embeddings: np.ndarray, *, k: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """(indices, cosine similarities) of the ``k`` rows of ``embeddings`` (unit rows) closest to ``query_vec``,
    most similar first; ties go to the lower index."""
    X = np.asarray(embeddings, dtype=np.float32)
    q = np.asarray(query_vec, dtype=np.float32).reshape(-1)
    if X.ndim != 2 or X.shape[1] != q.shape[0]:
        raise SiftError(f"query vector of length {q.shape[0]} does not match embeddings of shape {X.shape}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise SiftError(f"k must be a positive integer, got {k!r}")
    norm = float(np.linalg.norm(q))
    if not np.isfinite(norm) or norm == 0:
        raise SiftError("the query vector is zero or not finite")
    sims = X @ (q / norm)
    k = min(int(k), len(sims))
    part = np.argpartition(-sims, k - 1)[:k] if k < len(sims) else np.arange(len(sims))
    order = np.lexsort((part, -sims[part]))
    idx = part[order]
    return idx.astype(np.int64), sims[idx].astype(np.float32)


def semantic_search(query: str, embeddings: np.ndarray, *, model: str, k: int = 20,
                    cache_dir: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Records most like the text ``query``: it is embedded with ``model`` (the pool's embedding model, through
    ``core.embed``; queries are not written to the cache) and ranked by cosine over ``embeddings``."""
    from core.embed import embed_texts

    if not isinstance(query, str) or not query.strip():
        raise SiftError("the text to search like is empty")
    vec = embed_texts([query], model, cache_dir=cache_dir, use_cache=False)[0]
    return nearest(vec, embeddings, k=k)
