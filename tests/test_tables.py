"""ui.tables on a real comparison (core.compare.compare_at_k): each cell's value, rank and distance from random,
the best run marked, the mean-rank row, and the picks table's two per-pick quantities named apart."""

from __future__ import annotations

import numpy as np
import pytest

from core.compare import compare_at_k
from core.features import Features
from core.selection import Selection
from ui.tables import comparison_frame, glossary_frame, picks_frame, versus_short


def _features(n: int = 80, seed: int = 0) -> Features:
    X = np.random.default_rng(seed).normal(size=(n, 8)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return Features(n=n, embeddings=X)


def test_comparison_frame_cells_best_and_mean_rank():
    f = _features()
    X = f.embeddings
    spread = [int(np.argmin(X @ X[0]))]  # far-apart picks: a greedy farthest-point order
    for _ in range(19):
        spread.append(int(np.argmin(np.max(X @ X[spread].T, axis=1))))
    crowded = list(np.argsort(-(X @ X[0]))[:20])  # the 20 nearest neighbours of one record
    runs = {"spread": Selection(np.array(spread), np.zeros(20), "kcenter"),
            "crowded": Selection(np.array(crowded), np.zeros(20), "x"),
            "random": Selection(np.random.default_rng(1).permutation(80)[:20], np.zeros(20), "random")}
    c = compare_at_k(f, runs, 15, metrics=["distsum_cosine", "vendi"], seeds=range(5))
    table, best = comparison_frame(c)
    assert list(table.columns) == ["metric", "direction", "spread", "crowded", "random", "random (mean ± sd)"]
    from core.metrics import REGISTRY

    assert table["metric"].tolist() == [REGISTRY["distsum_cosine"].label, REGISTRY["vendi"].label, "Mean rank"]
    assert table["direction"].tolist()[:2] == [REGISTRY["distsum_cosine"].direction, REGISTRY["vendi"].direction]
    for i, row in enumerate(c.rows):
        for run in runs:
            cell = table.loc[i, run]
            value, rank = row.values[run], row.ranks[run]
            assert cell.lstrip("★ ").startswith(f"{value:.4g} · #{rank} · ")
            assert cell.endswith(versus_short(row.versus[run]))
            assert cell.startswith("★") == (run in row.best) == bool(best.loc[i, run])
        assert table.loc[i, "random (mean ± sd)"] == f"{row.baseline.mean:.4g} ± {row.baseline.std:.2g}"
        assert row.best == ["spread"] and row.ranks["crowded"] == 3  # far-apart picks are the most diverse
        assert table.loc[i, "crowded"].split(" · ")[2].startswith("-")  # worse than random: negative sd
    ranks = c.mean_rank()
    assert table.iloc[-1]["spread"] == f"★ {ranks['spread']:.2f}" and bool(best.iloc[-1]["spread"])
    assert not best["metric"].any() and not best["random (mean ± sd)"].any()


def test_glossary_and_picks_frames():
    from core.metrics import glossary

    g = glossary_frame(glossary(["vendi", "tag_coverage"]))
    assert g["metric"].tolist() == ["Vendi score", "Tag coverage"] and all(g["meaning"].str.len() > 10)
    sel = Selection(np.array([2, 0]), np.array([456.4, 23.1]), "mig")
    frame = picks_frame(sel, ["a", "b", "c"], ["x " * 80, "y", "z"], np.array([0.1, 0.2, 0.3]),
                        [["l1"], [], ["l2", "l3"]], exact_gain=np.array([23.0, 21.5]))
    assert list(frame.columns) == ["rank", "ranking score", "exact gain", "id", "instruction", "quality", "labels"]
    assert frame["ranking score"].tolist() == [456.4, 23.1] and frame["exact gain"].tolist() == [23.0, 21.5]
    assert frame["id"].tolist() == ["c", "a"] and frame["labels"].tolist() == ["l2, l3", "l1"]
    assert frame["instruction"].iloc[1].endswith("…") and len(frame["instruction"].iloc[1]) == 90


def test_dataset_frame_key_columns_then_metadata_then_text():
    import pandas as pd

    from ui.tables import dataset_frame, metadata_columns

    base = pd.DataFrame({"id": ["a", "b"], "instruction": ["i", "j"], "response": ["r", "s"],
                         "category": ["c", "d"], "tags": ["", ""], "quality": [np.nan, np.nan]}, index=[7, 9])
    metas = [{"uid": "a", "source": "web", "category": "c", "license": "MIT", "n": 1, "deep": {"k": [1]}},
             {"uid": "b", "source": "books", "category": "d", "license": "x" * 300, "n": None, "deep": None}]
    frame = dataset_frame(base, metas, has_quality=False, has_tags=False, skip={"uid"})
    assert list(frame.columns) == ["id", "source", "category", "license", "n", "deep", "instruction", "response"]
    assert frame["source"].tolist() == ["web", "books"] and frame["deep"].tolist() == ['{"k": [1]}', ""]
    assert frame["n"].iloc[0] == 1.0 and np.isnan(frame["n"].iloc[1])  # numbers stay numbers
    assert len(frame["license"].iloc[1]) == 120 and frame["license"].iloc[1].endswith("…")
    # the pool's category field named "source": it comes right after the id, the record's own copy is not doubled
    renamed = dataset_frame(base, [{"source": "c", "license": "MIT"}, {"source": "d", "license": "MIT"}],
                            category="source")
    assert list(renamed.columns) == ["id", "source", "quality", "tags", "license", "instruction", "response"]
    assert renamed["source"].tolist() == ["c", "d"]
    assert metadata_columns([{"t": ["a", "b"], "flag": True}])["t"].tolist() == ["a, b"]
    assert metadata_columns([{"flag": True}])["flag"].tolist() == ["True"]  # bools are not numbers
    with pytest.raises(ValueError):
        dataset_frame(base, metas[:1])
