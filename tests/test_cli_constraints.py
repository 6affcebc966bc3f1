"""``select`` / ``compare`` with --include, --exclude, --where, --per on the 455-record sample (quality-ranked and
random selectors, which never load the embedding model), and the manifest that repeats them."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from core.cli import main
from core.constraints import allocate
from core.data import load_pool
from core.data.manifest import read_manifest


@pytest.fixture(scope="module")
def pool(sample_path):
    return load_pool(sample_path)


@pytest.fixture
def files(tmp_path, pool):
    keep = tmp_path / "keep.txt"
    keep.write_text(f"{pool.ids[300]}\n{pool.ids[12]}\n", encoding="utf-8")
    maths = [i for i, r in enumerate(pool.records) if r["category"] == "maths"]
    drop = tmp_path / "drop.json"
    drop.write_text(json.dumps([pool.ids[i] for i in maths[:5]]), encoding="utf-8")
    return keep, drop, maths


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_select_honours_include_exclude_and_where_and_the_manifest_repeats_them(sample_path, tmp_path, pool, files,
                                                                               capsys):
    keep, drop, maths = files
    out = tmp_path / "picked.jsonl"
    argv = ["select", str(sample_path), "--method", "quality_topk", "--budget", "12", "--include", str(keep),
            "--exclude", str(drop), "--where", "category=maths", "-o", str(out), "--no-workspace"]
    assert main(argv) == 0, capsys.readouterr().err
    assert "constraints: 2 must-include, 5 never-pick" in capsys.readouterr().err
    rows = read_jsonl(out)
    ids = [r["id"] for r in rows]
    assert ids[:2] == [pool.ids[300], pool.ids[12]]
    assert all(r["category"] == "maths" for r in rows[2:])
    assert not set(ids) & {pool.ids[i] for i in maths[:5]}
    free = sorted((i for i in maths[5:] if i not in (300, 12)), key=lambda i: (-pool.records[i]["quality"], i))
    assert ids[2:] == [pool.ids[i] for i in free[:10]]  # the rest ranked among the allowed candidates
    manifest = read_manifest(tmp_path / "picked.manifest.json")
    record = manifest["params"]["constraints"]
    assert record["include_file"] == str(keep) and record["where"] == ["category=maths"]
    again = tmp_path / "again.jsonl"
    code = main(["select", "--from-manifest", str(tmp_path / "picked.manifest.json"), "-o", str(again),
                 "--no-workspace"])
    assert code == 0, capsys.readouterr().err
    assert [r["id"] for r in read_jsonl(again)] == ids


def test_per_source_quotas_from_the_command_line(sample_path, tmp_path, pool, capsys):
    out = tmp_path / "per.jsonl"
    for mode in ("proportional", "equal"):
        code = main(["select", str(sample_path), "--method", "random", "--budget", "48", "--per", "category",
                     "--per-mode", mode, "-o", str(out), "--no-workspace"])
        assert code == 0, capsys.readouterr().err
        got = Counter(r["category"] for r in read_jsonl(out))
        cats = sorted({r["category"] for r in pool.records})
        sizes = [sum(r["category"] == c for r in pool.records) for c in cats]
        assert got == Counter(dict(zip(cats, allocate(sizes, 48, mode).tolist())))
        assert read_manifest(tmp_path / "per.manifest.json")["params"]["constraints"]["per_mode"] == mode


def test_compare_takes_the_same_constraints(sample_path, tmp_path, files, capsys):
    keep, drop, _ = files
    code = main(["compare", str(sample_path), "--methods", "random,quality_topk", "--budget", "10", "--include",
                 str(keep), "--where", "category=coding", "--metric", "ttr", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)
    assert report["constraints"]["include_file"] == str(keep)
    assert report["constraints"]["where"] == ["category=coding"]


def test_bad_constraint_options_fail_with_one_line_naming_the_file_and_line(sample_path, tmp_path, pool, capsys):
    bad = tmp_path / "ids.txt"
    bad.write_text(f"{pool.ids[0]}\nno-such-id\n", encoding="utf-8")
    twice = tmp_path / "twice.txt"
    twice.write_text(f"{pool.ids[4]}\n{pool.ids[5]}\n{pool.ids[4]}\n", encoding="utf-8")
    out = str(tmp_path / "x.jsonl")
    cases = [
        (["--include", str(bad)], f"{bad}, line 2: id 'no-such-id' is not in the pool"),
        (["--exclude", str(tmp_path / "missing.txt")], "missing.txt"),
        (["--where", "category"], "COLUMN=VALUE"),
        (["--where", "nosuchcolumn=1"], "no record has a column 'nosuchcolumn'"),
        (["--include", str(bad).replace("ids", "none")], "none.txt"),
        (["--exclude", str(twice)], f"{twice}, line 3: id '{pool.ids[4]}' is listed twice"),
    ]
    for extra, message in cases:
        code = main(["select", str(sample_path), "--method", "random", "--budget", "5", "-o", out, "--no-workspace",
                     *extra])
        err = capsys.readouterr().err
        assert code == 2 and message in err, err
        assert len([line for line in err.splitlines() if line.startswith("error:")]) == 1
    keep = tmp_path / "keep.txt"
    keep.write_text("\n".join(pool.ids[:6]), encoding="utf-8")
    assert main(["select", str(sample_path), "--method", "random", "--budget", "5", "--include", str(keep), "-o", out,
                 "--no-workspace"]) == 2
    assert "6 records must be included but the budget is 5" in capsys.readouterr().err
