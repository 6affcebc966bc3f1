"""Checks on the bundled sample dataset (sample_data/instructions.jsonl).

Plain json parsing only, so these tests do not depend on the rest of sift.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "sample_data" / "instructions.jsonl"
BUILD = ROOT / "sample_data" / "build_sample.py"
RECORDS = ROOT / "sample_data" / "records"
KEYS = ["id", "instruction", "input", "output", "category", "tags", "quality"]
REQUIRED_CATEGORIES = {
    "coding", "maths", "writing", "factual_qa", "reasoning", "extraction",
    "classification", "brainstorming", "roleplay", "summarisation",
}


@pytest.fixture(scope="module")
def raw() -> bytes:
    return DATA.read_bytes()


@pytest.fixture(scope="module")
def records(raw) -> list[dict]:
    text = raw.decode("utf-8")
    lines = text.split("\n")
    assert lines[-1] == "", "file must end with a newline"
    return [json.loads(line) for line in lines[:-1]]


def test_valid_utf8_and_one_object_per_line(raw, records):
    raw.decode("utf-8")  # raises if invalid
    assert b"\r\n" not in raw.replace(b"\\r\\n", b""), "raw CRLF would break JSONL lines"
    assert all(isinstance(r, dict) for r in records)


def test_record_count(records):
    assert len(records) == 455  # as README.md and sample_data/README.md say


def test_keys_in_order_and_types(records):
    for r in records:
        assert list(r) == KEYS, r.get("id")
        for key in ("id", "instruction", "input", "output", "category"):
            assert isinstance(r[key], str), (r["id"], key)
        assert isinstance(r["tags"], list)
        assert isinstance(r["quality"], float)


def test_ids_unique_and_sequential(records):
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)
    assert ids == [f"s{i:04d}" for i in range(1, len(ids) + 1)]


def test_categories(records):
    counts = Counter(r["category"] for r in records)
    assert len(counts) >= 10
    assert REQUIRED_CATEGORIES <= set(counts)
    for cat, n in counts.items():
        assert 25 <= n <= 60, (cat, n)


def test_tags(records):
    vocab = Counter()
    for r in records:
        assert 2 <= len(r["tags"]) <= 6, r["id"]
        assert len(set(r["tags"])) == len(r["tags"]), r["id"]
        for t in r["tags"]:
            assert isinstance(t, str) and t == t.lower() and t.strip() == t and t, (r["id"], t)
        vocab.update(r["tags"])
    assert 80 <= len(vocab) <= 160, len(vocab)
    # long-tailed: a few very common tags, many rarer ones
    top = vocab.most_common(1)[0][1]
    assert top >= 20
    assert sum(1 for n in vocab.values() if n <= 3) >= 20
    # near-synonym pairs for label merging
    for a, b in [("python programming", "python coding"), ("text summarization", "summarization")]:
        assert vocab[a] and vocab[b], (a, b)


def test_quality(records):
    for r in records:
        q = r["quality"]
        assert 1.0 <= q <= 10.0, r["id"]
        assert round(q, 1) == q, r["id"]


def test_non_empty_text(records):
    for r in records:
        assert r["instruction"].strip(), r["id"]
        assert r["output"].strip(), r["id"]


def test_text_length_limit(records):
    for r in records:
        for key in ("instruction", "input", "output"):
            assert len(r[key]) <= 4000, (r["id"], key, len(r[key]))


def test_some_records_have_input(records):
    with_input = [r for r in records if r["input"]]
    assert len(with_input) >= 60
    cats = Counter(r["category"] for r in with_input)
    for cat in ("extraction", "summarisation", "classification"):
        assert cats[cat] >= 15, cat


def test_weak_answers_present(records):
    weak = [r for r in records if r["quality"] <= 3.5]
    assert len(weak) >= 20
    assert len({r["category"] for r in weak}) >= 8
    strong = [r for r in records if r["quality"] >= 7.0]
    assert len(strong) >= 0.7 * len(records)


def test_duplicate_instructions_present(records):
    counts = Counter(r["instruction"] for r in records)
    assert sum(1 for n in counts.values() if n >= 2) >= 3


def test_near_duplicates_present(records):
    """Paraphrased instructions share most of their words with another record."""
    def words(s):
        return {w.strip("?.!,:'\"").lower() for w in s.split()} - {""}

    items = [(r["id"], words(r["instruction"])) for r in records]
    pairs = 0
    for i, (_, a) in enumerate(items):
        for _, b in items[i + 1:]:
            if a != b and a and b and len(a & b) / len(a | b) >= 0.5:
                pairs += 1
    assert pairs >= 10


def test_non_ascii_content(records):
    text = "".join(r["instruction"] + r["input"] + r["output"] for r in records)
    assert any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in text)  # CJK
    assert any(ord(c) >= 0x1F300 for c in text)  # emoji
    assert "é" in text
    assert any("\r\n" in r["output"] or "\r\n" in r["input"] for r in records)


def test_build_script_reproduces_file(tmp_path, raw):
    out = tmp_path / "rebuilt.jsonl"
    subprocess.run([sys.executable, str(BUILD), "--out", str(out)], check=True, cwd=tmp_path)
    assert out.read_bytes() == raw


def test_build_script_writes_the_same_bytes_from_a_copy_of_the_records(tmp_path, raw):
    """The records folder is all the builder reads: a copy of it gives the same pool, wherever it lives."""
    copy = tmp_path / "records"
    shutil.copytree(RECORDS, copy)
    out = tmp_path / "pool.jsonl"
    subprocess.run([sys.executable, str(BUILD), "--records", str(copy), "--out", str(out)], check=True,
                   cwd=tmp_path)
    assert out.read_bytes() == raw


def test_record_files_hold_every_pool_record_once(records):
    rows = [json.loads(line) for path in sorted(RECORDS.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) == len(records)
    in_pool = Counter((r["instruction"], r["input"], r["output"]) for r in records)
    assert Counter((r["instruction"], r["input"], r["output"]) for r in rows) == in_pool
    assert {p.stem for p in RECORDS.glob("*.jsonl")} == {r["category"] for r in records}
    notes = Counter(r["note"] for r in rows)
    assert (notes["weak"], notes["near_dup"], notes["exact_dup"]) == (40, 21, 3)  # as sample_data/README.md says


def _build_from(tmp_path, edit) -> subprocess.CompletedProcess:
    copy = tmp_path / "records"
    shutil.copytree(RECORDS, copy)
    edit(copy)
    return subprocess.run([sys.executable, str(BUILD), "--records", str(copy), "--out", str(tmp_path / "o.jsonl")],
                          capture_output=True, text=True, cwd=tmp_path)


def _rewrite_line(path: Path, lineno: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[lineno - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("line, message", [
    ('{"instruction": "x"', "records/maths.jsonl:3: not valid JSON"),
    ('{"instruction": "x", "input": "", "output": "y", "tags": ["a", "b"], "quality": 7.0}',
     "records/maths.jsonl:3: expected an object with the keys"),
    ('{"instruction": "x", "input": "", "output": "y", "tags": ["a", "b"], "quality": 7.25, "note": ""}',
     "records/maths.jsonl:3: field 'quality' must be a number with one decimal"),
    ('{"instruction": "x", "input": "", "output": "y", "tags": ["a", "b"], "quality": 7.0, "note": "typo"}',
     "records/maths.jsonl:3: field 'note' must be one of"),
    ('{"instruction": "x", "input": "", "output": "y", "tags": ["a"], "quality": 7.0, "note": ""}',
     "records/maths.jsonl:3: 'x': 1 tags"),
    ('{"instruction": "x", "input": "", "output": "y", "tags": ["a", "b"], "quality": 6.0, "note": "weak"}',
     "records/maths.jsonl:3: 'x': weak record with quality 6.0"),
])
def test_a_bad_record_is_named_by_file_and_line(tmp_path, line, message):
    done = _build_from(tmp_path, lambda d: _rewrite_line(d / "maths.jsonl", 3, line))
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_aliases_must_point_at_final_tags_and_every_category_needs_its_file(tmp_path):
    def chain(d: Path) -> None:
        aliases = json.loads((d / "tag_aliases.json").read_text(encoding="utf-8"))
        aliases["python coding"] = "derivatives"  # "derivatives" is itself an alias of "calculus"
        (d / "tag_aliases.json").write_text(json.dumps(aliases), encoding="utf-8")

    done = _build_from(tmp_path, chain)
    assert done.returncode == 2 and "python coding" in done.stderr and "another alias" in done.stderr
    done = _build_from(tmp_path / "b", lambda d: (d / "advice.jsonl").unlink())
    assert done.returncode == 2 and "one file per category" in done.stderr
