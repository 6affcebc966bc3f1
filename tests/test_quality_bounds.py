"""A selector defined only for quality >= 0 (MIG) names the file and line of the first negative quality, over the
rows it may see: an excluded bad record does not block it, and selectors without the bound still run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _pool(path: Path) -> Path:
    rows = [{"id": "a", "instruction": "Write a poem about rain", "output": "Rain falls.", "tags": ["poem"], "quality": 2},
            {"id": "b", "instruction": "Sort a list of numbers", "output": "sorted()", "tags": ["sort"], "quality": -1.5},
            {"id": "c", "instruction": "Explain gravity simply", "output": "Mass attracts.", "tags": ["physics"],
             "quality": 3}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _select(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core", "select", *args, "--no-workspace"], cwd=REPO,
                          capture_output=True, text=True, timeout=600)


def test_negative_quality_names_file_line_and_field(tmp_path):
    pool = _pool(tmp_path / "pool.jsonl")
    res = _select(str(pool), "--method", "mig", "--budget", "2", "--labels", "data", "-o", str(tmp_path / "o.jsonl"))
    assert res.returncode == 2, res.stderr
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith(f"error: {pool}, line 2, field 'quality': quality is -1.5, below 0 (1 record in all)")
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_excluding_the_bad_record_lets_mig_run_and_quality_free_selectors_ignore_it(tmp_path):
    pool = _pool(tmp_path / "pool.jsonl")
    (tmp_path / "drop.txt").write_text("b\n")
    out = tmp_path / "o.jsonl"
    res = _select(str(pool), "--method", "mig", "--budget", "2", "--labels", "data", "--exclude",
                  str(tmp_path / "drop.txt"), "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert [json.loads(l)["id"] for l in out.read_text().splitlines()] == ["c", "a"]  # higher quality first
    res = _select(str(pool), "--method", "random", "--budget", "3", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert sorted(json.loads(l)["id"] for l in out.read_text().splitlines()) == ["a", "b", "c"]


def test_core_registry_reports_the_record_without_a_file():
    import numpy as np

    from core.errors import InputError
    from core.features import Features
    from core.label_graph import LabelGraph
    import scipy.sparse as sp

    from core.selectors import registry

    graph = LabelGraph.from_weights(["x", "y"], sp.identity(2, format="csr"))
    feats = Features(n=2, label_sets=[["x"], ["y"]], quality=np.array([1.0, -0.001]), graph=graph)
    with pytest.raises(InputError, match=r"record 1: quality is -0\.001, below 0"):
        registry.run("mig", feats, 1)
