"""The per-chunk embedding cache (core.embed): resumes after SIGKILL computing only the missing chunks, checks what
it reads (recomputing a bad chunk with a warning), survives an unwritable cache, ``--no-cache``, the umask,
temporary files on SIGTERM and leftovers of SIGKILL, and progress with count, rate and ETA."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from core import embed
from core.fileio import TMP_PREFIX, TMP_SUFFIX

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "instructions.jsonl"
TEXTS = sorted((json.loads(line)["instruction"] for line in SAMPLE.read_text().splitlines()), key=len)[:44]
BATCH, CHUNK = 4, 8  # 44 short texts: one chunk of 4, then 5 chunks of 8


class CountingModel:
    """The real encoder, counting how many encode calls (one per chunk) and texts it gets."""

    def __init__(self, real):
        self.real, self.calls, self.texts = real, 0, 0

    def encode(self, texts, **kwargs):
        self.calls += 1
        self.texts += len(texts)
        return self.real.encode(texts, **kwargs)


@pytest.fixture
def counting(monkeypatch):
    model = CountingModel(embed.load_model(embed.DEFAULT_MODEL))
    monkeypatch.setattr(embed, "load_model", lambda *a, **k: model)
    return model


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A cache holding every chunk of TEXTS, and the vectors (computed once for the module)."""
    root = tmp_path_factory.mktemp("warm")
    return root, embed.embed_texts(TEXTS, cache_dir=root, batch_size=BATCH, chunk_size=CHUNK)


def _copy_warm(warm, tmp_path) -> np.ndarray:
    shutil.copytree(warm[0] / "embeddings", tmp_path / "embeddings")
    return warm[1]


def _embed(cache_dir, **kwargs):
    return embed.embed_texts(TEXTS, cache_dir=cache_dir, batch_size=BATCH, chunk_size=CHUNK, **kwargs)


def _chunks(cache_dir) -> list[Path]:
    folder = embed.cache_path(TEXTS, embed.DEFAULT_MODEL, cache_dir)
    return sorted(folder.glob("*.npy")) if folder.is_dir() else []


def test_plan_is_one_batch_then_whole_batches():
    assert embed.plan_chunks(60, 4, 8) == [(0, 4)] + [(lo, min(lo + 8, 60)) for lo in range(4, 60, 8)]
    assert embed.plan_chunks(len(TEXTS), BATCH, CHUNK)[-1] == (36, 44)
    assert embed.plan_chunks(3, 64) == [(0, 3)]
    plan = embed.plan_chunks(2000, 64, 500)  # 500 rounds up to 512 = 8 batches
    assert plan[:3] == [(0, 64), (64, 576), (576, 1088)] and all(lo % 64 == 0 for lo, _ in plan)


def test_sigkill_midway_then_the_next_run_computes_only_the_missing_chunks(tmp_path, counting):
    total = len(embed.plan_chunks(len(TEXTS), BATCH, CHUNK))
    script = textwrap.dedent(f"""
        import json, sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from core.embed import embed_texts
        texts = json.loads(open({str(tmp_path / 'texts.json')!r}).read())
        # Slow each chunk down so that the kill lands midway whatever the machine's speed.
        embed_texts(texts, cache_dir={str(tmp_path)!r}, batch_size={BATCH}, chunk_size={CHUNK},
                    progress=lambda f, m: time.sleep(0.4))
    """)
    (tmp_path / "texts.json").write_text(json.dumps(TEXTS))
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        deadline = time.monotonic() + 240
        while len(_chunks(tmp_path)) < 3:
            assert proc.poll() is None, "the embedding process ended before it could be killed"
            assert time.monotonic() < deadline, "no chunk was written in time"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    cached = len(_chunks(tmp_path))
    assert 3 <= cached < total  # killed midway
    X = _embed(tmp_path)
    assert counting.calls == total - cached  # only the missing chunks were encoded
    assert len(_chunks(tmp_path)) == total
    fresh = embed.embed_texts(TEXTS, batch_size=BATCH, chunk_size=CHUNK, use_cache=False)
    assert np.array_equal(X, fresh)  # resumed vectors are the vectors of a run from scratch


def test_second_run_encodes_nothing(tmp_path, warm, counting):
    first = _copy_warm(warm, tmp_path)
    assert np.array_equal(_embed(tmp_path), first) and counting.calls == 0


@pytest.mark.parametrize("poison", ["zero_bytes", "garbage", "wrong_dim", "wrong_rows", "float64", "nan",
                                    "all_zero", "not_unit", "pickle"])
def test_a_bad_chunk_is_recomputed_with_a_warning(tmp_path, warm, counting, poison):
    good = _copy_warm(warm, tmp_path)
    path = _chunks(tmp_path)[3]
    rows = np.load(path).shape[0]
    if poison == "zero_bytes":
        path.write_bytes(b"")
    elif poison == "garbage":
        path.write_bytes(b"\x93NUMPY garbage")
    elif poison == "wrong_dim":
        np.save(path, np.full((rows, 8), 8 ** -0.5, dtype=np.float32))
    elif poison == "wrong_rows":
        np.save(path, np.load(path)[:-1])
    elif poison == "float64":
        np.save(path, np.load(path).astype(np.float64))
    elif poison == "nan":
        bad = np.load(path)
        bad[0, 0] = np.nan
        np.save(path, bad)
    elif poison == "all_zero":
        np.save(path, np.zeros_like(np.load(path)))
    elif poison == "not_unit":
        np.save(path, np.load(path) * 3)
    elif poison == "pickle":
        np.save(path, np.array([{"a": 1}] * rows, dtype=object), allow_pickle=True)
    with pytest.warns(embed.CacheWarning, match="recomputing"):
        again = _embed(tmp_path)
    assert counting.calls == 1  # that one chunk only
    assert np.array_equal(again, good)
    assert np.load(path, allow_pickle=False).shape == (rows, good.shape[1])  # rewritten


def test_no_cache_reads_and_writes_nothing(tmp_path, warm, counting):
    good = _copy_warm(warm, tmp_path)
    for path in _chunks(tmp_path):
        path.write_bytes(b"")  # would warn if it were read
    X = _embed(tmp_path, use_cache=False)
    assert counting.calls == len(embed.plan_chunks(len(TEXTS), BATCH, CHUNK)) and np.array_equal(X, good)
    assert all(p.stat().st_size == 0 for p in _chunks(tmp_path))


def test_cli_no_cache_writes_no_cache(tmp_path, monkeypatch, capsys):
    from core.cli import main

    pool = tmp_path / "p.jsonl"
    pool.write_text("".join(json.dumps({"instruction": t, "output": "x"}) + "\n" for t in TEXTS[:10]))
    monkeypatch.setenv("SIFT_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["embed", str(pool), "--no-cache"]) == 0
    assert not (tmp_path / "cache").exists()
    assert main(["embed", str(pool)]) == 0
    assert (tmp_path / "cache").exists()


def test_an_unwritable_cache_warns_and_the_run_continues(tmp_path, counting):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    with pytest.warns(embed.CacheWarning, match="cannot write the embedding cache"):
        X = embed.embed_texts(TEXTS[:8], cache_dir=blocker / "cache", batch_size=BATCH, chunk_size=CHUNK)
    assert X.shape == (8, 384)


def test_cli_unwritable_cache_is_one_warning_line_and_exit_0(tmp_path, monkeypatch, capsys):
    from core.cli import main

    pool = tmp_path / "p.jsonl"
    pool.write_text("".join(json.dumps({"instruction": t, "output": "x"}) + "\n" for t in TEXTS[:10]))
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("SIFT_CACHE_DIR", str(blocker / "cache"))
    assert main(["embed", str(pool), "-o", str(tmp_path / "e.npy")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "cannot write the embedding cache" in warnings[0]
    assert np.load(tmp_path / "e.npy").shape == (10, 384)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_cache_files_follow_the_umask(tmp_path, umask):
    old = os.umask(umask)
    try:
        embed.embed_texts(TEXTS[:6], cache_dir=tmp_path, batch_size=BATCH, chunk_size=CHUNK)
        path = embed.save_npy(tmp_path / "x.npy", np.ones((3, 2), dtype=np.float32))
    finally:
        os.umask(old)
    folder = embed.cache_path(TEXTS[:6], embed.DEFAULT_MODEL, tmp_path)
    files = list(folder.glob("*.npy")) + [path]
    assert len(files) == 3 and {f.stat().st_mode & 0o777 for f in files} == {0o666 & ~umask}


def test_save_npy_round_trips_without_pickles(tmp_path):
    X = np.random.default_rng(3).normal(size=(257, 5)).astype(np.float32)
    embed.save_npy(tmp_path / "x.npy", X)
    assert np.array_equal(np.load(tmp_path / "x.npy", allow_pickle=False), X)
    embed.save_npy(tmp_path / "y.npy", X[:, 1:3])  # not contiguous
    assert np.array_equal(np.load(tmp_path / "y.npy", allow_pickle=False), X[:, 1:3])


def test_sigterm_during_a_write_removes_the_temporary_file(tmp_path):
    target = tmp_path / "out.bin"
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from core.cli import install_signal_handlers
        from core.fileio import atomic_write
        install_signal_handlers()
        def slow():
            yield b"first part"
            open({str(tmp_path / 'started')!r}, "w").close()
            time.sleep(60)
            yield b"never"
        atomic_write({str(target)!r}, slow())
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "started").exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        assert [p for p in tmp_path.iterdir() if p.name.endswith(TMP_SUFFIX)]  # the write is under way
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(TMP_SUFFIX)]


def test_leftovers_of_a_killed_writer_are_ignored_and_removed(tmp_path, warm, counting):
    _copy_warm(warm, tmp_path)
    folder = embed.cache_path(TEXTS, embed.DEFAULT_MODEL, tmp_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    first = _chunks(tmp_path)[0]
    leftover = folder / f"{TMP_PREFIX}{first.name}.{dead.pid}.abc123{TMP_SUFFIX}"
    leftover.write_bytes(b"half a chunk")
    alive = folder / f"{TMP_PREFIX}{first.name}.{os.getpid()}.def456{TMP_SUFFIX}"
    alive.write_bytes(b"a write still under way")
    first.unlink()
    _embed(tmp_path)
    assert counting.calls == 1  # the missing chunk is recomputed, the leftover never read as it
    assert not leftover.exists() and alive.exists()


def test_progress_reports_count_rate_and_eta_from_the_first_chunk(tmp_path):
    messages: list[tuple[float, str]] = []
    embed.embed_texts(TEXTS, cache_dir=tmp_path, batch_size=BATCH, chunk_size=CHUNK,
                      progress=lambda f, m: messages.append((f, m)))
    total = len(embed.plan_chunks(len(TEXTS), BATCH, CHUNK))
    assert messages[0] == (0.0, f"Embedding {len(TEXTS)} texts with {embed.DEFAULT_MODEL} (longest first)")
    chunks = messages[1:]
    assert len(chunks) == total  # one report per chunk, the first after one batch of 4 texts
    assert chunks[0][1].startswith(f"Embedded {BATCH} / {len(TEXTS)} texts, ")
    assert all(" texts/s, ETA " in m for _, m in chunks) and chunks[-1][1].endswith("ETA 0s")
    assert [f for f, _ in messages] == sorted(f for f, _ in messages) and messages[-1][0] == 1.0
    # Resuming says how much was cached.
    _chunks(tmp_path)[-1].unlink()
    resumed: list[str] = []
    embed.embed_texts(TEXTS, cache_dir=tmp_path, batch_size=BATCH, chunk_size=CHUNK,
                      progress=lambda f, m: resumed.append(m))
    assert resumed[0].startswith(f"Resuming: {len(TEXTS) - 8} of {len(TEXTS)} texts cached, 1 chunk")


def test_cli_embed_says_how_many_chunks_it_computed(tmp_path, monkeypatch, capsys):
    from core.cli import main

    pool = tmp_path / "p.jsonl"
    pool.write_text("".join(json.dumps({"instruction": t, "output": "x"}) + "\n" for t in TEXTS[:10]))
    monkeypatch.setenv("SIFT_CACHE_DIR", str(tmp_path / "cache"))
    argv = ["embed", str(pool), "--batch-size", "4"]  # 10 texts: a chunk of 4, then one of 6
    assert main(argv) == 0
    assert "computed 2 of 2 chunks (0 were cached)" in capsys.readouterr().out
    folder = embed.cache_path(TEXTS[:10], embed.DEFAULT_MODEL, tmp_path / "cache")
    (folder / "000000004-000000010.npy").unlink()  # as if the run had been killed after its first chunk
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "computed 1 of 2 chunks (1 were cached)" in captured.out
    assert "Resuming: 4 of 10 texts cached" in captured.err and "ETA" in captured.err
    assert main(argv) == 0
    assert "cache hit" in capsys.readouterr().out
