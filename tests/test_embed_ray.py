"""The Ray path (core.embed_ray): on a local Ray instance started here, 200 sample texts embedded by an actor pool
give the local path's vectors and the same cache chunk files; the driver never runs the model itself. Skipped when
Ray is not installed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core import embed

ray = pytest.importorskip("ray")

from core import embed_ray  # noqa: E402 - after the skip

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "instructions.jsonl"
TEXTS = [json.loads(line)["instruction"] for line in SAMPLE.read_text().splitlines()][:200]
BATCH, CHUNK = 16, 48  # 200 texts: one chunk of 16, then 4 chunks of 48 (the last one 40)


def _chunks(cache_dir: Path) -> set[str]:
    return {p.relative_to(cache_dir).as_posix() for p in cache_dir.rglob("*.npy")}


def test_ray_path_writes_the_local_cache_with_the_same_vectors(tmp_path, monkeypatch):
    local_dir, ray_dir = tmp_path / "local", tmp_path / "ray"
    local = embed.embed_texts(TEXTS, batch_size=BATCH, chunk_size=CHUNK, cache_dir=local_dir)
    assert embed_ray.missing_chunks(TEXTS, batch_size=BATCH, chunk_size=CHUNK, cache_dir=ray_dir) == \
        embed.plan_chunks(len(TEXTS), BATCH, CHUNK)

    real_load = embed.load_model

    def driver_must_not_encode(*args, **kwargs):  # the actors are other processes: they keep the real one
        raise AssertionError("the driver loaded the model: the chunks were not computed on Ray")

    monkeypatch.setattr(embed, "load_model", driver_must_not_encode)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, runtime_env=embed_ray.job_runtime_env())
    try:
        reports = []
        vectors = embed_ray.embed_texts_ray(TEXTS, batch_size=BATCH, chunk_size=CHUNK, cache_dir=ray_dir,
                                            concurrency=2, progress=lambda f, m: reports.append((f, m)))
    finally:
        ray.shutdown()
    monkeypatch.setattr(embed, "load_model", real_load)

    assert vectors.shape == local.shape and vectors.dtype == np.float32
    assert np.abs(vectors - local).max() <= 1e-6
    assert _chunks(ray_dir) == _chunks(local_dir) and len(_chunks(ray_dir)) == 5
    assert any("on Ray" in m for _, m in reports) and reports[-1][0] == 1.0
    # What Ray wrote is the cache the local path reads: nothing missing, same vectors when read back.
    assert embed_ray.missing_chunks(TEXTS, batch_size=BATCH, chunk_size=CHUNK, cache_dir=ray_dir) == []
    again = embed.embed_texts(TEXTS, batch_size=BATCH, chunk_size=CHUNK, cache_dir=ray_dir)
    np.testing.assert_array_equal(again, vectors)
    # A lost chunk is the only one a resumed job sends to Ray.
    lost = sorted(ray_dir.rglob("*.npy"))[2]
    lost.unlink()
    assert [embed.chunk_file(lost.parent, lo, hi) for lo, hi in
            embed_ray.missing_chunks(TEXTS, batch_size=BATCH, chunk_size=CHUNK, cache_dir=ray_dir)] == [lost]


@pytest.mark.parametrize("extra, message", [(["--ray-actors", "2"], "--ray-actors needs --ray"),
                                            (["--ray", "--no-cache"], "drop --no-cache")])
def test_cli_ray_options_are_checked_before_any_work(extra, message):
    result = subprocess.run([sys.executable, "-m", "core", "embed", str(SAMPLE), *extra], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and message in result.stderr
