"""``python -m core select`` and ``compare`` end to end on a small pool written to a temporary folder."""

from __future__ import annotations

import csv
import json

import pytest

from core.cli import main

TOPICS = {
    "maths": ["Solve 2x + {k} = 11 for x.", "What is {k} squared?", "Add {k} and 17."],
    "cooking": ["Give a recipe for soup number {k}.", "How long do I boil {k} eggs?", "Suggest {k} pasta sauces."],
    "travel": ["Plan a {k}-day trip to Lisbon.", "What should I pack for {k} nights of camping?",
               "Name {k} sights in Kyoto."],
    "code": ["Write a Python function that returns {k} primes.", "Explain list comprehension with {k} examples.",
             "Fix this loop that runs {k} times."],
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A 36-record Alpaca-style pool with tags and quality, a reference set, and a private embedding cache."""
    root = tmp_path_factory.mktemp("cli")
    records, k = [], 0
    for topic, templates in TOPICS.items():
        for j, template in enumerate(templates):
            for rep in range(3):
                k += 1
                records.append({"id": f"r{k:03d}", "instruction": template.format(k=k), "input": "",
                                "output": f"An answer about {topic} ({rep}).", "tags": [topic, f"{topic}-{j}"],
                                "quality": round(1 + (k * 37 % 90) / 10, 1)})
    pool = root / "pool.jsonl"
    pool.write_text("".join(json.dumps(r) + "\n" for r in records))
    ref = root / "ref.jsonl"
    ref.write_text("".join(json.dumps({"instruction": f"Solve {i}x = {2 * i} for x.", "output": ""}) + "\n"
                           for i in range(1, 5)))
    return root, pool, ref, records


@pytest.fixture(autouse=True)
def private_cache(workspace, monkeypatch):
    monkeypatch.setenv("SIFT_CACHE_DIR", str(workspace[0] / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.mark.parametrize("method,fmt", [("novelselect", "jsonl"), ("deita", "csv"), ("mig", "jsonl")])
def test_select_writes_subset_with_added_columns_and_manifest(workspace, capsys, method, fmt):
    root, pool, _, records = workspace
    out = root / f"{method}.{fmt}"
    code = main(["select", str(pool), "--method", method, "--budget", "8", "-o", str(out), "--labels", "data"])
    assert code == 0, capsys.readouterr().err
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    else:
        rows = list(csv.DictReader(out.open()))
    assert len(rows) == 8
    assert [int(r["rank"]) for r in rows] == list(range(1, 9))
    assert {r["selector"] for r in rows} == {method}
    assert {"gain", "sift_quality"} <= set(rows[0])  # the pool has its own "quality" field
    # The novelty column reads the pool's vectors: present when the selector embedded the pool, absent for MIG,
    # which uses labels and quality only (the pool is then never embedded).
    assert ("novelty" in rows[0]) == (method != "mig")
    by_id = {r["id"]: r for r in records}
    assert all(r["instruction"] == by_id[r["id"]]["instruction"] for r in rows)  # original fields kept
    manifest = json.loads((root / f"{method}.manifest.json").read_text())
    assert manifest["method"] == method and manifest["selected"] == 8
    assert manifest["ids"] == [r["id"] for r in rows]
    assert manifest["extra"]["budget"] == 8
    assert "wrote" in capsys.readouterr().out


def test_select_passes_params_seed_and_reference(workspace, capsys):
    root, pool, ref, _ = workspace
    out = root / "bandit.jsonl"
    code = main(["select", str(pool), "--method", "bandit", "--budget", "6", "--param", "reward=ot",
                 "--param", "n_clusters=4", "--param", "top_arms=1", "--param", "probe_size=3",
                 "--reference", str(ref), "--seed", "5", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    manifest = json.loads((root / "bandit.manifest.json").read_text())
    assert manifest["params"]["reward"] == "ot" and manifest["seed"] == 5
    assert manifest["extra"]["info"]["reward"] == "ot" and manifest["extra"]["info"]["trace"]


@pytest.mark.parametrize("argv,message", [
    (["--method", "nope", "--budget", "3"], "unknown selector 'nope'"),
    (["--method", "random", "--budget", "999"], "larger than the pool"),
    (["--method", "deita", "--budget", "3", "--param", "tau"], "NAME=VALUE"),
    (["--method", "deita", "--budget", "3", "--param", "tau=7"], "must be in"),
])
def test_select_user_errors_exit_2_with_one_clear_line(workspace, capsys, argv, message):
    root, pool, _, _ = workspace
    code = main(["select", str(pool), *argv, "-o", str(root / "x.jsonl")])
    err = capsys.readouterr().err
    assert code == 2 and message in err


def test_compare_prints_metrics_quality_coverage_and_overlap(workspace, capsys):
    _, pool, _, _ = workspace
    code = main(["compare", str(pool), "--methods", "random,quality_topk,deita,kcenter", "--budget", "6",
                 "--param", "deita.tau=0.95", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)
    rows = {r["method"]: r for r in report["results"]}
    assert set(rows) == {"random", "quality_topk", "deita", "kcenter"}
    for row in rows.values():
        assert row["size"] == 6 and row["novelsum"] is not None and 0 <= row["label_coverage"] <= 1
    assert rows["quality_topk"]["quality_mean"] >= rows["random"]["quality_mean"]
    overlap = report["overlap_jaccard"]
    assert overlap["random"]["random"] == 1.0
    assert overlap["deita"]["kcenter"] == overlap["kcenter"]["deita"]


def test_compare_table_output(workspace, capsys):
    _, pool, _, _ = workspace
    assert main(["compare", str(pool), "--methods", "random,novelselect", "--budget", "5",
                 "--metric", "novelsum"]) == 0
    out = capsys.readouterr().out
    assert "novelsum" in out and "overlap (Jaccard)" in out and "novelselect" in out
