"""Export: JSONL round trip (records field for field), CSV columns, clash renaming, manifests, no overwrite."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import numpy as np
import pytest

import core
from core.data import (export_subset, load_pool, make_manifest, read_manifest, strip_added, to_csv_bytes,
                       to_jsonl_bytes, write_manifest)
from core.errors import SiftError

RECORDS = [
    {"id": "r0", "instruction": "Ünïcødé ✓ 中文 🙂", "input": "", "output": "line1\r\nline2\u2028end",
     "quality": 3, "meta": {"src": "x", "scores": [1, 2.0, None], "deep": {"a": [{"b": True}]}}},
    {"id": "r1", "instruction": "Tabs\tand \"quotes\", commas", "input": "ctx", "output": "1.0", "quality": 2.5,
     "meta": {}},
    {"id": "r2", "instruction": "Ints vs floats", "input": "", "output": "x", "quality": 1.0, "big": 12345678901234567,
     "tiny": 1e-300, "neg": -0.0, "nothing": None},
    {"id": "r3", "instruction": "Last", "input": "", "output": "y", "quality": 0, "tags": ["a", "b"]},
]


@pytest.fixture
def pool_path(tmp_path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def added_columns(k: int) -> dict:
    return {"selector": ["mig"] * k, "rank": np.arange(1, k + 1, dtype=np.int64),
            "gain": np.linspace(1.0, 0.5, k).astype(np.float32), "quality": [np.float64(9.5)] * (k - 1) + [np.nan]}


def _same(a, b) -> bool:
    """Deep equality that also tells ints from floats (1 != 1.0 here) and -0.0 from 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return repr(a) == repr(b)
    return a == b


def test_jsonl_round_trip_exact(tmp_path, pool_path):
    before = pool_path.read_bytes()
    pool = load_pool(pool_path)
    snapshot = copy.deepcopy(pool.records)
    picks = [3, 0, 2, 1]
    out = tmp_path / "subset.jsonl"
    manifest = make_manifest(pool, method="mig", params={"threshold": 0.9}, seed=7, indices=picks,
                             added_columns=added_columns(4))
    result = export_subset(pool, picks, out, added=added_columns(4), manifest=manifest)
    assert result["added_columns"] == ["selector", "rank", "gain", "sift_quality"]
    assert result["rows"] == 4 and result["format"] == "jsonl"
    back = load_pool(out)
    assert back.ids == ["r3", "r0", "r2", "r1"]
    saved = read_manifest(result["manifest_path"])
    for got, i in zip(back.records, picks):
        assert _same(strip_added(got, saved), RECORDS[i]), (got, RECORDS[i])
    first = back.records[0]
    assert first["quality"] == 0 and first["sift_quality"] == 9.5 and first["rank"] == 1
    assert first["gain"] == pytest.approx(1.0) and back.records[3]["sift_quality"] is None  # NaN -> null
    assert list(first)[-4:] == ["selector", "rank", "gain", "sift_quality"]
    assert _same(list(pool.records), snapshot) and pool_path.read_bytes() == before


def test_jsonl_bytes_match_file_and_raw_lines(tmp_path, pool_path):
    pool = load_pool(pool_path)
    data = to_jsonl_bytes(pool, [0, 1, 2, 3])
    assert data == pool_path.read_bytes()  # no added columns: the same bytes as a json.dumps-written input
    out = tmp_path / "a.jsonl"
    info = export_subset(pool, [1, 2], out, added={"rank": [1, 2]})
    assert out.read_bytes() == to_jsonl_bytes(pool, [1, 2], added={"rank": [1, 2]})
    assert info["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert "\u2028" in data.decode() and data.count(b"\n") == 4  # raw U+2028 kept inside its line
    buf = io.StringIO()
    export_subset(pool, [0], buf, fmt="jsonl")
    assert buf.getvalue().encode() == to_jsonl_bytes(pool, [0])


def test_csv_columns_and_nested_values(tmp_path, pool_path):
    pool = load_pool(pool_path)
    data = to_csv_bytes(pool, [0, 2], added={"rank": [1, 2], "quality": [0.5, 0.25], "note": [None, "ok"]})
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == pool.fields + ["rank", "sift_quality", "note"]
    assert pool.fields == ["id", "instruction", "input", "output", "quality", "meta", "big", "tiny", "neg",
                           "nothing", "tags"]
    first = dict(zip(rows[0], rows[1]))
    assert first["output"] == "line1\r\nline2\u2028end" and first["quality"] == "3"
    assert json.loads(first["meta"]) == RECORDS[0]["meta"] and first["big"] == ""
    second = dict(zip(rows[0], rows[2]))
    assert second["big"] == "12345678901234567" and second["nothing"] == "" and second["tiny"] == "1e-300"
    assert (second["rank"], second["sift_quality"], second["note"]) == ("2", "0.25", "ok")
    out = tmp_path / "sub.csv"
    export_subset(pool, [0, 2, 3], out, added={"rank": [1, 2, 3]})
    back = load_pool(out)
    assert back.shape == "alpaca" and back.ids == ["r0", "r2", "r3"]
    assert back.instructions == [pool.instructions[i] for i in (0, 2, 3)]
    assert back.tags == [[], [], ["a", "b"]] and back.quality.tolist() == [3.0, 1.0, 0.0]


def test_nested_shape_survives_csv(tmp_path):
    path = tmp_path / "chat.jsonl"
    recs = [{"id": "c1", "conversations": [{"from": "human", "value": "Hi, you?"}, {"from": "gpt", "value": "Yo"}]},
            {"id": "c2", "conversations": [{"from": "human", "value": "2+2"}, {"from": "gpt", "value": "4"}]}]
    path.write_text("\n".join(json.dumps(r) for r in recs))
    pool = load_pool(path)
    out = tmp_path / "chat.csv"
    export_subset(pool, [1, 0], out)
    back = load_pool(out)
    assert back.shape == "sharegpt" and back.records == [recs[1], recs[0]]


def test_clash_renaming_never_overwrites(pool_path):
    pool = load_pool(pool_path)
    added = {"quality": [1.0], "sift_quality": [2.0], "id": ["x"]}
    rec = json.loads(to_jsonl_bytes(pool, [3], added=added))
    assert rec["quality"] == 0 and rec["id"] == "r3"
    assert rec["sift_quality"] == 1.0 and rec["sift_sift_quality"] == 2.0 and rec["sift_id"] == "x"
    clash = load_pool(io.BytesIO(b'{"instruction": "a", "output": "b", "rank": 1, "sift_rank": 2}\n'), name="c.jsonl")
    rec = json.loads(to_jsonl_bytes(clash, [0], added={"rank": [9]}))
    assert rec["rank"] == 1 and rec["sift_rank"] == 2 and rec["sift_rank_2"] == 9


def test_manifest_fields(tmp_path, pool_path):
    pool = load_pool(pool_path)
    picks = np.array([2, 0], dtype=np.int64)
    m = make_manifest(pool, method="k_center", params={"k": np.int64(3), "eps": np.float32(0.5)}, seed=42,
                      indices=picks, added_columns=["rank", "quality"], extra={"budget": 2})
    assert m["input"]["path"] == str(pool_path.resolve()) and m["input"]["sha256"] == pool.file_sha256
    assert m["input"]["sha256"] == hashlib.sha256(pool_path.read_bytes()).hexdigest()
    assert (m["input"]["rows"], m["selected"], m["input"]["shape"], m["input"]["format"]) == (4, 2, "alpaca", "jsonl")
    assert m["input"]["load_options"]["lenient"] is False
    assert (m["method"], m["params"], m["seed"]) == ("k_center", {"k": 3, "eps": 0.5}, 42)
    assert m["tool_version"] == core.__version__ and m["tool"] == "sift"
    assert dt.datetime.fromisoformat(m["created_utc"]).utcoffset() == dt.timedelta(0)
    assert m["added_columns"] == ["rank", "sift_quality"] and m["renamed_columns"] == {"quality": "sift_quality"}
    assert m["ids"] == ["r2", "r0"] and m["indices"] == [2, 0] and m["extra"] == {"budget": 2}
    path = write_manifest(m, tmp_path / "m.json")
    assert read_manifest(path) == json.loads(json.dumps(m))
    out = tmp_path / "pick.csv"
    res = export_subset(pool, picks, out, added={"rank": [1, 2], "quality": [0.1, 0.2]}, manifest=m)
    assert res["manifest_path"] == tmp_path / "pick.manifest.json"
    saved = read_manifest(res["manifest_path"])
    assert saved["output"] == {"name": "pick.csv", "format": "csv", "rows": 2,
                               "sha256": hashlib.sha256(out.read_bytes()).hexdigest()}
    # the manifest is enough to repeat the subset: reload the input and take the ids in order
    again = load_pool(saved["input"]["path"], **{k: v for k, v in saved["input"]["load_options"].items()
                                                  if k in ("shape", "lenient", "id_field", "max_text_chars")})
    assert again.file_sha256 == saved["input"]["sha256"]
    assert [again.ids.index(i) for i in saved["ids"]] == saved["indices"]


def test_export_refuses_bad_requests(tmp_path, pool_path):
    pool = load_pool(pool_path)
    before = pool_path.read_bytes()
    with pytest.raises(SiftError, match="refusing to overwrite the input file"):
        export_subset(pool, [0], pool_path)
    assert pool_path.read_bytes() == before
    with pytest.raises(SiftError, match="has 1 values for 2 rows"):
        export_subset(pool, [0, 1], tmp_path / "x.jsonl", added={"rank": [1]})
    with pytest.raises(SiftError, match="export format"):
        export_subset(pool, [0], tmp_path / "x.xlsx")
    with pytest.raises(SiftError, match="out of range"):
        to_jsonl_bytes(pool, [4])
    with pytest.raises(SiftError, match="manifest"):
        export_subset(pool, [0], io.BytesIO(), fmt="csv", manifest={"method": "x"})
    assert not (tmp_path / "x.jsonl").exists() and not list(tmp_path.glob(".*.tmp"))
    assert to_jsonl_bytes(pool, []) == b"" and to_csv_bytes(pool, []).decode().strip() == ",".join(pool.fields)
