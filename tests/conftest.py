"""Shared test set-up: offline model loading, a private embedding cache, and paths to shared data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Set before any test imports sentence-transformers / the cache: offline, and a cache private to this run
# (sub-processes such as the browser test's server inherit both).
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("SIFT_CACHE_DIR", tempfile.mkdtemp(prefix="sift-test-cache-"))
# No test touches the user's workspace (~/.sift or a SIFT_HOME of theirs): each test run gets its own.
os.environ["SIFT_HOME"] = tempfile.mkdtemp(prefix="sift-test-home-")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE = REPO / "sample_data" / "instructions.jsonl"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The bundled sample dataset the app opens with."""
    return SAMPLE


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The official-code fixtures in ../shared/fixtures; skips when ../shared is absent."""
    path = SHARED / "fixtures"
    if not path.is_dir():
        pytest.skip("../shared/fixtures is not present")
    return path


@pytest.fixture(scope="session")
def pool_mixed_path() -> Path:
    """The real mixed-domain pool in ../shared/data; skips when ../shared is absent."""
    path = SHARED / "data" / "pool_mixed.jsonl"
    if not path.is_file():
        pytest.skip("../shared/data/pool_mixed.jsonl is not present")
    return path


@pytest.fixture(autouse=True)
def _private_workspace(tmp_path_factory, monkeypatch):
    """Each test its own empty workspace (SIFT_HOME), so runs stored by one test never show up in another."""
    monkeypatch.setenv("SIFT_HOME", str(tmp_path_factory.mktemp("sift-home")))
