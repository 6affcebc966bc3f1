"""Labels: data tags (tags column, MIG annotations + whitelist), clean-up, near-synonym merging, automatic tags."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from core.data import load_pool
from core.errors import SiftError, InputError, MissingNeedError
from core.labels import (INTENTS, assign_tags, candidate_phrases, clean_labels, extract_labels, load_whitelist,
                         normalize_label, synonym_groups)


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


def mig_record(tags, quality, complexity):
    return {"dialogs": [{"role": "user", "content": "q " + " ".join(tags)}, {"role": "assistant", "content": "a"}],
            "annotation": {"instag": {"content": tags},
                           "deita": {"quality_scores": quality, "complexity_scores": complexity}}}


def test_normalize_and_whitelist_file(tmp_path):
    assert normalize_label("  Python   Code\n") == "python code"
    good = tmp_path / "valid_tag_path.json"
    good.write_text(json.dumps(["Mathematics", "python programming"]))
    assert load_whitelist(good) == {"mathematics", "python programming"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"tags": ["x"]}))
    with pytest.raises(InputError, match="JSON list of strings"):
        load_whitelist(bad)
    broken = tmp_path / "broken.json"
    broken.write_text('["x",')
    with pytest.raises(InputError, match="not valid JSON"):
        load_whitelist(broken)


def test_clean_labels_whitelist_min_freq_and_empty_report():
    raw = [["Math", "algebra ", "junk"], ["math", "algebra", "algebra"], ["junk"], ["Geometry"], None]
    sets, report = clean_labels(raw, valid_tags=["math", "algebra", "geometry"], min_freq=2,
                                ids=["a", "b", "c", "d", "e"])
    assert sets == [["math", "algebra"], ["math", "algebra"], [], [], []]
    assert report["not_whitelisted"] == {"junk": 2}
    assert report["rare"] == {"geometry": 1}
    assert report["empty_records"] == 3 and report["empty_examples"] == ["c", "d", "e"]
    assert report["normalised"] == 3  # "Math", "algebra ", "Geometry"
    with pytest.raises(SiftError, match="min_freq"):
        clean_labels(raw, min_freq=0)


def test_merging_by_hand_made_embeddings():
    emb = {"dog": np.array([1.0, 0.0]), "dogs": np.array([0.99, 0.14]), "puppy": np.array([0.95, 0.31]),
           "cat": np.array([0.0, 1.0])}
    sets, report = clean_labels([["dogs"], ["dogs", "cat"], ["puppy"], ["dog"], ["dogs"]], merge_threshold=0.97,
                                label_embeddings=emb)
    # dog~dogs (0.99) and dogs~puppy (0.98) chain into one group; "dogs" is the most frequent
    assert report["merged"] == {"dog": "dogs", "puppy": "dogs"}
    assert sets == [["dogs"], ["dogs", "cat"], ["dogs"], ["dogs"], ["dogs"]]


def test_merging_near_synonyms_with_the_default_model():
    labels = ["email address", "email addresses", "e-mail address", "python programming", "python program",
              "poem", "poetry", "cooking", "recipe", "data analysis", "data analytics"]
    counts = {"email addresses": 5, "python program": 3}
    from core.embed import embed_texts

    merged = synonym_groups(labels, counts, embed_texts(labels, batch_size=32), 0.8)
    assert merged == {"email address": "email addresses", "e-mail address": "email addresses",
                      "python programming": "python program", "poetry": "poem"}


def test_data_tags_from_a_tags_column(sample_path):
    pool = load_pool(sample_path)
    result = extract_labels(pool)
    assert result.source == "data" and result.report["source"] == "data"
    assert result.label_sets[0] == [normalize_label(t) for t in pool.tags[0]]
    assert result.vocabulary == sorted({t for row in result.label_sets for t in row})
    assert sum(result.counts.values()) == sum(len(row) for row in result.label_sets)


def test_mig_annotations_with_whitelist(tmp_path):
    path = write_jsonl(tmp_path / "pool.jsonl", [mig_record(["Code Translation", "secret"], [3.0, 4.0], [2.0, 1.0]),
                                                 mig_record(["greeting"], [2.0], [1.5]),
                                                 mig_record(["secret"], [1.0], [1.0])])
    whitelist = tmp_path / "valid.json"
    whitelist.write_text(json.dumps(["code translation", "greeting"]))
    result = extract_labels(load_pool(path), valid_tags=str(whitelist))
    assert result.source == "data"
    assert result.label_sets == [["code translation"], ["greeting"], []]
    assert result.report["not_whitelisted"] == {"secret": 2}
    assert result.n_empty == 1 and result.report["empty_examples"] == ["2"]


def test_data_source_without_tags_is_a_clear_error(tmp_path):
    path = write_jsonl(tmp_path / "plain.jsonl", [{"instruction": "hi", "output": "hello"}])
    with pytest.raises(MissingNeedError, match="no tags"):
        extract_labels(load_pool(path), source="data")
    with pytest.raises(SiftError, match="label source"):
        extract_labels(load_pool(path), source="magic")


def test_candidate_phrases_skip_stop_words():
    phrases = candidate_phrases("Write a Python function to reverse a linked list.",
                                frozenset({"a", "to", "write"}), max_words=3)
    assert "python function" in phrases and "reverse" in phrases and "linked list" in phrases
    assert "function reverse" not in phrases  # "to" breaks the run: phrases are contiguous words only
    assert not any(w in {"a", "to", "write"} for p in phrases for w in p.split())


def test_assign_tags_mmr_rules():
    docs = np.array([[1.0, 0.0, 0.0]], dtype=np.float32)
    cands = np.array([[1, 0, 0], [0.99, 0.141, 0], [0.8, 0, 0.6], [0.6, 0.8, 0], [0, 0, 1]], dtype=np.float32)
    picks = assign_tags(docs, cands, min_tags=2, max_tags=4, diversity=0.3, extra_ratio=0.5, distinct_max=0.9)
    # 0 first; 1 is a near-duplicate of 0 (cos 0.99 >= 0.9) and is never taken; then 2 and 3 by MMR; 4 is
    # irrelevant (cos 0 < 0.5 * 1)
    assert picks[0].tolist() == [0, 2, 3, -1]


# --------------------------------------------------------------------------- automatic tags
INTENT_LABELS = {t.label for t in INTENTS}
CODING = {"code generation", "debugging", "code explanation", "algorithms", "data structures", "string manipulation",
          "regular expressions", "unit testing", "code conversion", "sql query", "shell scripting", "web development",
          "version control", "api usage", "data analysis"}
MATHS = {"math word problem", "arithmetic", "algebra", "geometry", "probability", "statistics", "calculus",
         "unit conversion", "financial calculation", "time calculation"}
FAMILIES = {  # sample_data category -> intents a curator would accept for it
    "coding": lambda label: label in CODING or label.endswith(" programming"),
    "maths": lambda label: label in MATHS,
    "translation": lambda label: label == "translation",
    "summarisation": lambda label: label in {"summarization", "title generation"},
    "roleplay": lambda label: label in {"role play", "historical role play", "fictional character", "expert persona",
                                        "simulation"},
    "classification": lambda label: label in {"text classification", "sentiment analysis", "topic classification"},
}


@pytest.fixture(scope="module")
def sample_auto(sample_path):
    """The whole sample pool, its record embeddings and its automatic tags (its own tags ignored)."""
    from core.embed import embed_texts

    pool = load_pool(sample_path)
    embeddings = embed_texts(pool.texts())
    return pool, embeddings, extract_labels(pool, embeddings, source="auto_tags")


def test_automatic_tags_on_sample_data(sample_auto):
    pool, _, result = sample_auto
    assert result.source == "auto_tags" and result.report["empty_records"] == 0
    sizes = [len(row) for row in result.label_sets]
    # 3-5 labels when the text supports them; the top-up never adds unsupported labels, so some records have fewer
    assert min(sizes) >= 1 and max(sizes) <= 5 and np.mean(sizes) >= 2.5
    assert result.report["below_min_tags"] == sum(1 for k in sizes if k < 3)
    vocab = set(result.vocabulary)
    texts = [t.lower() for t in pool.texts()]
    from core.labels import GENERIC_WORDS, stop_words

    stop = stop_words()
    for row in result.label_sets:
        assert len(set(row)) == len(row) and set(row) <= vocab
        assert any(label in INTENT_LABELS for label in row)  # every record says what kind of task it is
    for tag in vocab:
        assert 1 <= len(tag.split()) <= 3 and not re.search(r"\d", tag)
        assert tag not in stop and tag not in GENERIC_WORDS  # never a bare stop word, number word or generic word
        if tag not in INTENT_LABELS:  # topic phrases are the pool's own words
            assert any(re.search(r"\b" + re.escape(tag).replace(r"\ ", r"\W+") + r"\b", t) for t in texts), tag
    # labels are shared: the label graph needs them to repeat
    assert sum(c for c in result.counts.values() if c >= 2) >= 0.8 * sum(result.counts.values())
    assert result.report["candidates"] >= len(vocab - INTENT_LABELS)
    assert result.report["intent_labels_used"] >= 40  # many different intents, not one catch-all
    categories = [r["category"] for r in pool.records]
    for category, accepted in FAMILIES.items():
        rows = [result.label_sets[i] for i, c in enumerate(categories) if c == category]
        share = np.mean([any(accepted(label) for label in row) for row in rows])
        assert rows and share >= 0.8, (category, share)
    python = [row for row, t in zip(result.label_sets, texts) if "python" in t]
    assert np.mean(["python programming" in row for row in python]) >= 0.8


def test_automatic_tags_examples_and_determinism(sample_auto):
    pool, embeddings, result = sample_auto
    by_text = dict(zip(pool.texts(), result.label_sets))
    assert by_text["Write a haiku about autumn rain."][:2] == ["poetry", "haiku"]
    assert "summarization" in by_text[next(t for t in by_text if t.startswith("Summarise this passage"))]
    assert "translation" in by_text[next(t for t in by_text if t.startswith("Translate"))]
    again = extract_labels(pool, embeddings, source="auto_tags")  # candidate embeddings now cached: same labels
    assert again.label_sets == result.label_sets


def test_candidate_phrases_filters():
    from core.labels import EDGE_WORDS, GENERIC_WORDS, stop_words

    def phrases(text):
        return candidate_phrases(text, stop_words(), 3, edge_words=EDGE_WORDS, generic_words=GENERIC_WORDS)

    got = phrases("Write a Python function to reverse a linked list.")
    assert {"python function", "python", "linked list"} <= got
    assert "reverse" not in got and "function" not in got  # a verb; a generic word alone
    got = phrases("A lorry loaded with 20 bags of apples, each weighing 60 pounds, drove to New York City on Monday.")
    assert {"lorry", "bags", "apples", "pounds", "new york city", "new york"} <= got
    assert not got & {"loaded", "weighing", "monday", "new", "drove"}
    assert not any(re.search(r"\d", p) for p in got)
    got = phrases("Toolformer: enabled. I've used list1 and node.js; Martin's TV")
    assert "node.js" in got and "martin" in got and not any("'" in p or "list1" in p for p in got)
    assert not any(p.endswith("enabled") for p in got)  # an -ed form never ends a phrase


def test_directive_zone_and_boilerplate():
    from core.autotag.phrases import _content_text
    from core.labels import boilerplate_segments, directive_zone

    zone = directive_zone("A bat and a ball cost $1.10 in total. The bat costs $1 more than the ball. "
                          "How much does the ball cost?")
    assert zone == "a bat and a ball cost $1.10 in total.\nhow much does the ball cost?"
    preamble = "toolformer: enabled\ntoolformer access: weather\nUseful for when you want weather information."
    texts = [f"{preamble}\nWhat is the weather in {city}?" for city in ("Paris", "Lima", "Oslo", "Rome", "Kyiv")]
    texts += [texts[0]] * 5  # duplicates of one text do not make its own words boilerplate
    found = boilerplate_segments(texts)
    assert "toolformer: enabled" in found and "useful for when you want weather information." in found
    assert "what is the weather in paris?" not in found
    assert _content_text(texts[1], found).strip() == "What is the weather in Lima?"


def test_intent_table_cues_and_choice():
    from core.labels import choose_intents, intent_cues

    labels = [t.label for t in INTENTS]
    assert 60 <= len(labels) <= 130 and len(set(labels)) == len(labels)
    for intent in INTENTS:
        assert intent.label == normalize_label(intent.label) and intent.kind in ("task", "domain")
        assert intent.examples and (intent.strong or intent.soft or intent.kind == "domain")
        for cue in (intent.strong, intent.soft):
            re.compile(cue)
    k = {label: i for i, label in enumerate(labels)}
    cues = intent_cues(["translate this sentence into french.", "you are a pirate captain.\nhow many coins?",
                        "lorem ipsum dolor"])
    assert cues[0, k["translation"]] == 2 and cues[1, k["role play"]] == 2
    assert cues[1, k["math word problem"]] == 1 and cues[2].sum() == 0
    kinds = ["task", "task", "task", "domain"]
    emb = np.eye(4, dtype=np.float32)
    scores = np.array([[0.5, 0.45, 0.2, 0.3],     # second task within the margin; domain below its floor
                       [0.5, 0.30, 0.2, 0.6],     # second task too far behind; a clear domain
                       [0.1, 0.05, 0.0, 0.0]], dtype=np.float32)  # weak, but the best task is always taken
    picks = choose_intents(scores, kinds, emb, task_margin=0.08, task_floor=0.3, domain_floor=0.45)
    assert picks.tolist() == [[0, 1, -1], [0, 3, -1], [0, -1, -1]]


def test_automatic_tags_without_intents(sample_auto):
    pool, embeddings, _ = sample_auto
    result = extract_labels(pool.subset(range(120)), embeddings[:120], source="auto_tags", intents=False)
    assert result.report["intents"] == 0 and result.report["intent_labels_used"] == 0
    # phrases only, and only the record's own: on 120 records few phrases repeat, so many records keep fewer
    # labels (or none) rather than phrases borrowed from other records
    assert max(len(row) for row in result.label_sets) <= 5 and result.n_empty < len(result.label_sets) / 2
    texts = [t.lower() for t in pool.texts()[:120]]
    for row, text in zip(result.label_sets, texts):  # KeyBERT-style only: every label is in the record's own text
        for tag in row:
            assert re.search(r"\b" + re.escape(tag).replace(r"\ ", r"\W+(?:\w+'s\W+)?") + r"\b", text), tag
