"""Parameter parsing and range checks (core/params.py) and the seed every selector accepts."""

from __future__ import annotations

import numpy as np
import pytest

from core import selectors
from core.errors import SiftError
from core.features import Features
from core.params import Param


def test_param_rejects_non_finite_and_names_open_bounds():
    with pytest.raises(SiftError, match="finite"):
        Param("tau", 0.9, float, low=-1.0, high=1.0).parse("nan")
    with pytest.raises(SiftError, match="finite"):
        Param("a", 0.5, float).check(float("inf"))
    with pytest.raises(SiftError, match="at least 0, got -1"):
        Param("seed", 42, int, low=0).parse("-1")
    assert Param("tau", 0.9, float, low=-1.0, high=1.0).parse("0.25") == 0.25


def test_selector_seed_checked_for_every_selector():
    X = np.eye(4, dtype=np.float32)
    f = Features(n=4, embeddings=X, quality=np.arange(4.0))
    with pytest.raises(SiftError, match="seed"):
        selectors.run("quality_topk", f, 2, seed=-5)  # deterministic: the seed is not declared, still checked
    assert selectors.run("quality_topk", f, 2, seed="7").indices.tolist() == [3, 2]
    assert selectors.run("quality_topk", f, 2, seed="8").indices.tolist() == [3, 2]  # and changes nothing
