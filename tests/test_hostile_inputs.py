"""Hostile inputs: every odd file gets a one-line error naming file, line and field (exit 2), never a traceback.

Cases are generated in tmp_path (no binary fixtures). Each runs ``info`` and ``select --method random`` through
``core.cli.main`` in strict and lenient mode; the input file's SHA-256 must not change. Pools carry a small
``embedding`` column so ``select`` needs no model. Round trips: every input format through both exports and back.
"""

from __future__ import annotations

import builtins
import csv
import gzip
import hashlib
import io
import json
from pathlib import Path

import pytest

from core.cli import main
from core.data import export_subset, load_pool, to_csv_bytes
from core.errors import InputError

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "instructions.jsonl"
BAD_LINE = 3


def good(i: int) -> dict:
    return {"id": f"r{i}", "instruction": f"Question {i}: explain topic {i} briefly.", "input": "",
            "output": f"Topic {i} is explained here in a few words.", "category": f"c{i % 2}", "quality": 5.0 + i,
            "embedding": [1.0, float(i), 0.5 * i]}


def good_line(i: int) -> str:
    return json.dumps(good(i))


def record_text(**override: str) -> str:
    """A JSON object line with raw JSON snippets for some fields (so invalid-for-Python values can be written)."""
    base = good(99)
    parts = [f"{json.dumps(k)}: {override.pop(k) if k in override else json.dumps(v)}" for k, v in base.items()]
    parts += [f'"{k}": {v}' for k, v in override.items()]  # extra keys as raw JSON text too
    return "{" + ", ".join(parts) + "}"


# name -> the text of line 3 (a JSONL file of 5 records otherwise valid); the words the error must contain.
LOAD_CASES = {
    "quality 10**400": (record_text(quality="1" + "0" * 400), "too large", "quality"),
    "5000-digit integer": (record_text(extra="9" * 5000), "integer is too long", None),
    "nesting 100000 deep": (record_text(extra="[" * 100_000 + "]" * 100_000), "nested too deeply", None),
    "lone surrogate in text": (record_text(instruction='"ask \\ud800 this"'), "lone surrogate", "instruction"),
    "lone surrogate in a key": (record_text(**{"\\udc00k": "1"}), "lone surrogate", None),
}


def write_lines(path: Path, bad: str) -> Path:
    lines = [good_line(i) for i in range(1, BAD_LINE)] + [bad] + [good_line(i) for i in range(BAD_LINE, 5)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, argv: list) -> tuple[int, str, str]:
    """``core.cli.main(argv)``: (exit code, stdout, stderr); argparse errors count as their exit code."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("name", list(LOAD_CASES))
def test_hostile_line_strict_and_lenient(tmp_path, capsys, name):
    bad, words, field = LOAD_CASES[name]
    path = write_lines(tmp_path / "pool.jsonl", bad)
    before = sha(path)
    where = [f"line {BAD_LINE}"] + ([f"field '{field}'"] if field else [])
    code, _, err = run(capsys, ["info", path])
    assert_one_line_error(code, err, str(path), *where, words)
    code, _, err = run(capsys, ["select", path, "--method", "random", "--budget", 2, "-o", tmp_path / "o.jsonl"])
    assert_one_line_error(code, err, str(path), *where, words)
    assert not (tmp_path / "o.jsonl").exists()
    # Lenient: the line is skipped and listed, the rest is used.
    code, out, err = run(capsys, ["info", path, "--lenient"])
    assert code == 0 and "Traceback" not in err
    assert "problems: 1 line(s) skipped" in out and f"line {BAD_LINE}" in out and words in out
    code, out, err = run(capsys, ["select", path, "--lenient", "--method", "random", "--budget", 2,
                                  "-o", tmp_path / "o.jsonl"])
    assert code == 0 and "Traceback" not in err, err
    assert f"lenient: skipped 1 line(s)" in err and f"line {BAD_LINE}" in err
    out_rows = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(out_rows) == 2 and all(r["id"] != "r99" for r in out_rows)
    assert sha(path) == before


def test_lenient_with_every_line_bad_is_an_error(tmp_path, capsys):
    path = tmp_path / "all_bad.jsonl"
    path.write_text("\n".join(record_text(extra="[" * 100_000 + "]" * 100_000) for _ in range(3)) + "\n")
    before = sha(path)
    for cmd in (["info", path, "--lenient"],
                ["select", path, "--lenient", "--method", "random", "--budget", 1, "-o", tmp_path / "o.jsonl"]):
        code, _, err = run(capsys, cmd)
        assert_one_line_error(code, err, str(path), "no usable records", "line 1", "nested too deeply")
    assert sha(path) == before


def test_json_array_hostile_values_name_the_line(tmp_path, capsys):
    for bad, words in ((record_text(extra="9" * 5000), "integer is too long"),
                       (record_text(extra="[" * 100_000 + "]" * 100_000), "nested too deeply")):
        path = tmp_path / "pool.json"
        path.write_text("[\n" + ",\n".join([good_line(1), good_line(2), bad, good_line(4)]) + "\n]\n")
        code, _, err = run(capsys, ["info", path])
        assert_one_line_error(code, err, str(path), "line 4", words)
    path.write_text("[\n" + ",\n".join([good_line(1), record_text(output='"\\udfff"'), good_line(2)]) + "\n]\n")
    code, _, err = run(capsys, ["info", path])
    assert_one_line_error(code, err, "line 3", "field 'output'", "lone surrogate")
    code, out, _ = run(capsys, ["info", path, "--lenient"])
    assert code == 0 and "line 3, field 'output'" in out


@pytest.mark.parametrize("value", ["null", "NaN", "Infinity", "-Infinity", "1e400"])
def test_one_bad_quality_stops_only_quality_selectors(tmp_path, capsys, value):
    path = write_lines(tmp_path / "pool.jsonl", record_text(quality=value))
    before = sha(path)
    code, out, err = run(capsys, ["info", path])
    assert code == 0 and "problems: none" not in out
    assert f"1 record(s) without a valid value" in out and f"first on line {BAD_LINE}" in out
    # Selectors that do not use quality run on every record.
    for method in ("random", "kcenter"):
        code, _, err = run(capsys, ["select", path, "--method", method, "--budget", 2, "-o", tmp_path / "o.jsonl"])
        assert code == 0 and "Traceback" not in err, err
    # A selector that ranks by quality refuses, naming the line.
    code, _, err = run(capsys, ["select", path, "--method", "quality_topk", "--budget", 2,
                                "-o", tmp_path / "q.jsonl"])
    assert_one_line_error(code, err, f"line {BAD_LINE}", "field 'quality'", "no valid quality value")
    # Lenient skips the record and lists it; the quality selector then runs.
    code, _, err = run(capsys, ["select", path, "--lenient", "--method", "quality_topk", "--budget", 2,
                                "-o", tmp_path / "q.jsonl"])
    assert code == 0, err
    assert f"line {BAD_LINE}, field 'quality': no valid quality value" in err
    ids = [json.loads(x)["id"] for x in (tmp_path / "q.jsonl").read_text().splitlines()]
    assert ids == ["r4", "r3"]  # highest quality first: 9.0, 8.0
    assert sha(path) == before


def test_unreadable_file(tmp_path, capsys, monkeypatch):
    path = write_lines(tmp_path / "pool.jsonl", good_line(9))
    real_open = builtins.open

    def deny(file, *args, **kwargs):
        if Path(str(file)) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    for extra in ([], ["--lenient"]):
        code, _, err = run(capsys, ["info", path, *extra])
        assert_one_line_error(code, err, str(path), "cannot read the file", "Permission denied")


@pytest.mark.parametrize("method", ["kcenter", "novelselect", "kmq", "car", "bandit"])
def test_seed_out_of_range_fails_before_any_work(tmp_path, capsys, method):
    missing = tmp_path / "never_read.jsonl"  # the seed is refused before the file is even opened
    for seed_args in (["--seed", str(2**32)], ["--seed", "-1"], ["--param", f"seed={2**32}"]):
        code, _, err = run(capsys, ["select", missing, "--method", method, "--budget", 2, "-o", tmp_path / "o.jsonl",
                                    *seed_args])
        assert code == 2 and "Traceback" not in err and "4294967295" in err, err
        assert "file not found" not in err
    path = write_lines(tmp_path / "pool.jsonl", good_line(9))
    code, _, err = run(capsys, ["select", path, "--method", "kcenter", "--budget", 2, "-o", tmp_path / "o.jsonl",
                                "--seed", str(2**32 - 1)])
    assert code == 0, err


@pytest.mark.parametrize("command", ["select", "compare", "metrics"])
def test_lenient_on_every_pool_command(tmp_path, capsys, command):
    path = write_lines(tmp_path / "pool.jsonl", "{broken")
    args = {"select": ["--method", "random", "--budget", 2, "-o", tmp_path / "o.jsonl"],
            "compare": ["--methods", "random,kcenter", "--budget", 2],
            "metrics": ["--metric", "novelsum", "--param", "novelsum.neighbors=2"]}[command]
    code, _, err = run(capsys, [command, path, *args])
    assert_one_line_error(code, err, f"line {BAD_LINE}", "malformed JSON")
    code, _, err = run(capsys, [command, path, "--lenient", *args])
    assert code == 0 and "Traceback" not in err, err
    assert f"line {BAD_LINE}: malformed JSON" in err


def test_control_characters_are_escaped_on_the_terminal(tmp_path, capsys):
    rows = [dict(good(i), category="\x1b[31mred\x1b[0m") for i in range(1, 4)]
    rows = [{("sneaky\x1b[2Jkey" if k == "input" else k): v for k, v in r.items()} for r in rows]
    path = tmp_path / "ansi.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, out, _ = run(capsys, ["info", path, "--shape", "columns", "--columns", "instruction=instruction,"
                                "response=output"])
    assert code == 0 and "\x1b" not in out
    assert "sneaky\\x1b[2Jkey" in out and "\\x1b[31mred\\x1b[0m" in out
    # Error messages too: a bad field named with an escape is shown escaped, on one line.
    path.write_text(json.dumps({"instruction": "x", "output": "y", "tags": 3, "\x1b]0;title\x07": 1}) + "\n")
    code, _, err = run(capsys, ["info", path, "--columns", "tags=\x1b]0;title\x07"])
    assert code == 2 and "\x1b" not in err and "\x07" not in err and "\\x1b]0;title\\x07" in err


def test_csv_export_neutralises_formulas(tmp_path):
    rows = [dict(good(i), instruction=text) for i, text in
            enumerate(["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "plain"])]
    path = tmp_path / "f.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    pool = load_pool(path)
    cells = [row["instruction"] for row in csv.DictReader(io.StringIO(to_csv_bytes(pool, range(7)).decode(),
                                                                      newline=""))]
    assert cells == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tTAB", "'\rCR", "plain"]
    raw = [row["instruction"] for row in csv.DictReader(io.StringIO(
        to_csv_bytes(pool, range(7), csv_raw=True).decode(), newline=""))]
    assert raw == [r["instruction"] for r in rows]
    # Numbers are not text: a negative quality stays a number in the CSV.
    neg = tmp_path / "neg.jsonl"
    neg.write_text(json.dumps(dict(good(1), quality=-3.5)) + "\n")
    assert "\n" + "r1," in to_csv_bytes(load_pool(neg), [0]).decode() and ",-3.5," in to_csv_bytes(
        load_pool(neg), [0]).decode()


def test_malformed_embedding_column_and_unknown_columns_key(tmp_path, capsys):
    rows = [good(1), dict(good(2), embedding=[1.0, "x", 2.0]), good(3)]
    path = tmp_path / "emb.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    code, _, err = run(capsys, ["info", path])
    assert_one_line_error(code, err, str(path.name), "line 2", "field 'embedding'")
    code, _, err = run(capsys, ["info", SAMPLE, "--columns", "qualty=quality"])
    assert_one_line_error(code, err, "unknown columns key", "'qualty'")


def test_gzip_and_tsv_inputs(tmp_path):
    ref = load_pool(SAMPLE)
    gz = tmp_path / "s.jsonl.gz"
    gz.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    jgz = tmp_path / "s.json.gz"
    jgz.write_bytes(gzip.compress(json.dumps([json.loads(x) for x in SAMPLE.read_text().splitlines()]).encode()))
    for path in (gz, jgz):
        pool = load_pool(path)
        assert pool.records == ref.records and pool.ids == ref.ids
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(gzip.compress(SAMPLE.read_bytes())[:500])
    with pytest.raises(InputError, match="cannot read the file"):
        load_pool(broken)
    tsv = tmp_path / "s.tsv"
    write_table(tsv, ref.records, "\t")
    assert load_pool(tsv).instructions == ref.instructions


def write_table(path: Path, records: list, delimiter: str) -> None:
    """An independent CSV/TSV writer (csv module; lists as JSON text), not the project's exporter."""
    fields = list(records[0])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        w.writerow(fields)
        for r in records:
            w.writerow([json.dumps(r[f], ensure_ascii=False) if isinstance(r[f], (list, dict)) else r[f]
                        for f in fields])


def make_inputs(tmp_path: Path) -> dict:
    """The sample pool written in every input format."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [json.loads(x) for x in SAMPLE.read_text(encoding="utf-8").splitlines() if x.strip()]
    out = {"jsonl": tmp_path / "in.jsonl", "json": tmp_path / "in.json", "csv": tmp_path / "in.csv",
           "tsv": tmp_path / "in.tsv", "parquet": tmp_path / "in.parquet", "jsonl.gz": tmp_path / "in.jsonl.gz"}
    out["jsonl"].write_bytes(SAMPLE.read_bytes())
    out["json"].write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    write_table(out["csv"], records, ",")
    write_table(out["tsv"], records, "\t")
    pq.write_table(pa.Table.from_pylist(records), out["parquet"])
    out["jsonl.gz"].write_bytes(gzip.compress(SAMPLE.read_bytes()))
    return out


def flat(record: dict) -> dict:
    """A record as a CSV round trip keeps it: nested values as their JSON text."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in record.items()}


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "tsv", "parquet", "jsonl.gz"])
def test_every_format_round_trips_through_both_exports(tmp_path, fmt):
    src = make_inputs(tmp_path)[fmt]
    pool = load_pool(src)
    ref = load_pool(SAMPLE)
    assert len(pool) == len(ref) and pool.ids == ref.ids
    assert pool.quality.tolist() == ref.quality.tolist()  # numbers in every format, CSV/TSV included
    assert all(isinstance(r["quality"], float) for r in pool.records)
    idx = list(range(len(pool)))
    for out_fmt in ("jsonl", "csv"):
        out = tmp_path / f"out_{fmt.replace('.', '_')}.{out_fmt}"
        export_subset(pool, idx, out, csv_raw=True)
        back = load_pool(out)
        if out_fmt == "jsonl":
            assert back.records == pool.records
        else:
            assert [flat(r) for r in back.records] == [flat(r) for r in pool.records]
        assert back.ids == pool.ids and back.instructions == pool.instructions
        assert back.responses == pool.responses and back.tags == pool.tags and back.categories == pool.categories
        assert back.quality.tolist() == pool.quality.tolist()


@pytest.mark.parametrize("method", ["kcenter", "novelselect", "kmq", "car", "bandit", "random"])
def test_core_run_refuses_out_of_range_seed(method):
    """The app calls core.selectors.run directly: the same seed range is checked there, before any work."""
    import numpy as np

    from core import selectors
    from core.errors import SiftError
    from core.features import Features

    features = Features(n=6, embeddings=np.eye(6, dtype=np.float32))
    for seed in (2**32, -1):
        with pytest.raises(SiftError, match="seed"):
            selectors.run(method, features, 2, seed=seed)


def _hostile_npy(tmp_path: Path, kind: str) -> Path:
    """A hostile ``.npy`` for ``--embeddings`` (5 rows like the generated pools)."""
    import numpy as np

    path = tmp_path / f"{kind}.npy"
    if kind == "pickled_objects":
        np.save(path, np.array([{"x": 1}] * 5, dtype=object).reshape(5, 1), allow_pickle=True)
    elif kind == "truncated":
        np.save(path, np.ones((5, 3), dtype=np.float32))
        path.write_bytes(path.read_bytes()[:20])
    elif kind == "infinite_row":
        data = np.ones((5, 3))
        data[3, 1] = np.inf
        np.save(path, data)
    elif kind == "zero_row":
        data = np.ones((5, 3))
        data[1] = 0
        np.save(path, data)
    elif kind == "three_d":
        np.save(path, np.ones((5, 3, 2)))
    return path


# option arguments -> words the one error line must hold (FILE stands for the generated pool).
OPTION_CASES = {
    "--columns without =": (["--columns", "instruction"], ["KEY=FIELD"]),
    "--batch-size -1": (["--batch-size", "-1"], ["--batch-size"]),
    "--threshold inf": (["--threshold", "inf"], ["threshold"]),
    "--valid-tags not a list": (["--valid-tags", "{tmp}/tags.json"], ["tags.json", "list of strings"]),
    "--embeddings pickled objects": (["--embeddings", "{npy:pickled_objects}"], ["pickled_objects.npy"]),
    "--embeddings truncated": (["--embeddings", "{npy:truncated}"], ["truncated.npy", "not a valid .npy"]),
    "--embeddings 3-d": (["--embeddings", "{npy:three_d}"], ["three_d.npy", "2-d"]),
    "--embeddings infinite row": (["--embeddings", "{npy:infinite_row}"], ["infinite_row.npy", "row 4"]),
    "--embeddings zero row": (["--embeddings", "{npy:zero_row}"], ["zero_row.npy", "row 2", "all-zero"]),
}
COMMAND_ARGS = {
    "select": ["--method", "kcenter", "--budget", 2, "-o", "{tmp}/o.jsonl"],
    "compare": ["--methods", "random,kcenter", "--budget", 2, "--metric", "novelsum"],
    "metrics": ["--metric", "novelsum", "--param", "novelsum.neighbors=2"],
    "graph": ["--labels", "data"],
    "labels": ["--labels", "data"],
    "embed": [],
    "info": [],
}


def _takes(command: str, option: str) -> bool:
    from core.cli import build_parser

    sub = build_parser()._subparsers._group_actions[0].choices[command]  # noqa: SLF001 - argparse's own table
    return any(option in action.option_strings for action in sub._actions)  # noqa: SLF001


# Every command with every option it takes (info and embed build no labels, graph and labels read no vectors).
OPTION_RUNS = [(command, case) for command in COMMAND_ARGS for case, (options, _) in OPTION_CASES.items()
               if _takes(command, options[0])]


@pytest.mark.parametrize("command,case", OPTION_RUNS)
def test_hostile_option_values_on_every_command(tmp_path, capsys, monkeypatch, command, case):
    from core import embed

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(embed, "load_model", no_model)
    options, words = OPTION_CASES[case]
    path = write_lines(tmp_path / "pool.jsonl", good_line(9))
    (tmp_path / "tags.json").write_text('{"a": 1}')
    before = sha(path)
    fill = lambda a: str(_hostile_npy(tmp_path, a[5:-1])) if str(a).startswith("{npy:") else \
        str(a).replace("{tmp}", str(tmp_path))  # noqa: E731
    code, _, err = run(capsys, [command, path, *map(fill, COMMAND_ARGS[command]), *map(fill, options)])
    assert_one_line_error(code, err, *words)
    assert sha(path) == before

