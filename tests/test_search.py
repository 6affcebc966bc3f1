"""Search: substring, regex (bad pattern, runaway pattern) and semantic search on the bundled sample."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

from core.data import load_pool
from core.errors import SiftError
from core.search import (ALL_TEXT, all_text, field_texts, nearest, regex_search, search_pool, searchable_fields,
                         semantic_search, text_search)


@pytest.fixture(scope="module")
def pool(sample_path):
    return load_pool(sample_path)


def test_substring_search_is_case_insensitive_over_all_text(pool):
    hits = search_pool(pool, "PyThOn").indices
    assert len(hits) > 10
    for i in range(len(pool)):
        r = pool.records[i]
        has = any("python" in str(r[f]).lower() for f in ("instruction", "input", "output", "category", "tags"))
        assert (i in set(hits.tolist())) == has, pool.ids[i]
    assert len(search_pool(pool, "PyThOn", case_sensitive=True)) == 0


def test_search_one_field(pool):
    coding = search_pool(pool, "coding", field="category").indices
    assert len(coding) == sum(c == "coding" for c in pool.categories) and len(coding) > 0
    assert all(pool.categories[i] == "coding" for i in coding)
    # a list field (tags) is searched as its joined text
    tagged = search_pool(pool, "sentiment analysis", field="tags").indices
    assert tagged.tolist() == [i for i, r in enumerate(pool.records) if "sentiment analysis" in r["tags"]]
    # a number field is searched as its JSON text
    q = search_pool(pool, "10.0", field="quality").indices
    assert q.tolist() == [i for i, r in enumerate(pool.records) if r["quality"] == 10.0]
    assert searchable_fields(pool)[:3] == [ALL_TEXT, "instruction", "response"]
    assert "category" in searchable_fields(pool)


def test_derived_fields_for_chat_records(tmp_path):
    path = tmp_path / "chat.jsonl"
    path.write_text("\n".join(json.dumps({"messages": [{"role": "user", "content": u},
                                                      {"role": "assistant", "content": a}]})
                              for u, a in [("Tell me about owls", "They hunt at night."),
                                           ("Name a fish", "A trout, which eats owls? No.")]) + "\n")
    chat = load_pool(path)
    assert search_pool(chat, "owls", field="instruction").indices.tolist() == [0]
    assert search_pool(chat, "owls", field="response").indices.tolist() == [1]
    assert search_pool(chat, "owls").indices.tolist() == [0, 1]
    assert "Tell me about owls" in all_text(chat.records[0]).splitlines()


def test_regex_search(pool):
    starts = search_pool(pool, r"^write\b", field="instruction", mode="regex").indices
    assert starts.tolist() == [i for i, r in enumerate(pool.records) if r["instruction"].lower().startswith("write ")]
    assert len(starts) > 0
    sql = search_pool(pool, r"\bSQL\b", mode="regex", case_sensitive=True).indices
    assert len(sql) > 0
    assert all("SQL" in all_text(pool.records[i]) for i in sql)


def test_bad_and_runaway_patterns():
    with pytest.raises(SiftError, match=r"bad regular expression.*position"):
        regex_search(["abc"], "(a")
    with pytest.raises(SiftError, match="empty"):
        regex_search(["abc"], "")
    with pytest.raises(SiftError, match="at most"):
        regex_search(["abc"], "a" * 5000)
    start = time.monotonic()
    with pytest.raises(SiftError, match="took longer than"):
        regex_search(["a" * 5000 + "!"] * 3, r"(a+)+$", timeout=0.3)
    assert time.monotonic() - start < 5
    with pytest.raises(SiftError, match="empty"):
        text_search(["abc"], "")
    with pytest.raises(SiftError, match="mode"):
        search_pool(load_pool(b'{"instruction": "a", "output": "b"}\n', name="x.jsonl"), "a", mode="fuzzy")


def test_field_texts_missing_field_is_empty(pool):
    texts = field_texts(pool, "no_such_field")
    assert texts == [""] * len(pool)


def test_nearest_by_hand():
    X = np.array([[1, 0], [0, 1], [0.6, 0.8], [-1, 0]], dtype=np.float32)
    idx, sims = nearest(np.array([1.0, 1.0]), X, k=3)
    assert idx.tolist() == [2, 0, 1]  # 0.99, then the 0.707 tie broken by the lower index
    np.testing.assert_allclose(sims, [1.4 / 2 ** 0.5, 2 ** -0.5, 2 ** -0.5], atol=1e-6)
    with pytest.raises(SiftError, match="does not match"):
        nearest(np.ones(3), X)
    with pytest.raises(SiftError, match="zero"):
        nearest(np.zeros(2), X)


def test_semantic_search_on_the_sample(pool, tmp_path):
    from core.embed import DEFAULT_MODEL, embed_texts

    texts = pool.texts("instruction")
    X = embed_texts(texts, DEFAULT_MODEL, cache_dir=tmp_path)
    # A record's own text finds that record first.
    idx, sims = semantic_search(texts[7], X, model=DEFAULT_MODEL, k=5, cache_dir=tmp_path)
    assert idx[0] == 7 and sims[0] > 0.99 and np.all(np.diff(sims) <= 1e-6)
    # Free text: a programming request lands among coding records.
    idx, _ = semantic_search("a function in Python that sorts a list", X, model=DEFAULT_MODEL, k=10,
                             cache_dir=tmp_path)
    assert sum(pool.categories[i] == "coding" for i in idx) >= 7
    with pytest.raises(SiftError, match="empty"):
        semantic_search("  ", X, model=DEFAULT_MODEL)
