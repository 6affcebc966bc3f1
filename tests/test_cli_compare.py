"""``python -m core compare`` goes through core.compare (one path with the app's Compare page)."""

from __future__ import annotations

import json
from pathlib import Path

from core import selectors
from core.cli import main
from core.compare import compare_at_k
from core.data import load_pool
from core.metrics import REGISTRY
from core.pipeline import build_features

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "instructions.jsonl"
METHODS = ["mig", "quality_topk", "kcenter", "random"]


def test_cli_json_is_the_core_comparison_of_the_same_runs(capsys):
    assert main(["compare", str(SAMPLE), "--methods", ",".join(METHODS), "--budget", "40", "--k", "30",
                 "--seed", "0", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    features = build_features(load_pool(SAMPLE))
    runs = {m: selectors.run(m, features, 40, seed=0) if selectors.get(m).uses_seed
            else selectors.run(m, features, 40) for m in METHODS}
    metrics = [m for m in REGISTRY if m != "tag_coverage"]
    expected = json.loads(json.dumps(compare_at_k(features, runs, 30, metrics=metrics).as_dict(), default=float))
    assert report["k"] == 30 and report["runs"] == METHODS
    for key, value in expected.items():
        assert report[key] == value, key
    assert {r["metric"] for r in report["metrics"]} == set(metrics) - set(report["skipped"])
    assert all(r["random"]["draws"] >= 2 and r["best"] for r in report["metrics"])


def test_cli_table_prints_direction_rank_random_and_best(capsys):
    assert main(["compare", str(SAMPLE), "--methods", "random,quality_topk,kcenter", "--budget", "20", "--k", "15",
                 "--metric", "vendi", "--metric", "ttr"]) == 0
    out = capsys.readouterr().out
    assert "compared at k = 15" in out
    assert "vendi (higher = more diverse (embedding space)): best kcenter; random at k=15" in out
    assert "#1" in out and "#3" in out and "overlap (Jaccard)" in out


def test_bad_k_fails_before_any_work(capsys):
    assert main(["compare", str(SAMPLE), "--methods", "random", "--budget", "5", "--k", "6"]) == 2
    assert "--k must be between 1 and --budget (5)" in capsys.readouterr().err
