"""The pyarrow fast path for JSON Lines (core.data.columnar) against the Python scan, which stays the reference:
on every file the fast path takes, the Pool columns are identical; on every file it should not take (a bad line,
a wrong type, a duplicate id, bad bytes, ...) it declines and the errors and problems are the scan's."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

import core.data.columnar as columnar
from core.data import load_pool
from core.data.pool import _resolve_fields
from core.data.shapes import get_shape
from core.data.sources import new_digest, resolve_source
from core.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
MIXED = ROOT.parent / "shared" / "data" / "pool_mixed.jsonl"
SAMPLES = sorted((ROOT / "sample_data").rglob("*.jsonl"))


def fast_columns(path: Path, shape: str = "auto", columns: dict | None = None, max_chars: int = 1_000_000):
    """What the fast path returns for ``path`` (None: it declined)."""
    src = resolve_source(path)
    shape_obj = None if shape == "auto" else get_shape(shape, columns or {})
    return columnar.try_load(src, new_digest(), shape=shape_obj, max_chars=max_chars,
                             resolve=lambda s, f: _resolve_fields(s, f, columns or {}, "id"))


def load_both(path: Path, monkeypatch, **kwargs):
    """(fast-path pool or error, Python-scan pool or error) for the same file and options."""
    out = []
    for enabled in (True, False):
        monkeypatch.setattr(columnar, "ENABLED", enabled)
        try:
            out.append(load_pool(path, **kwargs))
        except InputError as exc:
            out.append(exc)
    monkeypatch.setattr(columnar, "ENABLED", True)
    return out


def assert_same_pool(a, b) -> None:
    assert type(a) is type(b)
    if isinstance(a, InputError):
        assert (str(a), a.file, a.line, a.field) == (str(b), b.file, b.line, b.field)
        return
    assert (a.shape, a.format, a.fieldmap, a.fields, a.file_sha256, a.name) == \
        (b.shape, b.format, b.fieldmap, b.fields, b.file_sha256, b.name)
    assert [p.as_dict() for p in a.problems] == [p.as_dict() for p in b.problems]
    assert np.array_equal(a.lines, b.lines) and a.lines.dtype == b.lines.dtype
    assert np.array_equal(a.records._offsets, b.records._offsets)
    assert np.array_equal(a._ordinals, b._ordinals)
    assert a.ids == b.ids
    assert a.instructions == b.instructions
    assert np.array_equal(a.response_lengths, b.response_lengths) and a.response_lengths.dtype == np.int64
    if b.tag_codes is None:
        assert a.tag_codes is None
    else:
        assert a.tag_codes[0] == b.tag_codes[0]
        for x, y in zip(a.tag_codes[1:], b.tag_codes[1:]):
            assert np.array_equal(x, y) and x.dtype == y.dtype
    if b.quality is None:
        assert a.quality is None
    else:
        assert np.array_equal(a.quality, b.quality, equal_nan=True) and a.quality.dtype == np.float64
    if b.category_codes is None:
        assert a.category_codes is None
    else:
        assert a.category_codes[0] == b.category_codes[0]
        assert np.array_equal(a.category_codes[1], b.category_codes[1]) and a.category_codes[1].dtype == np.int32
    assert a.records[len(a) - 1] == b.records[len(b) - 1]  # read back from the same offset


WORDS = ("plan", "table", "poem", "é", "naïve", "数据", "emoji 😀", "tab\there", "quote \"x\"", "back\\slash")


def alpaca_records(n: int, seed: int = 0, *, tags=True, quality=True, category=True, ids=True) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        r: dict = {}
        if ids:
            r["id"] = f"r{i:05d}"
        r["instruction"] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))
        choice = rng.random()
        if choice < 0.4:
            r["input"] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
        elif choice < 0.7:
            r["input"] = ""
        elif choice < 0.8:
            r["input"] = None
        r["output"] = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30)))
        if category and rng.random() < 0.9:
            r["category"] = rng.choice(["advice", "code", "", "数学"]) if rng.random() < 0.95 else None
        if tags:
            r["tags"] = rng.sample(["math", "code", "poetry", "τ", "long tag name"], rng.randint(0, 3)) \
                if rng.random() < 0.9 else None
        if quality:
            r["quality"] = round(rng.uniform(0, 5), 3) if rng.random() < 0.8 else rng.randint(0, 5)
        keys = list(r)
        if rng.random() < 0.2:  # another key order
            rng.shuffle(keys)
        out.append({k: r[k] for k in keys})
    return out


def write(path: Path, records: list, *, newline: str = "\n", ascii_only: bool = False) -> Path:
    path.write_bytes("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=ascii_only)) + newline
                             for r in records).encode("utf-8"))
    return path


# -- files the fast path takes: identical pools ------------------------------------------------------------

def test_real_files_identical(monkeypatch):
    files = SAMPLES + ([MIXED] if MIXED.exists() else [])
    if not files:
        pytest.skip("no sample pools here")
    for path in files:
        fast, slow = load_both(path, monkeypatch)
        assert_same_pool(fast, slow)
        if isinstance(slow, InputError) or slow.shape != "alpaca":
            continue
        assert fast_columns(path) is not None, path  # the plain valid Alpaca file takes the fast path


def test_mixed_pool_in_small_chunks(monkeypatch):
    if not MIXED.exists():
        pytest.skip(f"{MIXED} not present")
    monkeypatch.setattr(columnar, "CHUNK_BYTES", 1 << 16)  # many chunks: offsets, lines and unions across them
    assert fast_columns(MIXED) is not None
    assert_same_pool(*load_both(MIXED, monkeypatch))


@pytest.mark.parametrize("chunk", [1 << 12, 1 << 24])
def test_synthetic_columns_identical(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(columnar, "CHUNK_BYTES", chunk)
    records = alpaca_records(3000, seed=1)
    for r in records[1500:]:
        r["late_field"] = 1  # a field first seen in a later chunk: same field list and order as the scan
    records[2999]["later"] = "x"
    path = write(tmp_path / "pool.jsonl", records)
    assert fast_columns(path) is not None
    assert_same_pool(*load_both(path, monkeypatch))
    lenient = load_both(path, monkeypatch, lenient=True)
    assert_same_pool(*lenient)


def test_variants_identical(tmp_path, monkeypatch):
    """CRLF, blank lines, ASCII escapes (a valid surrogate pair), no final newline, no optional columns, all
    tags empty or null, an explicit shape, columns mapped by name, a text id field named _id."""
    monkeypatch.setattr(columnar, "CHUNK_BYTES", 1 << 13)
    base = alpaca_records(400, seed=2)
    cases = {
        "crlf.jsonl": (write(tmp_path / "crlf.jsonl", base, newline="\r\n"), {}),
        "escaped.jsonl": (write(tmp_path / "escaped.jsonl", base, ascii_only=True), {}),
        "plain.jsonl": (write(tmp_path / "plain.jsonl", alpaca_records(300, 3, tags=False, quality=False,
                                                                        category=False, ids=False)), {}),
        "explicit.jsonl": (write(tmp_path / "explicit.jsonl", base), {"shape": "alpaca"}),
        "mapped.jsonl": (write(tmp_path / "mapped.jsonl", [{**r, "score": 1.5, "labels": ["a"]} for r in base]),
                         {"columns": {"quality": "score", "tags": "labels"}}),
    }
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes(b"\n" + write(tmp_path / "b0.jsonl", base[:50]).read_bytes().replace(b"\n", b"\n\n", 7)
                      + b"\n\n")
    cases["blank.jsonl"] = (blank, {})
    no_final = tmp_path / "no_final.jsonl"
    no_final.write_bytes(write(tmp_path / "nf0.jsonl", base).read_bytes().rstrip(b"\n"))
    cases["no_final.jsonl"] = (no_final, {})
    empty_tags = [{**r, "tags": [] if i % 2 else None} for i, r in enumerate(base)]
    cases["empty_tags.jsonl"] = (write(tmp_path / "empty_tags.jsonl", empty_tags), {})
    number_ids = [{**r, "id": 10**12 + i, "category": i % 3} for i, r in enumerate(alpaca_records(200, seed=6))]
    cases["number_ids.jsonl"] = (write(tmp_path / "number_ids.jsonl", number_ids), {})
    under_id = [{"_id": r.pop("id"), **r} for r in alpaca_records(200, seed=4)]
    cases["under_id.jsonl"] = (write(tmp_path / "under_id.jsonl", under_id), {})
    for name, (path, kwargs) in cases.items():
        assert fast_columns(path, kwargs.get("shape", "auto"), kwargs.get("columns")) is not None, name
        fast, slow = load_both(path, monkeypatch, **kwargs)
        assert not isinstance(slow, InputError), (name, slow)
        assert_same_pool(fast, slow)


ROLE_NAMES = (("human", "gpt"), ("Human", "GPT"), ("user", "assistant"), ("USER", "chatgpt"), ("user", "model"))


def chat_records(n: int, seed: int, speaker: str, text: str, key: str) -> list[dict]:
    """Conversations of 1-6 turns: system/tool turns, assistant turns before the first user turn, several users."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        user, bot = rng.choice(ROLE_NAMES)
        turns = []
        if rng.random() < 0.2:
            turns.append({speaker: "system", text: "be brief"})
        if rng.random() < 0.1:
            turns.append({speaker: bot, text: "hello " + rng.choice(WORDS)})
        for _ in range(rng.randint(1, 3)):
            turns.append({speaker: user, text: " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 8)))})
            if rng.random() < 0.15:
                turns.append({speaker: "tool", text: "{}"})
            if rng.random() < 0.85:
                turns.append({speaker: bot, text: " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 20)))})
        r = {"id": f"c{i}", key: turns, "tags": rng.sample(["a", "b", "c"], rng.randint(0, 2)),
             "quality": rng.random(), "category": rng.choice(["x", "y"])}
        out.append(r)
    return out


@pytest.mark.parametrize("speaker,text,key", [("from", "value", "conversations"), ("role", "content", "messages"),
                                              ("role", "content", "conversations")])
def test_chat_shapes_identical(tmp_path, monkeypatch, speaker, text, key):
    monkeypatch.setattr(columnar, "CHUNK_BYTES", 1 << 14)
    path = write(tmp_path / "chat.jsonl", chat_records(1500, 7, speaker, text, key))
    assert fast_columns(path) is not None
    fast, slow = load_both(path, monkeypatch)
    assert slow.shape == ("openai" if key == "messages" else "sharegpt")
    assert_same_pool(fast, slow)


def test_chat_files_the_fast_path_declines(tmp_path, monkeypatch):
    """Bad conversations and the valid ones the fast path leaves to the scan: the scan's pools and errors."""
    good = chat_records(1200, 8, "from", "value", "conversations")

    def with_record(i: int, record: dict) -> list:
        records = list(good)
        records[i] = {**good[i], **record}
        return records

    turn = {"from": "human", "value": "q"}
    cases = {
        "unknown_speaker": with_record(1100, {"conversations": [{"from": "robot", "value": "q"}]}),
        "no_user": with_record(1100, {"conversations": [{"from": "gpt", "value": "a"}]}),
        "empty": with_record(1100, {"conversations": []}),
        "null": with_record(1100, {"conversations": None}),
        "not_a_list": with_record(1100, {"conversations": "hi"}),
        "null_turn": with_record(1100, {"conversations": [turn, None]}),
        "number_text": with_record(1100, {"conversations": [{"from": "human", "value": 3}]}),
        "parts": with_record(1100, {"conversations": [{"from": "human", "value": [{"type": "text", "text": "a"}]}]}),
        "null_answer": with_record(1100, {"conversations": [turn, {"from": "gpt", "value": None}]}),
        "null_question": with_record(1100, {"conversations": [{"from": "human", "value": None}]}),
        "mixed_keys": with_record(1100, {"conversations": [{"role": "user", "content": "q"}, turn]}),
        "missing_value": with_record(1100, {"conversations": [{"from": "human"}]}),
        "too_long": with_record(1100, {"conversations": [{"from": "human", "value": "z" * 5000}]}),
        "missing_key": [{k: v for k, v in r.items() if k != "conversations"} if i == 1100 else r
                        for i, r in enumerate(good)],
    }
    for name, records in cases.items():
        path = write(tmp_path / f"{name}.jsonl", records)
        kwargs = {"max_text_chars": 4000} if name == "too_long" else {}
        assert fast_columns(path, max_chars=kwargs.get("max_text_chars", 1_000_000)) is None, name
        for lenient in (False, True):
            assert_same_pool(*load_both(path, monkeypatch, lenient=lenient, **kwargs))


def test_mig_shape_takes_the_scan(tmp_path, monkeypatch):
    mig = [{"dialogs": [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": "a"}],
            "annotation": {"instag": {"content": [{"tag": "t"}]}, "deita": {"quality_scores": [1.0],
                                                                            "complexity_scores": [2.0]}}}
           for i in range(50)]
    path = write(tmp_path / "mig.jsonl", mig)
    assert fast_columns(path) is None
    assert_same_pool(*load_both(path, monkeypatch))


# -- files the fast path declines: the scan's errors and problems ------------------------------------------

def _bad_files(tmp_path: Path) -> dict[str, bytes]:
    good = [json.dumps(r, ensure_ascii=False) for r in alpaca_records(1200, seed=5)]

    def with_line(i: int, text: str) -> bytes:
        lines = list(good)
        lines[i] = text
        return ("\n".join(lines) + "\n").encode("utf-8")

    rec = json.loads(good[1100])
    return {
        "malformed": with_line(1100, '{"id": "x", "instruction": "a", '),
        "wrong_type": with_line(1100, json.dumps({**rec, "instruction": 5})),
        "missing_field": with_line(1100, json.dumps({k: v for k, v in rec.items() if k != "output"})),
        "null_output": with_line(1100, json.dumps({**rec, "output": None})),
        "duplicate_id": with_line(1100, json.dumps({**rec, "id": json.loads(good[3])["id"]})),
        "empty_id": with_line(1100, json.dumps({**rec, "id": ""})),
        "number_id": with_line(1100, json.dumps({**rec, "id": 7})),
        "null_id": with_line(1100, json.dumps({**rec, "id": None})),
        "null_quality": with_line(1100, json.dumps({**rec, "quality": None})),
        "nan_quality": with_line(1100, json.dumps({**rec, "quality": float("nan")})),
        "text_quality": with_line(1100, json.dumps({**rec, "quality": "high"})),
        "bool_quality": with_line(1100, json.dumps({**rec, "quality": True})),
        "huge_quality": with_line(1100, json.dumps({**rec, "quality": 10**400})),
        "long_int_quality": with_line(1100, json.dumps({**rec, "quality": 123456789012345678901})),
        "tag_spaces": with_line(1100, json.dumps({**rec, "tags": [" math ", ""]})),
        "tag_number": with_line(1100, json.dumps({**rec, "tags": ["a", 3]})),
        "tag_text": with_line(1100, json.dumps({**rec, "tags": "a, b"})),
        "number_category": with_line(1100, json.dumps({**rec, "category": 3})),
        "float_category": with_line(1100, json.dumps({**rec, "category": 1.5})),
        "bool_category": with_line(1100, json.dumps({**rec, "category": True})),
        "float_id": with_line(1100, json.dumps({**rec, "id": 2.5})),
        "list_category": with_line(1100, json.dumps({**rec, "category": ["a", "b"]})),
        "two_objects": with_line(1100, json.dumps(rec) + " " + json.dumps({**rec, "id": "zz"})),
        "array_line": with_line(1100, "[1, 2]"),
        "indented": with_line(1100, "  " + json.dumps({**rec, "id": "zz"})),
        "lone_surrogate": with_line(1100, json.dumps({**rec, "output": "x"}).replace('"x"', '"\\ud800"')),
        "lone_low_surrogate": with_line(1100, json.dumps({**rec, "output": "x"}).replace('"x"', '"\\udc00"')),
        "duplicate_key": with_line(1100, json.dumps(rec)[:-1] + ', "output": "again"}'),
        "too_long": with_line(1100, json.dumps({**rec, "output": "y" * 5000})),
        "bom": b"\xef\xbb\xbf" + with_line(0, good[0]),
        "not_utf8": with_line(1100, good[1100]).replace(good[1100].encode("utf-8"),
                                                         good[1100].encode("utf-8")[:-2] + b'\xff"}'),
        "whitespace_line": with_line(1100, "   "),
        "deep_extra": with_line(1100, json.dumps(rec)[:-1] + ', "x": ' + "[" * 3000 + "]" * 3000 + "}"),
        "deep_object": with_line(1100, json.dumps(rec)[:-1] + ', "x": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}"),
        "huge_int_extra": with_line(1100, json.dumps(rec)[:-1] + ', "x": ' + "9" * 5000 + "}"),
        "nan_extra": with_line(1100, json.dumps(rec)[:-1] + ', "x": {"y": [NaN]}}'),
        "raw_tab": with_line(1100, json.dumps({**rec, "output": "x"}).replace('"x"', '"a\tb"')),
        "trailing_comma": with_line(1100, json.dumps(rec)[:-1] + ", }"),
        "leading_zero": with_line(1100, json.dumps(rec)[:-1] + ', "x": 01}'),
        "first_sample_chat": with_line(0, json.dumps({"conversations": [{"from": "human", "value": "q"}]})),
    }


def test_bad_files_give_the_scans_messages(tmp_path, monkeypatch):
    monkeypatch.setattr(columnar, "CHUNK_BYTES", 1 << 15)
    for name, data in _bad_files(tmp_path).items():
        path = tmp_path / f"{name}.jsonl"
        path.write_bytes(data)
        kwargs = {"max_text_chars": 4000} if name == "too_long" else {}
        if name not in ("whitespace_line", "long_int_quality"):  # those two are valid: either path, same pool
            got = fast_columns(path, max_chars=kwargs.get("max_text_chars", 1_000_000))
            assert got is None, name
        for lenient in (False, True):
            fast, slow = load_both(path, monkeypatch, lenient=lenient, **kwargs)
            assert_same_pool(fast, slow)


def test_whitespace_only_line_declines(tmp_path):
    """A line of spaces is skipped by both readers, but only the scan knows it is blank: the fast path declines
    (a record line must start with '{')."""
    path = tmp_path / "ws.jsonl"
    path.write_bytes(_bad_files(tmp_path)["whitespace_line"])
    assert fast_columns(path) is None


def test_duplicate_id_message_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "dup.jsonl"
    path.write_bytes(_bad_files(tmp_path)["duplicate_id"])
    fast, slow = load_both(path, monkeypatch)
    assert isinstance(fast, InputError) and fast.line == 1101 and fast.field == "id"
    assert "duplicate id" in str(fast) and "also on line 4" in str(fast)
