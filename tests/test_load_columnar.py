"""The columnar loader: JSON Lines records read back from byte offsets, columns equal to the records' own views,
the column guess redone when later records bring new fields, the order in which errors win, tag codes."""

from __future__ import annotations

import copy
import gzip
import json
import math
import os
import random
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from core.data import load_pool
from core.data.records import LazyRecords
from core.data.shapes import get_path, parse_tags
from core.dedup import normalize
from core.errors import InputError

MIXED = Path(__file__).resolve().parents[2] / "shared" / "data" / "pool_mixed.jsonl"
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "instructions.jsonl"


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                            for r in records), encoding="utf-8")
    return path


def views(pool) -> dict:
    """Everything a pool exposes per record, as plain lists (to compare two loads of the same data)."""
    q = pool.quality
    return {"ids": list(pool.ids), "lines": pool.lines.tolist(), "instructions": list(pool.instructions),
            "responses": list(pool.responses), "tags": pool.tags, "categories": pool.categories,
            "quality": None if q is None else [None if math.isnan(v) else v for v in q.tolist()],
            "records": list(pool.records), "fields": pool.fields, "problems": [p.as_dict() for p in pool.problems],
            "shape": pool.shape, "fieldmap": pool.fieldmap, "sha256": pool.file_sha256}


@pytest.mark.parametrize("path", [SAMPLE, MIXED], ids=["sample", "pool_mixed"])
def test_offsets_pool_equals_the_in_memory_pool(tmp_path, path):
    """A .jsonl (records read back at their offsets) and its .jsonl.gz (dicts kept) load to the same pool, and the
    kept columns equal what each record's own dict gives."""
    if not path.exists():
        pytest.skip(f"{path} not available")
    lazy = load_pool(path, lenient=True)
    gz = tmp_path / (path.name + ".gz")
    gz.write_bytes(gzip.compress(path.read_bytes()))
    kept = load_pool(gz, lenient=True)
    assert isinstance(lazy.records, LazyRecords) and isinstance(kept.records, list)
    a, b = views(lazy), views(kept)
    assert a == b
    shape = lazy._shape
    assert lazy.instructions == [shape.instruction(r) for r in kept.records]
    assert lazy.response_lengths.tolist() == [len(shape.response(r)) for r in kept.records]
    if lazy.fieldmap.tags is not None:
        assert lazy.tags == [parse_tags(get_path(r, lazy.fieldmap.tags)) for r in kept.records]
    if lazy.tag_codes is not None:
        vocab, indptr, codes = lazy.tag_codes
        assert indptr[0] == 0 and indptr[-1] == codes.size and codes.dtype == np.int32
        assert [[vocab[c] for c in codes[indptr[i]:indptr[i + 1]]] for i in range(len(lazy))] == lazy.tags


def test_records_are_not_kept_in_memory_and_read_back_exactly(tmp_path):
    rows = [{"id": f"r{i}", "instruction": f"Question {i} \u2028 é", "output": "x\r\ny" if i % 2 else "-0.0",
             "n": 10 ** 30 if i == 3 else -0.0, "nested": {"a": [1, 2.5, None]}} for i in range(50)]
    path = write_jsonl(tmp_path / "p.jsonl", ["", *rows[:10], "   ", *rows[10:]])  # blank lines shift lines
    pool = load_pool(path)
    assert isinstance(pool.records, LazyRecords)
    assert not any(isinstance(v, list) and v and isinstance(v[0], dict) for v in vars(pool).values())
    assert pool.lines.tolist()[:2] == [2, 3] and pool.lines.tolist()[10] == 13
    for got, want in zip(pool.records, rows):  # iteration
        assert repr(got) == repr(want)
    assert repr(pool.records[3]) == repr(rows[3]) and pool.records[-1] == rows[-1]  # random access
    assert pool.records[np.int64(7)] == rows[7] and pool.records[2:5] == rows[2:5]
    assert pool.records == rows and copy.deepcopy(pool.records) == rows
    assert pool.records[4] is pool.records[4]  # asked twice: the same dict
    sub = pool.subset([9, 1])
    assert sub.records[0] is pool.records[9] and list(sub.records) == [rows[9], rows[1]]
    with pytest.raises(IndexError):
        pool.records[50]


def test_a_file_changed_after_loading_is_refused(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [{"instruction": f"q{i}", "output": "a"} for i in range(5)])
    pool = load_pool(path)
    assert pool.records[0]["instruction"] == "q0"
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"instruction": "new", "output": "b"}) + "\n")
    with pytest.raises(InputError) as err:
        pool.records[1]
    assert str(path) in str(err.value) and "changed after it was loaded" in str(err.value)
    with pytest.raises(InputError):
        list(pool.records)
    other = write_jsonl(tmp_path / "q.jsonl", [{"instruction": f"q{i}", "output": "a"} for i in range(5)])
    pool = load_pool(other)
    st = os.stat(other)  # same size and modification time, but line 3 no longer holds an object
    old = json.dumps({"instruction": "q2", "output": "a"}).encode()
    new = b'["instruction", "q2"]'.ljust(len(old))
    other.write_bytes(other.read_bytes().replace(old, new))
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert pool.records[1]["instruction"] == "q1"
    with pytest.raises(InputError) as err:
        pool.records[2]
    assert str(err.value) == (f"{other}, line 3: this line no longer holds the record that was loaded; load the "
                              "file again")


def test_uploaded_bytes_are_read_back_from_the_upload(tmp_path):
    rows = [{"instruction": f"q{i}", "output": "a", "tags": ["t", f"u{i % 2}"]} for i in range(30)]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    pool = load_pool(data, name="up.jsonl")
    assert isinstance(pool.records, LazyRecords) and pool.path is None
    assert pool.records == rows and pool.tags == [r["tags"] for r in rows]
    vocab, indptr, codes = pool.tag_codes
    assert vocab == ["t", "u0", "u1"] and indptr.tolist()[:3] == [0, 2, 4] and codes.tolist()[:4] == [0, 1, 0, 2]
    sub = pool.subset([3, 0])
    assert sub.tags == [["t", "u1"], ["t", "u0"]] and sub.tag_codes[1].tolist() == [0, 2, 4]


def _many(n: int, **late) -> list:
    rows = [{"id": f"r{i}", "instruction": f"q{i}", "output": "a", "score": 1.0} for i in range(n)]
    for i, extra in late.items():
        rows[int(i[1:])].update(extra)
    return rows


def test_fields_first_seen_after_the_detection_sample_still_pick_the_columns(tmp_path):
    """The optional columns come from the fields of the whole file: 'tags' and 'quality' first appear after the
    1,000 records the shape is detected from, so the pass is redone with them (same result as reading all first)."""
    rows = _many(1200, r1100={"tags": ["late"], "quality": 2.5}, r5={"score": "not a number"})
    pool = load_pool(write_jsonl(tmp_path / "late.jsonl", rows))
    assert pool.fieldmap.tags == "tags" and pool.fieldmap.quality == "quality"  # 'quality' beats 'score'
    assert pool.tags[1100] == ["late"] and pool.tags[0] == [] and sum(map(bool, pool.tags)) == 1
    assert pool.quality[1100] == 2.5 and np.isnan(pool.quality[0])
    assert pool.fields == ["id", "instruction", "output", "score", "tags", "quality"]
    rows[1150]["quality"] = "high"  # a bad value in the late column is found, with its line
    with pytest.raises(InputError) as err:
        load_pool(write_jsonl(tmp_path / "bad.jsonl", rows))
    assert str(err.value).startswith(f"{tmp_path / 'bad.jsonl'}, line 1151, field 'quality': expected a number")
    # the 'score' guessed from the first records would have refused line 6; the whole file's fields do not
    rows[1150]["quality"] = 1.0
    assert len(load_pool(write_jsonl(tmp_path / "ok.jsonl", rows))) == 1200


def test_which_error_wins_in_strict_mode(tmp_path):
    """As before the columnar pass: a record's check problem beats an earlier id problem, which beats an unreadable
    line further on (reading stops at the first unreadable line)."""
    rows = [{"id": f"r{i}", "instruction": f"q{i}", "output": "a"} for i in range(12)]
    dup, bad = dict(rows[0]), dict(rows[7], output=5)

    def error(lines: list) -> str:
        with pytest.raises(InputError) as err:
            load_pool(write_jsonl(tmp_path / "e.jsonl", lines))
        return str(err.value).split(", ", 1)[1]

    assert error([*rows[:3], dup, *rows[4:7], bad, *rows[8:]]).startswith("line 8, field 'output': expected text")
    assert error([*rows[:3], dup, *rows[4:7], "{oops", bad]).startswith(
        "line 4, field 'id': duplicate id 'r0': also on line 1")
    assert error([*rows[:3], "{oops", bad]).startswith("line 4: malformed JSON")
    assert error([*rows[:3], bad, "{oops"]).startswith("line 4, field 'output'")


def test_lenient_problems_sorted_by_line_and_fields_of_kept_records(tmp_path):
    rows = [{"id": f"r{i}", "instruction": f"q{i}", "output": "a", "quality": 1.0} for i in range(8)]
    lines = [rows[0], dict(rows[1], id="r0"), "[1]", dict(rows[3], quality=None), dict(rows[4], output=None),
             "{bad", dict(rows[6], extra=1), rows[7]]
    pool = load_pool(write_jsonl(tmp_path / "l.jsonl", lines), lenient=True)
    assert [(p.line, p.field) for p in pool.problems] == [(2, "id"), (3, None), (4, "quality"), (5, "output"),
                                                          (6, None)]
    assert pool.ids == ["r0", "r6", "r7"] and pool.lines.tolist() == [1, 7, 8]
    assert pool.fields == ["id", "instruction", "output", "quality", "extra"]
    assert [r.get("extra") for r in pool.records] == [None, 1, None]


def test_ascii_fast_path_of_normalize_equals_the_unicode_rules():
    rng = random.Random(0)
    alphabet = [chr(c) for c in range(128)]
    sep = re.compile(r"[\W_]+", re.UNICODE)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        want = sep.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()
        assert normalize(text) == want, text
    assert normalize("Ünïcødé_ＡＢＣ  x") == "ünïcødé abc x"  # the NFKC path


def test_block_reader_yields_what_the_line_reader_yields(tmp_path):
    """JSON Lines read in blocks (one hash update, split and digit-run test per block) give the same items,
    problems, offsets and SHA-256 as reading line by line, whatever the block size: lines that cross blocks, a
    last line without a newline, blank and CR lines, a BOM, long digit runs, bad UTF-8, lone surrogates."""
    import hashlib
    import io

    from core.data.problems import Problem
    from core.data.readers import _jsonl_blocks, _jsonl_lines
    from core.data.sources import iter_lines

    fragments = [b'{"a": 1}', b'{"a": "x\\ud800"}', b"  ", b"\r", b"", b"[1,2]", b'{"b": 12345678901234567890123}',
                 b'\xef\xbb\xbf{"c": 1}', b'{"d": NaN}', b"{bad", b"\xff\xfe", b'{"e": "\xc3\xa9"}',
                 b'{"f": [' + b"1," * 40 + b"1]}", b'{"x": 1}{"y": 2}']
    rng = random.Random(3)

    def plain(items):
        return [(i.line, i.field, i.reason) if isinstance(i, Problem) else i for i in items]

    for _ in range(400):
        data = b"\n".join(rng.choice(fragments) for _ in range(rng.randint(0, 10)))
        data += b"\n" if rng.random() < 0.5 else b""
        d1, d2 = hashlib.sha256(), hashlib.sha256()
        expected = plain(_jsonl_lines(iter_lines(io.BytesIO(data), d1), "f.jsonl", offsets=True))
        got = plain(_jsonl_blocks(io.BytesIO(data), d2, "f.jsonl", offsets=True, block=rng.choice([1, 2, 7, 64, 4096])))
        assert got == expected
        assert d2.hexdigest() == d1.hexdigest()
