"""core.workspace.arrays: derived arrays (map coordinates) kept in $SIFT_HOME/arrays, and the embedding cache's
place in the workspace (core.embed.default_cache_dir)."""

from __future__ import annotations

import os
import stat
import warnings

import numpy as np
import pytest

from core.data import load_pool
from core.embed import cache_path, default_cache_dir, embed_texts
from core.projection import project
from core.workspace.arrays import ArrayCacheWarning, array_path, cached_array, map_coordinates


@pytest.fixture(scope="module")
def sample_vectors(sample_path) -> np.ndarray:
    """The 455-record sample's embeddings (the model's real vectors; cached in the test run's SIFT_CACHE_DIR)."""
    return embed_texts(load_pool(sample_path).texts())


def _counting(compute):
    calls = []

    def wrapped():
        calls.append(1)
        return compute()

    return wrapped, calls


def test_second_call_reads_the_stored_map(sample_vectors, tmp_path):
    compute, calls = _counting(lambda: project(sample_vectors, method="umap", seed=0))
    parts = {"vectors": "sample", "method": "umap", "seed": 0}
    first = cached_array("map_coords", parts, compute, shape=(len(sample_vectors), 2), dtype=np.float32,
                         root=tmp_path)
    second = cached_array("map_coords", parts, compute, shape=(len(sample_vectors), 2), dtype=np.float32,
                          root=tmp_path)
    assert len(calls) == 1  # the second call is a hit: UMAP is not run again
    np.testing.assert_array_equal(first, second)
    assert array_path("map_coords", parts, tmp_path).is_file()


def test_map_coordinates_survive_a_new_process_view(sample_vectors, tmp_path):
    """What the app's coords() calls: the stored file equals a fresh projection and is what the next call returns."""
    a = map_coordinates(sample_vectors, method="pca", seed=0, root=tmp_path)
    np.testing.assert_array_equal(a, project(sample_vectors, method="pca", seed=0))
    files = list((tmp_path / "arrays" / "map_coords").glob("*.npy"))
    assert len(files) == 1
    np.testing.assert_array_equal(np.load(files[0], allow_pickle=False), a)
    np.testing.assert_array_equal(map_coordinates(sample_vectors, method="pca", seed=0, root=tmp_path), a)


def test_keys_differ_by_seed_method_and_vectors(sample_vectors, tmp_path):
    map_coordinates(sample_vectors, method="pca", seed=0, root=tmp_path)
    map_coordinates(sample_vectors, method="pca", seed=1, root=tmp_path)
    map_coordinates(sample_vectors[:100], method="pca", seed=0, root=tmp_path)
    assert len(list((tmp_path / "arrays" / "map_coords").glob("*.npy"))) == 3
    base = {"vectors": "v", "method": "pca", "seed": 0}
    paths = {array_path("map_coords", {**base, **change}, tmp_path)
             for change in ({}, {"seed": 1}, {"method": "umap"}, {"vectors": "w"})}
    assert len(paths) == 4


@pytest.mark.parametrize("damage", ["garbage", "wrong_shape", "nan"])
def test_a_bad_file_is_recomputed_with_a_warning(sample_vectors, tmp_path, damage):
    good = map_coordinates(sample_vectors, method="pca", seed=0, root=tmp_path)
    (path,) = (tmp_path / "arrays" / "map_coords").glob("*.npy")
    if damage == "garbage":
        path.write_bytes(b"not an npy file")
    elif damage == "wrong_shape":
        np.save(path, good[:10])
    else:
        bad = good.copy()
        bad[3, 1] = np.nan
        np.save(path, bad)
    with pytest.warns(ArrayCacheWarning, match="unusable"):
        again = map_coordinates(sample_vectors, method="pca", seed=0, root=tmp_path)
    np.testing.assert_array_equal(again, good)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ArrayCacheWarning)  # rewritten: the next read is clean
        np.testing.assert_array_equal(map_coordinates(sample_vectors, method="pca", seed=0, root=tmp_path), good)


def test_stored_files_follow_the_umask(sample_vectors, tmp_path):
    old = os.umask(0o027)
    try:
        map_coordinates(sample_vectors, method="pca", seed=0, root=tmp_path)
    finally:
        os.umask(old)
    (path,) = (tmp_path / "arrays" / "map_coords").glob("*.npy")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_default_root_is_the_workspace(sample_vectors, tmp_path, monkeypatch):
    monkeypatch.setenv("SIFT_HOME", str(tmp_path / "home"))
    map_coordinates(sample_vectors[:50], method="pca", seed=0)
    assert len(list((tmp_path / "home" / "arrays" / "map_coords").glob("*.npy"))) == 1


def test_embedding_cache_lives_in_the_workspace(tmp_path, monkeypatch):
    texts = ["a first text", "a second one"]
    monkeypatch.setenv("SIFT_CACHE_DIR", str(tmp_path / "explicit"))
    assert default_cache_dir() == tmp_path / "explicit"  # $SIFT_CACHE_DIR still wins
    monkeypatch.delenv("SIFT_CACHE_DIR")
    monkeypatch.setenv("SIFT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert default_cache_dir() == tmp_path / "home" / "cache"
    new = cache_path(texts)
    assert new.is_relative_to(tmp_path / "home" / "cache" / "embeddings")
    # A pool cached before the move (~/.cache/sift) is read from there until the workspace has its own copy.
    legacy = tmp_path / "user" / ".cache" / "sift" / new.relative_to(tmp_path / "home" / "cache")
    legacy.mkdir(parents=True)
    assert cache_path(texts) == legacy
    new.mkdir(parents=True)
    assert cache_path(texts) == new
