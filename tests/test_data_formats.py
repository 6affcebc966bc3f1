"""Loading every file format x record shape into a Pool: shapes, ids, text views, tags, quality, uploads."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest

from core.data import Pool, load_pool
from core.errors import InputError

FORMATS = ("jsonl", "json", "csv", "parquet")


def write_pool(tmp_path: Path, records: list[dict], fmt: str, stem: str = "pool") -> Path:
    """Write ``records`` as a ``fmt`` file (CSV: nested values as JSON text, the way our export writes them)."""
    path = tmp_path / f"{stem}.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")
    elif fmt == "csv":
        fields = list(dict.fromkeys(k for r in records for k in r))
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(fields)
            for r in records:
                writer.writerow([_cell(r.get(f)) for f in fields])
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_struct_array(pa.array(records)), path)  # schema from every row
    return path


def _cell(v):
    if v is None:
        return ""
    return json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else str(v)


ALPACA = [
    {"id": "a1", "instruction": "Add 2 and 3.", "input": "", "output": "5", "tags": ["math", "arithmetic"],
     "quality": 4.5, "category": "maths"},
    {"id": "a2", "instruction": "Translate to English.", "input": "bonjour", "output": "hello",
     "tags": ["translation"], "quality": 3.0, "category": "language"},
    {"id": "a3", "instruction": "Name a prime.", "input": "", "output": "7", "tags": [], "quality": 2.25,
     "category": "maths"},
]
SHAREGPT = [
    {"id": "s1", "conversations": [{"from": "system", "value": "Be brief."}, {"from": "human", "value": "Hi?"},
                                   {"from": "gpt", "value": "Hello."}, {"from": "human", "value": "A colour?"},
                                   {"from": "gpt", "value": "Blue."}], "tags": "chat, colours", "quality": 1.5},
    {"id": "s2", "conversations": [{"from": "user", "value": "2+2?"}, {"from": "assistant", "value": "4"}],
     "tags": "math", "quality": 2.5},
]
OPENAI = [
    {"id": "o1", "messages": [{"role": "system", "content": "You help."}, {"role": "user", "content": "Sum 1 2"},
                              {"role": "assistant", "content": "3"}], "score": 0.5},
    {"id": "o2", "messages": [{"role": "user", "content": "Capital of France?"},
                              {"role": "assistant", "content": "Paris"},
                              {"role": "user", "content": "And Italy?"}, {"role": "assistant", "content": "Rome"}],
     "score": 0.75},
]
MIG = [
    {"_id": "m1", "dialogs": [{"role": "user", "content": "Write a haiku."},
                              {"role": "assistant", "content": "Leaves"}],
     "source": ["tulu"], "annotation": {"instag": {"content": ["poetry", "creative writing"], "versions": [100, 100]},
                                        "dialog_round": 2,
                                        "deita": {"quality_scores": [3.0, 4.0], "complexity_scores": [2.0, 1.0]}}},
    {"_id": "m2", "dialogs": [{"role": "user", "content": "Sort [3,1]."}, {"role": "assistant", "content": "[1,3]"}],
     "source": ["code"], "annotation": {"instag": {"content": ["sorting"], "versions": [100]}, "dialog_round": 1,
                                        "deita": {"quality_scores": [2.5], "complexity_scores": [2.0]}}},
]
PROMPT_RESPONSE = [
    {"prompt": "Define entropy.", "response": "A measure of disorder.", "quality": 5},
    {"prompt": "Define enthalpy.", "response": "Heat content.", "quality": 4},
]
COLUMNS = [
    {"qid": 7, "q": "What is 6x7?", "a": "42", "labels": "math, multiplication", "score": 2, "kind": "maths"},
    {"qid": 8, "q": "Spell cat.", "a": "c-a-t", "labels": "spelling", "score": 1, "kind": "language"},
]

# shape -> (records, load kwargs, expected shape, ids, instructions, responses, tags, quality)
CASES = {
    "alpaca": (ALPACA, {}, "alpaca", ["a1", "a2", "a3"],
               ["Add 2 and 3.", "Translate to English.\n\nbonjour", "Name a prime."], ["5", "hello", "7"],
               [["math", "arithmetic"], ["translation"], []], [4.5, 3.0, 2.25]),
    "sharegpt": (SHAREGPT, {}, "sharegpt", ["s1", "s2"], ["Hi?", "2+2?"], ["Hello.", "4"],
                 [["chat", "colours"], ["math"]], [1.5, 2.5]),
    "openai": (OPENAI, {}, "openai", ["o1", "o2"], ["Sum 1 2", "Capital of France?"], ["3", "Paris"], None,
               [0.5, 0.75]),
    "mig": (MIG, {}, "mig", ["m1", "m2"], ["Write a haiku.", "Sort [3,1]."], ["Leaves", "[1,3]"],
            [["poetry", "creative writing"], ["sorting"]], [(3 * 2 + 4 * 1) / 2, 5.0]),
    "prompt_response": (PROMPT_RESPONSE, {}, "prompt_response", ["0", "1"], ["Define entropy.", "Define enthalpy."],
                        ["A measure of disorder.", "Heat content."], None, [5.0, 4.0]),
    "columns": (COLUMNS, {"columns": {"instruction": "q", "response": "a", "tags": "labels", "quality": "score",
                                      "id": "qid", "category": "kind"}}, "columns", ["7", "8"],
                ["What is 6x7?", "Spell cat."], ["42", "c-a-t"], [["math", "multiplication"], ["spelling"]],
                [2.0, 1.0]),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("shape", list(CASES))
def test_every_format_and_shape(tmp_path, fmt, shape):
    records, kwargs, want_shape, ids, instructions, responses, tags, quality = CASES[shape]
    path = write_pool(tmp_path, records, fmt)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    pool = load_pool(path, **kwargs)
    assert isinstance(pool, Pool)
    assert pool.shape == want_shape and pool.format == fmt and len(pool) == len(records)
    assert pool.ids == ids
    assert pool.instructions == instructions
    assert pool.responses == responses
    assert pool.tags == tags
    np.testing.assert_allclose(pool.quality, quality)
    assert pool.quality.dtype == np.float64
    assert pool.file_sha256 == before == hashlib.sha256(path.read_bytes()).hexdigest()
    assert pool.path == path and pool.name == path.name and pool.problems == []
    assert pool.fields == list(dict.fromkeys(k for r in records for k in r))


@pytest.mark.parametrize("fmt", ("jsonl", "json", "parquet"))
def test_records_are_the_originals_untouched(tmp_path, fmt):
    records = ALPACA + [{"id": "a4", "instruction": "Ünïcødé ✓\r\nline", "input": "", "output": "1",
                         "nested": {"k": [1, 2.0, None]}, "quality": 1}]
    pool = load_pool(write_pool(tmp_path, records, fmt))
    got = pool.records
    if fmt == "parquet":  # parquet unifies the schema: absent fields come back as null
        got = [{k: v for k, v in r.items() if k in orig} for r, orig in zip(got, records)]
    assert got == records
    if fmt != "parquet":
        assert type(pool.records[3]["quality"]) is int and type(pool.records[0]["quality"]) is float
    _ = pool.instructions, pool.tags, pool.quality, pool.to_frame()
    assert got == records  # deriving views did not change a record


def test_shape_override_and_detection(tmp_path):
    records = [{"instruction": "I", "output": "O", "prompt": "P", "response": "R"}]
    path = write_pool(tmp_path, records, "jsonl")
    assert load_pool(path).shape == "alpaca"
    pool = load_pool(path, shape="prompt_response")
    assert pool.shape == "prompt_response" and pool.instructions == ["P"] and pool.responses == ["R"]
    qa = write_pool(tmp_path, [{"question": "Q1", "answer": "A1"}], "jsonl", "qa")
    pool = load_pool(qa)
    assert pool.shape == "prompt_response" and pool.texts("instruction+response") == ["Q1\n\nA1"]


def test_ids_row_numbers_numbers_and_id_field(tmp_path):
    rows = [{"instruction": f"q{i}", "output": "a", "qid": 100 + i, "n": i * 1.5} for i in range(3)]
    path = write_pool(tmp_path, rows, "jsonl")
    assert load_pool(path).ids == ["0", "1", "2"] and load_pool(path).id_field is None
    assert load_pool(path, id_field="qid").ids == ["100", "101", "102"]
    assert load_pool(path, id_field="n").ids == ["0.0", "1.5", "3.0"]
    blank = tmp_path / "blank.jsonl"  # blank lines are skipped and do not count as rows
    blank.write_text("\n" + json.dumps(rows[0]) + "\n\n  \n" + json.dumps(rows[1]) + "\n")
    pool = load_pool(blank)
    assert pool.ids == ["0", "1"] and pool.lines.tolist() == [2, 5]


def test_text_views_first_and_all_turns(tmp_path):
    pool = load_pool(write_pool(tmp_path, SHAREGPT, "jsonl"))
    assert pool.texts() == ["Hi?", "2+2?"]
    assert pool.texts("instruction+response") == ["Hi?\n\nHello.", "2+2?\n\n4"]
    assert pool.texts("instruction", turns="all") == ["Hi?\n\nA colour?", "2+2?"]
    assert pool.texts("instruction+response", turns="all") == ["Hi?\n\nHello.\n\nA colour?\n\nBlue.", "2+2?\n\n4"]
    alpaca = load_pool(write_pool(tmp_path, ALPACA, "jsonl", "alp"))
    assert alpaca.texts("instruction+response")[1] == "Translate to English.\n\nbonjour\n\nhello"
    assert alpaca.texts(turns="all") == alpaca.instructions
    with pytest.raises(ValueError, match="view"):
        alpaca.texts("everything")


def test_tags_comma_string_and_instag_dicts(tmp_path):
    rows = [{"instruction": "x", "output": "y", "tags": " a, b ,,c "}, {"instruction": "x", "output": "y",
                                                                      "tags": None},
            {"instruction": "x", "output": "y", "tags": ["d", " e "]}]
    assert load_pool(write_pool(tmp_path, rows, "jsonl")).tags == [["a", "b", "c"], [], ["d", "e"]]
    mig = [dict(MIG[0], annotation={"instag": {"content": [{"tag": "poetry", "explanation": "a poem"},
                                                           {"tag": "haiku", "explanation": "short"}]}}),
           {"_id": "m3", "dialogs": [{"role": "user", "content": "hi"}]}]
    pool = load_pool(write_pool(tmp_path, mig, "jsonl", "mig"))
    assert pool.tags == [["poetry", "haiku"], []]
    assert pool.quality is None  # no record has DEITA scores
    assert pool.responses == ["Leaves", ""]


def test_deita_quality_mean_over_rounds_and_missing(tmp_path):
    rows = MIG + [{"_id": "m9", "dialogs": [{"role": "user", "content": "no notes"}], "annotation": None}]
    pool = load_pool(write_pool(tmp_path, rows, "jsonl"))
    assert pool.quality[:2].tolist() == [5.0, 5.0]  # (3*2 + 4*1)/2 and 2.5*2
    assert math.isnan(pool.quality[2]) and pool.tags[2] == []
    assert pool.ids == ["m1", "m2", "m9"] and pool.id_field == "_id"
    assert pool.categories == ["tulu", "code", ""]


def test_xsample_example_layout(tmp_path):
    """A record laid out like yichengchen24/xsample data/example.jsonl (dialogs, _id, ifd_score, annotation)."""
    rec = {"dialogs": [{"role": "user", "content": "translate this code"}, {"role": "assistant", "content": "ok"}],
           "source": ["ai2-adapt-dev/evol_codealpaca"], "_id": "09968d11fd5b70c445cf361e",
           "ifd_score": {"version": 100, "content": 0.789},
           "annotation": {"instag": {"content": ["code translation", "code comment"], "versions": [100, 100]},
                          "dialog_round": 1, "CaR": [1.0000001192092896],
                          "deita": {"quality_scores": [3.5785536465098664], "complexity_scores": [2.035370713781308]}}}
    pool = load_pool(write_pool(tmp_path, [rec], "jsonl"))
    assert pool.shape == "mig" and pool.ids == ["09968d11fd5b70c445cf361e"]
    assert pool.tags == [["code translation", "code comment"]]
    assert pool.quality[0] == pytest.approx(3.5785536465098664 * 2.035370713781308)


def test_openai_content_parts_and_categories_from_source(tmp_path):
    rows = [{"messages": [{"role": "user", "content": [{"type": "text", "text": "Look"},
                                                       {"type": "image_url", "image_url": {"url": "x"}},
                                                       {"type": "text", "text": "here"}]},
                          {"role": "assistant", "content": None, "tool_calls": []},
                          {"role": "tool", "content": "result"}, {"role": "assistant", "content": "done"}],
             "source": "web"}]
    pool = load_pool(write_pool(tmp_path, rows, "jsonl"))
    assert pool.instructions == ["Look\nhere"] and pool.responses == [""]
    assert pool.texts("instruction+response", turns="all") == ["Look\nhere\n\ndone"]
    assert pool.categories == ["web"]


def test_embedding_column(tmp_path):
    rows = [{"instruction": "a", "output": "b", "embedding": [1, 0, 0.5]},
            {"instruction": "c", "output": "d", "embedding": [0, 1, 0.25]}]
    for fmt in ("jsonl", "csv"):
        emb = load_pool(write_pool(tmp_path, rows, fmt)).embedding_column
        assert emb.dtype == np.float32 and emb.tolist() == [[1, 0, 0.5], [0, 1, 0.25]]
    ragged = [rows[0], dict(rows[1], embedding=[1, 2])]
    with pytest.raises(InputError) as err:  # a malformed embedding column is an error naming line and field
        load_pool(write_pool(tmp_path, ragged, "jsonl", "ragged")).embedding_column
    assert err.value.line == 2 and err.value.field == "embedding" and "2 numbers" in str(err.value)
    text = [rows[0], dict(rows[1], embedding="not a list")]
    with pytest.raises(InputError, match="line 2, field 'embedding'"):
        load_pool(write_pool(tmp_path, text, "jsonl", "text")).embedding_column
    assert load_pool(write_pool(tmp_path, ALPACA, "jsonl", "none")).embedding_column is None


def test_uploads_bytes_buffers_and_streamlit_like(tmp_path):
    data = write_pool(tmp_path, ALPACA, "jsonl").read_bytes()

    class Uploaded(io.BytesIO):  # Streamlit's UploadedFile is a BytesIO with a name
        name = "upload.jsonl"

    up = Uploaded(data)
    up.seek(5)
    for pool in (load_pool(up), load_pool(data, name="raw.jsonl"), load_pool(io.BytesIO(data), name="b.jsonl")):
        assert pool.ids == ["a1", "a2", "a3"] and pool.path is None
        assert pool.file_sha256 == hashlib.sha256(data).hexdigest()
    assert up.tell() == 5 and load_pool(up).name == "upload.jsonl"
    csv_bytes = write_pool(tmp_path, ALPACA, "csv").read_bytes()
    assert load_pool(csv_bytes, name="x.csv").instructions == CASES["alpaca"][4]


def test_line_endings_bom_ndjson_and_mislabelled_json(tmp_path):
    body = "\r\n".join(json.dumps(r) for r in ALPACA) + "\r\n"
    path = tmp_path / "p.ndjson"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    pool = load_pool(path)
    assert pool.format == "jsonl" and pool.ids == ["a1", "a2", "a3"]
    mislabelled = tmp_path / "lines.json"  # JSON Lines saved as .json
    mislabelled.write_text(body)
    assert load_pool(mislabelled).ids == ["a1", "a2", "a3"]
    csv_crlf = tmp_path / "c.csv"
    csv_crlf.write_bytes(b"\xef\xbb\xbfid,instruction,output\r\n1,\"multi\r\nline\",x\r\n2,b,y\r\n")
    pool = load_pool(csv_crlf)
    assert pool.instructions == ["multi\r\nline", "b"] and pool.lines.tolist() == [2, 4]


def test_subset_and_frame(tmp_path):
    pool = load_pool(write_pool(tmp_path, ALPACA, "jsonl"))
    _ = pool.instructions
    sub = pool.subset([2, 0])
    assert sub.ids == ["a3", "a1"] and sub.records[0] is pool.records[2]
    assert sub.instructions == ["Name a prime.", "Add 2 and 3."] and sub.quality.tolist() == [2.25, 4.5]
    assert sub.tags == [[], ["math", "arithmetic"]] and sub.lines.tolist() == [3, 1] and len(sub) == 2
    frame = pool.to_frame(max_chars=10)
    assert list(frame.columns) == ["id", "instruction", "response", "category", "tags", "quality"]
    assert frame["instruction"].tolist()[1] == "Translate…" and len(frame["instruction"][1]) == 10
    assert frame["tags"].tolist() == ["math, arithmetic", "translation", ""]
    bare = load_pool(write_pool(tmp_path, [{"instruction": "i", "output": "o"}], "jsonl", "bare")).to_frame()
    assert bare["category"].tolist() == [""] and math.isnan(bare["quality"][0])


def test_sample_data_loads(sample_path):
    pool = load_pool(sample_path)
    assert pool.shape == "alpaca" and len(pool) == 455
    assert pool.ids[:2] == ["s0001", "s0002"] and pool.ids[-1] == "s0455"
    assert len(set(pool.categories)) == 12 and all(2 <= len(tags) <= 6 for tags in pool.tags)
    assert pool.quality.min() >= 1.0 and pool.quality.max() <= 10.0


def test_columns_override_optional_fields_of_a_detected_shape(tmp_path):
    rows = [{"instruction": "a", "output": "b", "labels": ["x"], "stars": 4, "tags": "ignored", "topic": "t1"},
            {"instruction": "c", "output": "d", "labels": "y, z", "stars": 5, "tags": "ignored", "topic": "t2"}]
    pool = load_pool(write_pool(tmp_path, rows, "jsonl"),
                     columns={"tags": "labels", "quality": "stars", "category": "topic"})
    assert pool.shape == "alpaca" and pool.tags == [["x"], ["y", "z"]]
    assert pool.quality.tolist() == [4.0, 5.0] and pool.categories == ["t1", "t2"]
    nested = [{"q": {"text": "hi"}, "meta": {"score": 0.5}}]
    pool = load_pool(write_pool(tmp_path, nested, "jsonl", "nested"),
                     columns={"instruction": "q.text", "quality": "meta.score"})
    assert pool.instructions == ["hi"] and pool.responses == [""] and pool.quality.tolist() == [0.5]
