"""Bad input, bad parameters and bad output paths give one clear error naming what is wrong (CLI exit 2, no
traceback); nothing is half-written. (Moved here by subject from the pre-release review's regression tests.)"""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.cli import main
from core.data import export_subset, load_pool
from core.errors import InputError, SiftError
from core.quality import quality_for


@pytest.fixture
def pool_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SIFT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = tmp_path / "pool.jsonl"
    path.write_text("".join(json.dumps({"id": f"r{i}", "instruction": f"Task number {i} about topic {i % 3}.",
                                        "output": f"Answer {i}.", "quality": 1.0 + i % 4}) + "\n"
                            for i in range(12)))
    return path


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert err and err[-1].startswith("error: ") and "Traceback" not in "\n".join(err)
    return err[-1]


def _random_quality_mean(seed: int) -> float:
    picks = np.random.default_rng(seed).permutation(12)[:4]  # the random selector's draw
    return float(np.mean(1.0 + picks % 4))


def test_param_seed_does_not_clash_with_seed_option(pool_file, tmp_path, capsys):
    # --param seed=N used to raise "got multiple values for keyword argument 'seed'" (a traceback).
    out = tmp_path / "o.jsonl"
    assert main(["select", str(pool_file), "--method", "random", "--budget", "4", "--param", "seed=3",
                 "-o", str(out)]) == 0
    manifest = json.loads((tmp_path / "o.manifest.json").read_text())
    assert manifest["seed"] == 3
    picked = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert picked == [f"r{i}" for i in np.random.default_rng(3).permutation(12)[:4]]
    capsys.readouterr()
    for seed in (1, 2):  # the method's seed reaches the random selector: its picks' mean quality says which draw
        assert main(["compare", str(pool_file), "--methods", "random,quality_topk", "--budget", "4",
                     "--param", f"random.seed={seed}", "--labels", "none", "--json"]) == 0
        rows = {r["method"]: r for r in json.loads(capsys.readouterr().out)["results"]}
        assert rows["random"]["size"] == 4 and rows["quality_topk"]["size"] == 4
        assert rows["random"]["quality_mean"] == pytest.approx(_random_quality_mean(seed))
        assert rows["quality_topk"]["quality_mean"] == pytest.approx((4.0 * 3 + 3.0) / 4)  # three 4.0s, one 3.0
    assert _random_quality_mean(1) != _random_quality_mean(2)


@pytest.mark.parametrize("argv,needle", [
    (["--method", "random", "--seed", "-1"], "seed"),
    (["--method", "deita", "--param", "tau=nan"], "finite"),
    (["--method", "deita", "--param", "seed=abc"], "seed"),
    (["--method", "mig", "--threshold", "2"], "threshold"),
])
def test_bad_values_are_one_line_errors(pool_file, tmp_path, capsys, argv, needle):
    code = main(["select", str(pool_file), "--budget", "4", "-o", str(tmp_path / "o.jsonl")] + argv)
    assert code == 2
    assert needle in _one_line_error(capsys)


def test_output_in_missing_folder_is_a_clear_error(pool_file, tmp_path, capsys):
    code = main(["select", str(pool_file), "--method", "random", "--budget", "4",
                 "-o", str(tmp_path / "nodir" / "o.jsonl")])
    assert code == 2 and "does not exist" in _one_line_error(capsys)
    assert main(["embed", str(pool_file), "-o", str(tmp_path / "nodir" / "x.npy")]) == 2
    assert "does not exist" in _one_line_error(capsys)
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_export_to_missing_folder_raises_a_sift_error(pool_file, tmp_path):
    pool = load_pool(pool_file)
    with pytest.raises(SiftError, match="does not exist"):
        export_subset(pool, [0, 1], tmp_path / "missing" / "x.jsonl")


def test_embed_out_is_written_atomically_with_npy_suffix(pool_file, tmp_path):
    assert main(["embed", str(pool_file), "-o", str(tmp_path / "emb")]) == 0
    X = np.load(tmp_path / "emb.npy", allow_pickle=False)
    assert X.shape[0] == 12 and X.dtype == np.float32
    assert main(["embed", str(pool_file), "--batch-size", "0"]) == 2


def test_metrics_bad_param_fails_before_work(pool_file, capsys):
    # A bad --param used to become an "error" note in the table with exit status 0.
    assert main(["metrics", str(pool_file), "--param", "novelsum.neighbors=0"]) == 2
    assert "neighbors" in _one_line_error(capsys)


def test_reference_npy_of_strings_is_an_input_error(pool_file, tmp_path, capsys):
    ref = tmp_path / "ref.npy"
    np.save(ref, np.array([["a", "b"]]), allow_pickle=False)
    code = main(["select", str(pool_file), "--method", "bandit", "--budget", "4", "--param", "reward=ot",
                 "--reference", str(ref), "-o", str(tmp_path / "o.jsonl")])
    assert code == 2 and "numeric" in _one_line_error(capsys)


def test_quality_error_names_file_line_and_field(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"instruction": "a", "output": "b", "score": 1}\n{"instruction": "c", "output": "d", '
                    '"score": NaN}\n')
    pool = load_pool(path)
    with pytest.raises(InputError) as info:
        quality_for(pool)
    assert info.value.line == 2 and info.value.field == "score" and "q.jsonl" in str(info.value)
