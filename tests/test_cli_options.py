"""The shared CLI options (core.cli.options): every command takes them, and a bad value fails with exit 2 and one
line before any slow work (no model loaded, no cache written); selectors and metrics that use no vectors never
embed the pool; precomputed vectors (``--embeddings FILE.npy``) are used instead of the model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core import embed
from core.cli import COMMANDS, build_parser, main

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "instructions.jsonl"
N_SAMPLE = 455


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A private, not yet existing cache folder."""
    root = tmp_path / "cache"
    monkeypatch.setenv("SIFT_CACHE_DIR", str(root))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return root


@pytest.fixture
def no_model(monkeypatch):
    """Fail the test if anything loads the embedding model."""
    def boom(*args, **kwargs):
        raise AssertionError("the embedding model was loaded")

    monkeypatch.setattr(embed, "load_model", boom)


@pytest.fixture
def pool_embeds(monkeypatch):
    """Record the size of every text list embedded (a call with the pool's size embeds the pool)."""
    sizes: list[int] = []
    real = embed.embed_texts

    def spy(texts, *args, **kwargs):
        sizes.append(len(texts))
        return real(texts, *args, **kwargs)

    monkeypatch.setattr(embed, "embed_texts", spy)
    return sizes


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    return err[0]


def test_every_command_is_registered_explicitly():
    names = set(build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001 - argparse's own table
    assert {"info", "embed", "metrics", "select", "compare", "graph", "labels"} <= names
    assert len(COMMANDS) == len({m.__name__ for m in COMMANDS})


@pytest.mark.parametrize("command", ["info", "embed", "metrics", "select", "compare", "graph", "labels"])
def test_every_pool_command_takes_the_pool_options(command):
    p = build_parser()
    extra = {"select": ["--method", "random", "--budget", "3", "-o", "x.jsonl"],
             "compare": ["--methods", "random", "--budget", "3"]}.get(command, [])
    args = p.parse_args([command, "f.jsonl", "--shape", "alpaca", "--columns", "instruction=q", "--lenient", *extra])
    assert (args.shape, args.columns, args.lenient) == ("alpaca", "instruction=q", True)


@pytest.mark.parametrize("command", ["metrics", "select", "compare"])
def test_every_feature_command_takes_the_feature_options(command):
    p = build_parser()
    extra = {"select": ["--method", "random", "--budget", "3", "-o", "x.jsonl"],
             "compare": ["--methods", "random", "--budget", "3"]}.get(command, [])
    args = p.parse_args([command, "f.jsonl", "--embeddings", "e.npy", "--model", "m", "--view",
                         "instruction+response", "--turns", "all", "--labels", "data", "--no-cache",
                         "--batch-size", "8", *extra])
    assert (args.embeddings, args.model, args.view, args.turns, args.labels, args.no_cache, args.batch_size) == \
        ("e.npy", "m", "instruction+response", "all", "data", True, 8)


@pytest.mark.parametrize("command", ["graph", "labels"])
def test_label_commands_take_the_model_options_but_no_precomputed_vectors(command):
    # Labels and the label graph compare texts with label phrases embedded by the model, so vectors from
    # elsewhere cannot stand in for it.
    args = build_parser().parse_args([command, "f.jsonl", "--model", "m", "--view", "instruction+response",
                                      "--turns", "all", "--labels", "data", "--no-cache", "--batch-size", "8"])
    assert (args.model, args.view, args.turns, args.labels, args.no_cache, args.batch_size, args.embeddings) == \
        ("m", "instruction+response", "all", "data", True, 8, None)


def test_defaults_come_from_core_defaults():
    from core import defaults

    args = build_parser().parse_args(["select", "f.jsonl", "--method", "random", "--budget", "3", "-o", "x.jsonl"])
    assert (args.view, args.turns, args.shape, args.seed, args.batch_size) == (
        defaults.DEFAULT_VIEW, defaults.DEFAULT_TURNS, defaults.DEFAULT_SHAPE, defaults.DEFAULT_SEED,
        defaults.DEFAULT_BATCH_SIZE)
    assert embed.DEFAULT_MODEL == defaults.DEFAULT_MODEL


def _bad_npy(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.npy"
    if kind == "strings":
        np.save(path, np.array([["a", "b"]] * N_SAMPLE), allow_pickle=False)
    elif kind == "one_d":
        np.save(path, np.ones(N_SAMPLE, dtype=np.float32))
    elif kind == "rows":
        np.save(path, np.ones((N_SAMPLE - 1, 4), dtype=np.float32))
    elif kind == "text":
        path.write_text("not an npy file")
    elif kind == "empty":
        path.write_bytes(b"")
    return path


@pytest.mark.parametrize("argv,message", [
    (["select", str(SAMPLE), "--method", "kcenter", "--budget", "5", "-o", "{tmp}/x.jsonl", "--threshold", "2"],
     "threshold"),
    (["compare", str(SAMPLE), "--methods", "kcenter,mig", "--budget", "5", "--threshold", "high"], "threshold"),
    (["metrics", str(SAMPLE), "--threshold", "nan"], "threshold"),
    (["graph", str(SAMPLE), "--threshold", "-3"], "threshold"),
    (["select", str(SAMPLE), "--method", "kcenter", "--budget", "5", "-o", "{tmp}/missing/x.jsonl"],
     "does not exist"),
    (["labels", str(SAMPLE), "--labels", "auto_tags", "-o", "{tmp}/missing/l.jsonl"], "does not exist"),
    (["embed", str(SAMPLE), "-o", "{tmp}/missing/e.npy"], "does not exist"),
    (["select", str(SAMPLE), "--method", "kcenter", "--budget", "5", "-o", "{tmp}/x.txt"], "must end in"),
    (["select", str(SAMPLE), "--method", "kcenter", "--budget", "5", "-o", "{tmp}/x.jsonl",
      "--embeddings", "{tmp}/none.npy"], "no such file"),
    (["select", str(SAMPLE), "--method", "kcenter", "--budget", "5", "-o", "{tmp}/x.jsonl",
      "--embeddings", "{npy:strings}"], "numeric"),
    (["select", str(SAMPLE), "--method", "kcenter", "--budget", "5", "-o", "{tmp}/x.jsonl",
      "--embeddings", "{npy:one_d}"], "2-d"),
    (["select", str(SAMPLE), "--method", "kcenter", "--budget", "5", "-o", "{tmp}/x.jsonl",
      "--embeddings", "{npy:rows}"], "454 rows but the pool has 455"),
    (["metrics", str(SAMPLE), "--embeddings", "{npy:text}"], "not a valid .npy"),
    (["metrics", str(SAMPLE), "--embeddings", "{npy:empty}"], "not a valid .npy"),
    (["metrics", str(SAMPLE), "--columns", "instruction"], "KEY=FIELD"),
    (["embed", str(SAMPLE), "--batch-size", "0"], "--batch-size"),
    (["select", str(SAMPLE), "--method", "mig", "--budget", "5", "-o", "{tmp}/x.jsonl", "--valid-tags",
      "{tmp}/bad.json"], "not valid JSON"),
    (["info", "{tmp}/no-such-pool.jsonl"], "no such file"),
])
def test_bad_options_fail_before_any_model_or_cache(tmp_path, cache, no_model, capsys, argv, message):
    (tmp_path / "bad.json").write_text("[1, 2")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    argv = [str(_bad_npy(tmp_path, a[5:-1])) if a.startswith("{npy:") else a for a in argv]
    assert main(argv) == 2
    assert message in _one_line(capsys)
    assert not cache.exists()  # nothing was embedded, nothing cached


@pytest.mark.parametrize("method", ["random", "quality_topk", "instag"])
def test_selectors_without_embedding_needs_never_load_the_model(tmp_path, cache, no_model, capsys, method):
    out = tmp_path / f"{method}.jsonl"
    assert main(["select", str(SAMPLE), "--method", method, "--budget", "20", "-o", str(out)]) == 0, \
        capsys.readouterr().err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 20 and "novelty" not in rows[0]  # the novelty column needs vectors: not computed
    assert not cache.exists()


def test_mig_embeds_its_labels_but_never_the_pool(tmp_path, cache, pool_embeds, capsys):
    out = tmp_path / "mig.jsonl"
    assert main(["select", str(SAMPLE), "--method", "mig", "--budget", "20", "-o", str(out)]) == 0, \
        capsys.readouterr().err
    assert pool_embeds and N_SAMPLE not in pool_embeds  # only the label vocabulary was embedded
    manifest = json.loads((tmp_path / "mig.manifest.json").read_text())
    assert manifest["extra"]["embedding_origin"] is None and manifest["extra"]["graph_threshold"] is not None


def test_metrics_without_vector_needs_never_load_the_model(cache, no_model, capsys):
    assert main(["metrics", str(SAMPLE), "--metric", "tag_coverage", "--json"]) == 0, capsys.readouterr().err
    assert not cache.exists()


def test_kcenter_does_embed_the_pool(tmp_path, cache, pool_embeds, capsys):
    # The counterpart of the tests above: a selector that needs vectors embeds all 455 records.
    assert main(["select", str(SAMPLE), "--method", "kcenter", "--budget", "5", "-o", str(tmp_path / "k.jsonl")]) == 0
    assert N_SAMPLE in pool_embeds


def test_precomputed_embeddings_replace_the_model(tmp_path, cache, no_model, capsys):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(N_SAMPLE, 16))  # float64 on disk, not unit rows
    np.save(tmp_path / "e.npy", vectors)
    out = tmp_path / "k.jsonl"
    assert main(["select", str(SAMPLE), "--method", "kcenter", "--budget", "6", "-o", str(out), "--embeddings",
                 str(tmp_path / "e.npy")]) == 0, capsys.readouterr().err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 6 and "novelty" in rows[0]
    manifest = json.loads((tmp_path / "k.manifest.json").read_text())
    assert manifest["extra"]["embedding_origin"] == "given"
    assert manifest["extra"]["embeddings"] == str(tmp_path / "e.npy")
    # The same picks as k-center run on the same vectors in core.
    from core import selectors
    from core.embed import load_precomputed
    from core.features import Features

    X = load_precomputed(tmp_path / "e.npy", N_SAMPLE)
    sel = selectors.run("kcenter", Features(n=N_SAMPLE, embeddings=X), 6, seed=42)
    ids = [json.loads(line)["id"] for line in SAMPLE.read_text().splitlines()]
    assert [r["id"] for r in rows] == [ids[i] for i in sel.indices]
    assert not cache.exists()


def test_non_finite_precomputed_row_is_named(tmp_path, cache, no_model, capsys):
    vectors = np.ones((N_SAMPLE, 4), dtype=np.float32)
    vectors[10, 2] = np.nan
    np.save(tmp_path / "e.npy", vectors)
    assert main(["select", str(SAMPLE), "--method", "kcenter", "--budget", "6", "-o", str(tmp_path / "k.jsonl"),
                 "--embeddings", str(tmp_path / "e.npy")]) == 2
    line = _one_line(capsys)
    assert "row 11" in line and "e.npy" in line


def test_load_precomputed_makes_one_float32_array(tmp_path):
    vectors = np.random.default_rng(1).normal(size=(1000, 8)).astype(np.float32)
    np.save(tmp_path / "e.npy", vectors)
    X = embed.load_precomputed(tmp_path / "e.npy", 1000)
    assert X.dtype == np.float32 and X.flags.writeable and not isinstance(X, np.memmap)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=1e-6)
    assert np.array_equal(X, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc (a folder no one can create files in)")
@pytest.mark.parametrize("command", [["select", "--method", "kcenter", "--budget", "5"], ["labels"], ["embed"]])
def test_unwritable_output_folder_fails_before_any_model(tmp_path, cache, no_model, capsys, command):
    # A probe file is created in the folder (os.access would say yes to root, or on a read-only mount).
    suffix = {"select": ".jsonl", "labels": ".jsonl", "embed": ".npy"}[command[0]]
    assert main([command[0], str(SAMPLE), *command[1:], "-o", f"/proc/out{suffix}"]) == 2
    assert "not writable" in _one_line(capsys)
    assert not cache.exists()
