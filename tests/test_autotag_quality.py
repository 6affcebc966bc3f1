"""Automatic labels that fit the record (issue 9): no code or names as labels, no creative intent on factual tasks,
a top-up that only uses labels the record's own text supports; zero-shot tags; ``python -m core labels``."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from core.data import load_pool
from core.labels import INTENTS, extract_labels

CREATIVE = {"role play", "historical role play", "fictional character", "expert persona", "song lyrics", "poetry",
            "story writing", "humor", "speech writing", "creative writing"}
FACTUAL = ("math_word_problem", "coding", "multiple_choice_qa", "extractive_qa")
INTENT_LABELS = {t.label for t in INTENTS}


def code_like(label: str) -> bool:
    return bool(re.search(r"[_(=]", label) or label.startswith("assert") or re.search(r"[a-z][A-Z]", label))


def write_jsonl(path: Path, records) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


CRAFTED = [
    "Write a function to remove empty tuples from a list of tuples.\n"
    "assert remove_tuple([(), (1, 2), ()]) == [(1, 2)]\nassert remove_tuple([]) == []",
    "Write a python function to remove empty tuples.\nassert remove_tuple([()]) == []",
    "Write a function to count vowels in a string.\nassert count_vowels('hello') == 2\n"
    "assert count_vowels('sky') == 0",
    "Write a python function that counts vowels.\nassert count_vowels('aeiou') == 5",
    "Use document.getElementById to find myButton and attach a click handler in JavaScript.",
    "Call getElementById on myButton when the JavaScript page loads.",
    "Sam has 5 apples and James gives him 3 more apples. How many apples does Sam have now?",
    "James bought 4 boxes of pencils with 12 pencils each. How many pencils did James buy?",
    "Sam reads 20 pages of a novel every day. How many pages does Sam read in a week?",
    "James runs 3 miles each morning. How many miles does James run in 30 days?",
    "def fizz_buzz(n):\n    return [str(i) for i in range(n)]\nExplain what this code does.",
    "def fizz_buzz(n):\n    pass\nComplete the fizz_buzz function.",
]


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    from core.embed import embed_texts

    path = write_jsonl(tmp_path_factory.mktemp("crafted") / "crafted.jsonl",
                       [{"id": f"c{i}", "instruction": t, "output": "x"} for i, t in enumerate(CRAFTED)])
    pool = load_pool(path)
    return pool, extract_labels(pool, embed_texts(pool.texts()), source="auto_tags")


def test_code_identifiers_test_lines_and_names_never_become_labels(crafted):
    pool, result = crafted
    vocab = set(result.vocabulary)
    assert vocab and not [t for t in vocab if code_like(t)], vocab
    assert not vocab & {"sam", "james", "remove_tuple", "count_vowels", "fizz_buzz", "getelementbyid", "mybutton"}
    assert not any(t.split()[0] in {"assert", "def", "return"} for t in vocab)
    by_id = dict(zip(pool.ids, result.label_sets))
    assert any("apples" in row or "math word problem" in row for row in (by_id["c6"],))  # the topic survives
    assert "vowels" in " ".join(by_id["c2"]) or "string manipulation" in by_id["c2"]


def test_phrase_filters_on_crafted_lines():
    from core.autotag.phrases import _content_text, is_clean_label, is_code_line

    assert is_code_line("assert remove_tuple([(), (1, 2)]) == [(1, 2)]")
    assert is_code_line("    return [str(i) for i in range(n)]") and is_code_line("x = foo(3)")
    assert not is_code_line("If x = 3, what is the area of the triangle?")
    assert not is_code_line("Write a function remove_tuple(t) that drops empty tuples.")
    kept = _content_text("Write a function to add numbers.\nassert add(1, 2) == 3\nprint(add(1, 2))", set())
    assert kept.strip() == "Write a function to add numbers."
    for bad in ("remove_tuple", "assert equal", "getElementById", "f(x)", "a = b"):
        assert not is_clean_label(bad), bad
    for good in ("linked list", "python programming", "c++ programming", "node.js"):
        assert is_clean_label(good), good


def test_top_up_only_adds_labels_the_record_supports():
    import scipy.sparse as sp

    from core.autotag.assign import _fill

    docs = np.array([[1.0, 0.0, 0.0]], dtype=np.float32)
    phrase_emb = np.array([[0.99, 0.141, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)  # 0 close but absent; 1 present
    intents = list(INTENTS[:2])
    intent_emb = np.array([[0.0, 0.0, 1.0], [0.6, 0.0, 0.8]], dtype=np.float32)
    scores = np.array([[0.9, 0.2]], dtype=np.float32)  # the first intent scores high but has no cue
    cues = np.array([[0.0, 1.0]], dtype=np.float32)
    occurrence = sp.csr_matrix(np.array([[0.0, 1.0]], dtype=np.float32))
    sets = [[]]
    _fill(sets, [0], docs, ["close phrase", "own phrase"], phrase_emb, intents, intent_emb, scores, cues, 3,
          occurrence=occurrence)
    assert sets == [[intents[1].label, "own phrase"]]  # fewer than 3: the unsupported two are never added
    sets = [[]]
    _fill(sets, [0], docs, ["close phrase", "own phrase"], phrase_emb, intents, intent_emb, scores,
          np.zeros_like(cues), 3, occurrence=sp.csr_matrix((1, 2), dtype=np.float32))
    assert sets == [[]]


@pytest.fixture(scope="module")
def sample_auto(sample_path):
    from core.embed import embed_texts

    pool = load_pool(sample_path)
    return pool, extract_labels(pool, embed_texts(pool.texts()), source="auto_tags")


def test_sample_topic_labels_come_from_the_records_own_text(sample_auto):
    from core.autotag.intents import intent_cues
    from core.autotag.phrases import directive_zone

    pool, result = sample_auto
    texts = pool.texts()
    index = {t.label: k for k, t in enumerate(INTENTS)}
    cues = intent_cues([directive_zone(t) for t in texts])
    for text, row, cue in zip(texts, result.label_sets, cues):
        low = text.lower()
        for label in row:
            if label in INTENT_LABELS:
                if label in CREATIVE:  # creative / persona intents only on a request for them
                    assert cue[index[label]] == 2, (label, text[:80])
            else:  # a topic phrase is in the record's own text, never borrowed from other records
                assert re.search(r"\b" + re.escape(label).replace(r"\ ", r"\W+(?:\w+'s\W+)?") + r"\b", low), \
                    (label, text[:80])
    assert result.report["settings"]["view"] == "instruction" and result.report["settings"]["source"] == "auto_tags"


@pytest.fixture(scope="module")
def mixed_sample(pool_mixed_path):
    """A seeded stratified sample of 2,000 records of pool_mixed (all categories, proportional) and its embeddings
    (sliced from the full pool's cached embeddings when the user cache holds them, else embedded here)."""
    from core.embed import cache_path, embed_texts

    pool = load_pool(pool_mixed_path)
    cats = np.array([str(r.get("category")) for r in pool.records])
    rng = np.random.default_rng(0)
    picked = []
    for cat in sorted(set(cats)):
        idx = np.flatnonzero(cats == cat)
        k = max(1, int(round(2000 * len(idx) / len(cats))))
        picked.extend(rng.choice(idx, size=min(k, len(idx)), replace=False).tolist())
    picked = sorted(picked)
    full = cache_path(pool.texts(), cache_dir=Path.home() / ".cache" / "sift")
    if full.is_file():
        emb = np.load(full, allow_pickle=False)[picked]
    else:
        emb = embed_texts([pool.texts()[i] for i in picked])
    sub = pool.subset(picked)
    return sub, extract_labels(sub, emb, source="auto_tags")


def test_pool_mixed_done_when_targets(mixed_sample):
    pool, result = mixed_sample
    assert not [t for t in result.vocabulary if code_like(t)]
    cats = [r.get("category") for r in pool.records]
    factual = [row for row, c in zip(result.label_sets, cats) if c in FACTUAL]
    assert len(factual) >= 1000
    share = np.mean([bool(set(row) & CREATIVE) for row in factual])
    assert share < 0.02, share
    roleplay = [row for row, c in zip(result.label_sets, cats) if c == "roleplay"]
    assert np.mean([bool(set(row) & CREATIVE) for row in roleplay]) > 0.5  # the gate still lets real role play in
    counts = Counter(t for row in result.label_sets for t in row)
    assert not {"assert", "james", "sam"} & set(counts)
    assert np.mean([len(row) for row in result.label_sets]) >= 2.0


def test_zero_shot_tags_on_sample(sample_path):
    from core.embed import embed_texts

    pool = load_pool(sample_path)
    emb = embed_texts(pool.texts())
    vocab = ["math proof", "math word problem", "python programming", "translation", "poetry", "cooking recipe",
             "history"]
    result = extract_labels(pool, emb, source="zero_shot", tag_vocab=vocab)
    assert result.source == "zero_shot" and set(result.vocabulary) <= set(vocab)
    assert result.report["settings"]["view"] == "instruction" and result.report["vocabulary_size"] == len(vocab)
    by_text = dict(zip(pool.texts(), result.label_sets))
    assert by_text["Prove that the square root of 2 is irrational."][0] == "math proof"
    assert by_text["Write a haiku about autumn rain."][0] == "poetry"
    cats = [r.get("category") for r in pool.records]

    def precision(tag, accepted):
        got = [c for row, c in zip(result.label_sets, cats) if tag in row]
        return len(got), np.mean([c in accepted for c in got]) if got else 0.0

    for tag, accepted in (("math word problem", {"maths", "reasoning"}), ("python programming", {"coding"}),
                          ("translation", {"translation"}), ("poetry", {"writing"})):
        n, share = precision(tag, accepted)
        assert n >= 5 and share >= 0.8, (tag, n, share)  # a tag only where it fits (a small vocabulary tags few)
    assert all(len(row) <= 3 for row in result.label_sets)
    again = extract_labels(pool, emb, source="zero_shot", tag_vocab=list(reversed(vocab)))
    assert again.label_sets == result.label_sets  # deterministic, whatever the vocabulary order


def test_zero_shot_needs_a_vocabulary(sample_path):
    from core.errors import SiftError

    pool = load_pool(sample_path)
    with pytest.raises(SiftError, match="tag vocabulary"):
        extract_labels(pool.subset(range(3)), np.eye(3, 384, dtype=np.float32), source="zero_shot")


def test_core_labels_command(sample_path, tmp_path, capsys):
    from core.cli import main

    out = tmp_path / "labels.jsonl"
    assert main(["labels", str(sample_path), "-o", str(out)]) == 0
    pool = load_pool(sample_path)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == len(pool) and [r["id"] for r in rows] == list(pool.ids)
    assert all(set(r) == {"id", "labels", "label_source"} and r["label_source"] == "data" for r in rows)
    assert [r["labels"] for r in rows] == extract_labels(pool, source="data").label_sets
    vocab = tmp_path / "vocab.json"
    vocab.write_text(json.dumps(["mathematics", "python programming", "translation"]))
    capsys.readouterr()
    assert main(["labels", str(sample_path), "--labels", "zero_shot", "--tag-vocab", str(vocab)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(pool)
    got = [json.loads(line) for line in lines]
    assert {r["label_source"] for r in got} == {"zero_shot"}
    assert {t for r in got for t in r["labels"]} <= {"mathematics", "python programming", "translation"}
    assert main(["labels", str(sample_path), "--labels", "zero_shot"]) == 2  # no vocabulary: a clear error
    assert main(["labels", str(sample_path), "-o", str(tmp_path / "labels.csv")]) == 2
