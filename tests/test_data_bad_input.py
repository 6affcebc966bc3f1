"""Bad input: every case raises an InputError naming file, line and field (strict), or is listed (lenient)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from core.data import load_pool
from core.errors import InputError

GOOD = {"instruction": "Say hi.", "input": "", "output": "hi"}


def lines_file(tmp_path: Path, lines: list, name: str = "bad.jsonl") -> Path:
    """A JSONL file from a list of dicts (dumped) and raw strings/bytes (written as is), one per line."""
    out = b""
    for i, item in enumerate(lines):
        if isinstance(item, dict):
            item = json.dumps(dict(item, id=item.get("id", f"r{i}")))
        out += (item.encode() if isinstance(item, str) else item) + b"\n"
    path = tmp_path / name
    path.write_bytes(out)
    return path


def strict_error(path: Path, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        load_pool(path, **kwargs)
    err = info.value
    assert err.file == str(path) and str(path) in str(err)
    return err


# (name, line 2 content, field at fault, words the message must contain)
BAD_LINES = [
    ("malformed", '{"instruction": "x", "output": }', None, ["malformed JSON", "column"]),
    ("not an object", '["instruction", "output"]', None, ["expected a JSON object", "list"]),
    ("missing field", {"instruction": "x"}, "output", ["missing required field 'output'"]),
    ("instruction number", {"instruction": 42, "output": "y"}, "instruction", ["expected text", "number"]),
    ("instruction list", {"instruction": ["a"], "output": "y"}, "instruction", ["expected text", "list"]),
    ("input object", {"instruction": "x", "input": {"a": 1}, "output": "y"}, "input", ["expected text"]),
    ("quality text", {"instruction": "x", "output": "y", "quality": "high"}, "quality", ["expected a number",
                                                                                        "high"]),
    ("quality bool", {"instruction": "x", "output": "y", "quality": True}, "quality", ["expected a number"]),
    ("tags number", {"instruction": "x", "output": "y", "tags": 3}, "tags", ["list of strings", "comma"]),
    ("tags of numbers", {"instruction": "x", "output": "y", "tags": ["a", 1]}, "tags", ["every tag must be text"]),
    ("id object", {"instruction": "x", "output": "y", "id": {"a": 1}}, "id", ["an id must be text or a number"]),
]


@pytest.mark.parametrize("case", BAD_LINES, ids=[c[0] for c in BAD_LINES])
def test_bad_line_strict_names_file_line_field(tmp_path, case):
    _, bad, field, words = case
    path = lines_file(tmp_path, [dict(GOOD, quality=1.0, tags=["t"]), bad, dict(GOOD, quality=2.0, tags="u, v")])
    before = path.read_bytes()
    err = strict_error(path)
    assert err.line == 2 and err.field == field
    for word in words:
        assert word in str(err)
    assert "line 2" in str(err)
    assert path.read_bytes() == before  # never written to


@pytest.mark.parametrize("case", BAD_LINES, ids=[c[0] for c in BAD_LINES])
def test_bad_line_lenient_is_reported_not_dropped_silently(tmp_path, case):
    _, bad, field, words = case
    path = lines_file(tmp_path, [dict(GOOD, quality=1.0, tags=["t"]), bad, dict(GOOD, quality=2.0, tags="u, v")])
    pool = load_pool(path, lenient=True)
    assert pool.ids == ["r0", "r2"] and pool.lines.tolist() == [1, 3]
    assert len(pool.problems) == 1
    problem = pool.problems[0]
    assert problem.line == 2 and problem.field == field and words[0] in problem.reason
    assert pool.quality.tolist() == [1.0, 2.0] and pool.tags == [["t"], ["u", "v"]]


def test_first_problem_in_file_order_wins(tmp_path):
    path = lines_file(tmp_path, [GOOD, {"instruction": 1, "output": "y"}, GOOD, "{broken"])
    assert strict_error(path).line == 2
    pool = load_pool(path, lenient=True)
    assert [(p.line, p.field) for p in pool.problems] == [(2, "instruction"), (4, None)]
    odd = lines_file(tmp_path, [GOOD, {"instruction": 1, "output": "y", "odd": 1}], "odd.jsonl")
    assert load_pool(odd, lenient=True).fields == ["instruction", "input", "output", "id"]


def test_empty_files(tmp_path):
    for name, content in [("e.jsonl", b""), ("blank.jsonl", b"\n  \n\r\n"), ("e.json", b"[ ]"),
                          ("e.csv", b"instruction,output\n"), ("z.csv", b"")]:
        path = tmp_path / name
        path.write_bytes(content)
        err = strict_error(path)
        assert "empty" in str(err)
        with pytest.raises(InputError, match="empty"):
            load_pool(path, lenient=True)


def test_non_utf8_byte_names_line_and_offset(tmp_path):
    path = lines_file(tmp_path, [GOOD, b'{"instruction": "caf\xe9", "output": "y"}', GOOD])
    first_len = len(json.dumps(dict(GOOD, id="r0"))) + 1
    err = strict_error(path)
    assert err.line == 2 and "0xe9" in str(err) and "not valid UTF-8" in str(err)
    assert f"byte offset {first_len + 20}" in str(err) and "column 21" in str(err)
    pool = load_pool(path, lenient=True)
    assert len(pool) == 2 and pool.problems[0].line == 2
    for name, data in [("bad.json", b'[\n {"instruction": "a", "output": "b"},\n {"instruction": "\xff"}]'),
                       ("bad.csv", b"instruction,output\na,b\n\xffc,d\n")]:
        path = tmp_path / name
        path.write_bytes(data)
        err = strict_error(path)
        assert err.line == 3 and "0xff" in str(err)
        with pytest.raises(InputError, match="UTF-8"):  # cannot resync a CSV/JSON array: raises even lenient
            load_pool(path, lenient=True)


def test_unknown_shape_lists_keys_shapes_and_columns_hint(tmp_path):
    path = lines_file(tmp_path, [{"query": "a", "reply": "b"}])
    err = strict_error(path)
    text = str(err)
    for word in ("query", "reply", "alpaca", "sharegpt", "openai", "mig", "prompt_response", "columns="):
        assert word in text
    pool = load_pool(path, columns={"instruction": "query", "response": "reply"})
    assert pool.shape == "columns" and pool.instructions == ["a"] and pool.responses == ["b"]
    with pytest.raises(InputError, match="unknown shape 'chatml'"):
        load_pool(path, shape="chatml")


def test_huge_text_names_field_and_size(tmp_path):
    path = lines_file(tmp_path, [GOOD, dict(GOOD, output="x" * 150)])
    err = strict_error(path, max_text_chars=100)
    assert err.line == 2 and err.field == "output" and "150 characters" in str(err) and "100" in str(err)
    assert len(load_pool(path, max_text_chars=150)) == 2
    big = lines_file(tmp_path, [dict(GOOD, instruction="y" * 1_000_001)], "big.jsonl")
    err = strict_error(big)
    assert err.field == "instruction" and "1,000,001 characters" in str(err) and "1,000,000" in str(err)
    cells = tmp_path / "big.csv"
    cells.write_text("instruction,output\nok,fine\nfine," + "w" * 200_000 + "\n")
    err = strict_error(cells, max_text_chars=150_000)
    assert (err.line, err.field) == (3, "output") and "200,000 characters" in str(err)
    turns = lines_file(tmp_path, [{"conversations": [{"from": "human", "value": "z" * 20}]}], "t.jsonl")
    assert strict_error(turns, max_text_chars=10).field == "conversations[0].value"


def test_duplicate_ids_name_both_lines(tmp_path):
    path = lines_file(tmp_path, [dict(GOOD, id="a"), dict(GOOD, id="b"), dict(GOOD, id="a")])
    err = strict_error(path)
    assert err.line == 3 and err.field == "id" and "duplicate id 'a'" in str(err) and "line 1" in str(err)
    pool = load_pool(path, lenient=True)
    assert pool.ids == ["a", "b"] and pool.problems[0].line == 3
    numbers = lines_file(tmp_path, [dict(GOOD, id=1), dict(GOOD, id="1")], "n.jsonl")
    assert "duplicate id '1'" in str(strict_error(numbers))
    partial = lines_file(tmp_path, [dict(GOOD, id="a"), {"instruction": "x", "output": "y"}], "p.jsonl")
    partial.write_text(partial.read_text().replace(', "id": "r1"', ""))
    err = strict_error(partial)
    assert err.line == 2 and "missing id" in str(err)


def test_turn_shapes_bad_turns(tmp_path):
    cases = [
        ({"conversations": "hello"}, "conversations", "expected a list of turns"),
        ({"conversations": []}, "conversations", "no turns"),
        ({"conversations": [{"from": "robot", "value": "x"}]}, "conversations[0].from", "unknown speaker 'robot'"),
        ({"conversations": [{"from": "gpt", "value": "x"}]}, "conversations", "no user/human turn"),
        ({"messages": [{"role": "user", "content": 5}]}, "messages[0].content", "expected text"),
        ({"dialogs": [{"role": "user", "content": "q"}], "annotation": {"deita": {"quality_scores": [1.0],
                                                                                  "complexity_scores": []}}},
         "annotation.deita.complexity_scores", "non-empty list"),
        ({"dialogs": [{"role": "user", "content": "q"}], "annotation": {"deita": {"quality_scores": [1.0, 2.0],
                                                                                  "complexity_scores": [1.0]}}},
         "annotation.deita", "2 rounds"),
        ({"dialogs": [{"role": "user", "content": "q"}], "annotation": {"instag": {"content": "not, a, list"},
                                                                        "deita": None}}, None, None),
    ]
    for i, (record, field, words) in enumerate(cases):
        path = lines_file(tmp_path, [record], f"t{i}.jsonl")
        if field is None:  # a comma string is accepted as tags
            assert load_pool(path).tags == [["not", "a", "list"]]
            continue
        err = strict_error(path)
        assert err.line == 1 and err.field == field and words in str(err), str(err)


def test_csv_rows_report_their_file_line(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text('id,instruction,output,quality\n1,"two\nline cell",a,1.5\n2,b,c,oops\n3,d,e\n4,f,g,\n')
    err = strict_error(path)
    assert err.line == 4 and err.field == "quality" and "oops" in str(err)
    pool = load_pool(path, lenient=True)
    # Lenient also skips the record whose quality cell is empty (strict keeps it as NaN for quality-free selectors).
    assert pool.ids == ["1"]
    assert [(p.line, p.field) for p in pool.problems] == [(4, "quality"), (5, None), (6, "quality")]
    assert "3 cells but the header has 4" in pool.problems[1].reason
    assert "no valid quality value" in pool.problems[2].reason
    assert pool.quality.tolist() == [1.5]
    dup = tmp_path / "dup.csv"
    dup.write_text("instruction,output,output\na,b,c\n")
    assert "twice" in str(strict_error(dup))


def test_json_array_element_lines_and_broken_array(tmp_path):
    path = tmp_path / "arr.json"
    path.write_text('[\n  {"instruction": "a", "output": "b"},\n  {"instruction": "c"},\n  {"instruction": "e",'
                    ' "output": "f"}\n]\n')
    err = strict_error(path)
    assert err.line == 3 and err.field == "output"
    assert load_pool(path, lenient=True).lines.tolist() == [2, 4]
    broken = tmp_path / "broken.json"
    broken.write_text('[\n {"instruction": "a", "output": "b"}\n {"instruction": "c", "output": "d"}\n]')
    err = strict_error(broken)
    assert err.line == 3 and "expected ',' or ']'" in str(err)
    obj = tmp_path / "obj.json"
    obj.write_text('{"data": [\n{"instruction": "a", "output": "b"}]}')
    assert "malformed JSON" in str(strict_error(obj))  # read as JSON Lines, with a hint
    assert "JSON Lines" in str(strict_error(obj))


def test_lenient_still_raises_when_nothing_is_left(tmp_path):
    path = lines_file(tmp_path, ["{oops", {"instruction": 3, "output": "x"}])
    with pytest.raises(InputError, match="no usable records: all 2 records had problems"):
        load_pool(path, lenient=True)


def test_missing_file_and_unknown_extension(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_pool(tmp_path / "nope.jsonl")
    other = tmp_path / "data.txt"
    other.write_text("x")
    with pytest.raises(InputError, match="extension"):
        load_pool(other)
    corrupt = tmp_path / "c.parquet"
    corrupt.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        load_pool(corrupt)


def test_loading_never_modifies_the_file(tmp_path):
    path = lines_file(tmp_path, [GOOD, "{bad", dict(GOOD, output=3)])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    mtime = path.stat().st_mtime_ns
    load_pool(path, lenient=True)
    with pytest.raises(InputError):
        load_pool(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest and path.stat().st_mtime_ns == mtime
