"""build_features end to end on tiny pools, and the quality sources (DEITA, column, proxy)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.curves import information_curve
from core.data import load_pool
from core.errors import SiftError, InputError
from core.pipeline import build_features
from core.quality import proxy_score, quality_for
from core.selectors import mig

RECORDS = [
    ("Write a Python function that reverses a string.", "def rev(s):\n    return s[::-1]", ["python", "string"], 8.0),
    ("Write a Python function that checks for palindromes.", "def is_pal(s):\n    return s == s[::-1]",
     ["python", "string", "palindrome"], 7.0),
    ("Solve 2x + 3 = 11.", "2x = 8, so x = 4.", ["algebra", "equation"], 6.5),
    ("Solve x^2 = 49.", "x = 7 or x = -7.", ["algebra", "equation", "quadratic"], 7.5),
    ("Write a haiku about snow.", "Quiet white blanket / hushing the sleeping village / footprints disappear",
     ["poetry", "haiku"], 9.0),
    ("Write a short poem about the sea.", "Grey waves fold and break, / the tide keeps its old promise.",
     ["poetry", "poem"], 6.0),
    ("Summarise the plot of Hamlet in one sentence.", "A Danish prince avenges his father's murder and dies.",
     ["summarization", "literature"], 8.5),
    ("What is the capital of France?", "Paris.", ["geography", "trivia"], 5.0),
]


def write_pool(path, with_tags=True, with_quality=True):
    rows = []
    for i, (q, a, tags, quality) in enumerate(RECORDS):
        row = {"id": f"r{i}", "instruction": q, "input": "", "output": a}
        if with_tags:
            row["tags"] = tags
        if with_quality:
            row["quality"] = quality
        rows.append(row)
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_build_features_with_data_tags_and_quality(tmp_path):
    pool = load_pool(write_pool(tmp_path / "tiny.jsonl"))
    calls = []
    features = build_features(pool, progress=lambda f, m: calls.append((f, m)))
    assert features.n == 8 and features.embeddings.shape == (8, 384) and features.embeddings.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(features.embeddings, axis=1), 1.0, rtol=1e-5)
    assert features.texts[0] == RECORDS[0][0]
    assert features.label_sets[3] == ["algebra", "equation", "quadratic"]
    assert features.graph.labels == sorted({t for r in RECORDS for t in r[2]})
    assert features.extra["labels"].source == "data"
    np.testing.assert_allclose(features.quality, [r[3] for r in RECORDS])
    assert features.quality_is_proxy is False and features.extra["quality"].source == "column"
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(calls) >= 3
    # everything MIG needs is there, and its curve can be drawn along the picks
    sel = mig.run(features, 5)
    assert len(set(sel.indices.tolist())) == 5
    energy, _ = information_curve(features.label_sets, features.quality, features.graph, sel.indices)
    assert np.all(np.diff(energy) > 0)


def test_build_features_without_tags_or_quality(tmp_path):
    pool = load_pool(write_pool(tmp_path / "bare.jsonl", with_tags=False, with_quality=False))
    features = build_features(pool, embeddings=np.eye(8, 16, dtype=np.float32) * 3.0)
    assert features.extra["embedding_origin"] == "given"
    np.testing.assert_allclose(np.linalg.norm(features.embeddings, axis=1), 1.0)
    assert features.extra["labels"].source == "auto_tags"
    # auto_tags keeps only tags grounded in the text, so a short record may get fewer than min_tags=3 (here 1 to 3),
    # but never none and never more than max_tags=5
    assert all(1 <= len(row) <= 5 for row in features.label_sets)
    assert max(len(row) for row in features.label_sets) > 1
    assert features.quality_is_proxy and features.extra["quality"].source == "proxy"
    assert np.all((features.quality >= 1) & (features.quality <= 10))
    none = build_features(pool, labels="none", embeddings=np.eye(8, 16, dtype=np.float32))
    assert none.label_sets is None and none.graph is None
    with pytest.raises(SiftError, match="labels must be one of"):
        build_features(pool, labels="tags")


def test_quality_sources(tmp_path):
    mig_rows = [{"dialogs": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
                 "annotation": {"instag": {"content": ["x"]},
                                "deita": {"quality_scores": [3.0, 4.0], "complexity_scores": [2.0, 1.0]}}}]
    (tmp_path / "mig.jsonl").write_text(json.dumps(mig_rows[0]) + "\n")
    deita = quality_for(load_pool(tmp_path / "mig.jsonl"))
    assert deita.source == "deita" and deita.values.tolist() == [5.0]  # (3*2 + 4*1) / 2
    rows = [{"id": "a", "instruction": "q", "output": "a", "quality": 2.0},
            {"id": "b", "instruction": "q", "output": "a", "quality": None}]
    (tmp_path / "nan.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with pytest.raises(InputError, match="'b'"):
        quality_for(load_pool(tmp_path / "nan.jsonl"))


def test_proxy_ranks_weak_responses_low():
    question = "Explain how vaccines train the immune system."
    # varied prose (the same paragraph said three times now counts as repetition, see test_quality_provenance)
    good = ("Vaccines expose the immune system to a harmless piece or weakened form of a pathogen. "
            "B cells learn to make antibodies against it and memory cells remain, so a later infection is "
            "recognised and fought off quickly. T cells are trained as well: helper T cells coordinate the "
            "response and killer T cells learn to destroy infected cells. Because the training happens without "
            "the disease, the body gains protection without the risk of getting sick.")
    assert proxy_score(question, "") == 1.0
    assert proxy_score(question, good) > 7.0
    assert proxy_score(question, "I'm sorry, but I cannot help with that.") < 3.0
    assert proxy_score(question, "Explain how vaccines train the immune system.") < proxy_score(question, good) / 2
    assert proxy_score(question, "Yes.") < proxy_score(question, good)
