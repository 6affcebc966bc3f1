"""Constraints for every selector on the 455-record sample: must-include first, never-pick absent, candidates
respected, MIG's E(S) counting the included records, clear errors, id files, filters and per-stratum quotas."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from core import selectors
from core.constraints import Constraints, allocate, from_pool, read_ids
from core.data import load_pool
from core.errors import BudgetError, InputError, SiftError
from core.information import d_phi, information_curve
from core.pipeline import build_features

BUDGET = 40


@pytest.fixture(scope="module")
def sample(sample_path):
    pool = load_pool(sample_path)
    return pool, build_features(pool)


@pytest.fixture(scope="module")
def rules(sample):
    """Keep 3 records from three categories, never pick 30 others, pick only from maths, coding and writing."""
    pool, _ = sample
    category = np.array([r["category"] for r in pool.records])
    allowed = np.flatnonzero(np.isin(category, ["maths", "coding", "writing"]))
    include = [int(np.flatnonzero(category == c)[4]) for c in ("roleplay", "maths", "translation")]
    exclude = allowed[::5][:30].tolist()
    return Constraints(include=include, exclude=exclude, candidates=allowed.tolist()), category


@pytest.mark.parametrize("name", selectors.names())
def test_every_selector_honours_include_exclude_and_candidates(sample, rules, name):
    _, features = sample
    c, category = rules
    sel = selectors.run(name, features, BUDGET, constraints=c)
    picks = sel.indices.tolist()
    assert picks[:3] == list(c.include)  # must-include first, in the given order, counted in the budget
    assert len(picks) == BUDGET == len(set(picks))
    assert not set(picks) & set(c.exclude)
    assert set(category[picks[3:]]) <= {"maths", "coding", "writing"}
    assert sel.params["constraints"]["include"] == list(c.include)
    assert sel.info["constraints"]["exclude"] == list(c.exclude)
    unconstrained = selectors.run(name, features, BUDGET).indices.tolist()
    assert picks != unconstrained


def test_mig_commits_the_included_records_first_so_its_gains_count_them(sample):
    """Every free pick is the argmax of h_j . phi'(z) with z summing the included records and earlier picks."""
    _, features = sample
    free = selectors.run("mig", features, 30)
    include = [free.indices[0].item(), free.indices[25].item()]  # the second shares labels with later picks
    sel = selectors.run("mig", features, 30, constraints=Constraints(include=include))
    h = features.graph.propagate(features.label_sets, features.quality).toarray()
    for t in range(2, 12):
        gains = h @ d_phi(h[sel.indices[:t]].sum(axis=0))
        gains[sel.indices[:t]] = -np.inf
        gains[[len(ls) == 0 for ls in features.label_sets]] = -np.inf  # label-less records are skipped
        assert int(np.argmax(gains)) == sel.indices[t]
        assert sel.gains[t] == pytest.approx(gains.max(), rel=1e-12)
    energy, _ = information_curve(features.label_sets, features.quality, features.graph, sel.indices)
    alone, _ = information_curve(features.label_sets, features.quality, features.graph, include)
    assert energy[1] == pytest.approx(alone[1], rel=1e-12)  # E(S) of the first two picks is E(included)
    assert sel.indices[1:].tolist() != free.indices[1:].tolist()  # the second include changed what came next


def test_kcenter_starts_from_the_included_centres_and_deita_filters_their_near_duplicates(sample):
    _, features = sample
    include = [10, 200]
    sel = selectors.run("kcenter", features, 5, constraints=Constraints(include=include))
    X = features.embeddings
    nearest = np.minimum(1 - X @ X[10], 1 - X @ X[200])
    nearest[include] = -np.inf
    assert sel.indices[2] == int(np.argmax(nearest)) and sel.gains[2] == pytest.approx(nearest.max(), abs=1e-6)
    d = selectors.run("deita", features, 30, tau=0.8, constraints=Constraints(include=include))
    sims = X[d.indices[2:]] @ X[include].T
    assert (sims <= 0.8 + 1e-6).all()


def test_contradictory_or_impossible_constraints_are_clear_errors(sample):
    _, features = sample
    with pytest.raises(BudgetError, match="3 records must be included but the budget is 2"):
        selectors.run("random", features, 2, constraints=Constraints(include=[1, 2, 3]))
    with pytest.raises(SiftError, match="both must-include and never-pick"):
        selectors.run("random", features, 5, constraints=Constraints(include=[1, 2], exclude=[2]))
    with pytest.raises(SiftError, match="no candidate records are left"):
        selectors.run("kcenter", features, 5, constraints=Constraints(candidates=[4, 5], exclude=[4, 5]))
    with pytest.raises(BudgetError, match="budget 6 is larger than the 4 records the constraints allow"):
        selectors.run("qdit", features, 6, constraints=Constraints(include=[0], candidates=[7, 8, 9]))
    with pytest.raises(SiftError, match="never-pick row 455 is outside the pool"):
        selectors.run("random", features, 5, constraints=Constraints(exclude=[455]))
    with pytest.raises(SiftError, match="listed twice"):
        selectors.run("random", features, 5, constraints=Constraints(include=[3, 3]))


def test_id_files_filters_and_strata_from_the_pool(sample, tmp_path):
    pool, features = sample
    lines = tmp_path / "keep.txt"
    lines.write_text(f"# keep these\n{pool.ids[7]}\n\n{pool.ids[3]}\n", encoding="utf-8")
    listed = tmp_path / "drop.json"
    listed.write_text(json.dumps([pool.ids[1], pool.ids[2]]), encoding="utf-8")
    assert read_ids(lines) == [(pool.ids[7], 2), (pool.ids[3], 4)]
    c = from_pool(pool, include=lines, exclude=listed, where=["category=coding"], per="category")
    assert list(c.include) == [7, 3] and list(c.exclude) == [1, 2]
    assert {pool.records[i]["category"] for i in c.candidates} == {"coding"}
    assert c.record()["where"] == ["category=coding"] and c.record()["per"] == "category"
    bad = tmp_path / "bad.txt"
    bad.write_text(f"{pool.ids[0]}\nnot-an-id\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.txt, line 2: id 'not-an-id' is not in the pool"):
        from_pool(pool, include=bad)
    with pytest.raises(InputError, match="no record has a column 'source'"):
        from_pool(pool, where=["source=alpaca"])
    with pytest.raises(SiftError, match="COLUMN=VALUE"):
        from_pool(pool, where=["category"])
    assert from_pool(pool) is None
    number = from_pool(pool, where=[f"quality={pool.records[0]['quality']}"])
    assert 0 in number.candidates  # numbers compare as their JSON text


def test_allocation_sums_to_the_budget_and_follows_each_rule():
    assert allocate([50, 30, 20], 10).tolist() == [5, 3, 2]
    assert allocate([5, 3, 2], 4).tolist() == [2, 1, 1]  # exact 2.0, 1.2, 0.8: the largest remainder gets 1
    assert allocate([1, 1, 1], 2).tolist() == [1, 1, 0]  # equal remainders: the earlier strata
    assert allocate([2, 50, 50], 30, "equal").tolist() == [2, 14, 14]  # a small stratum gives all it has
    assert allocate([10, 10, 10], 10, "equal").tolist() == [4, 3, 3]
    assert allocate([90, 10], 10, minimum=[0, 3]).tolist() == [7, 3]  # must-include rows raise a quota
    for sizes, budget in (([7, 1, 13, 4], 11), ([100, 3, 3], 50), ([1] * 9, 9)):
        for mode in ("proportional", "equal"):
            quota = allocate(sizes, budget, mode)
            assert quota.sum() == budget and (quota <= np.array(sizes)).all()
    with pytest.raises(SiftError, match="per_mode"):
        allocate([3], 1, "square")


@pytest.mark.parametrize("mode", ["proportional", "equal"])
@pytest.mark.parametrize("name", ["mig", "kcenter", "quality_topk"])
def test_per_stratum_quotas_give_each_category_its_allocation(sample, name, mode):
    pool, features = sample
    category = [r["category"] for r in pool.records]
    keep = [category.index("coding")]
    c = from_pool(pool, per="category", per_mode=mode)
    c = Constraints(include=keep, strata=c.strata, per_mode=mode, source=c.source)
    sel = selectors.run(name, features, 60, constraints=c)
    labels = sorted(set(category))
    expected = dict(zip(labels, allocate([category.count(s) for s in labels], 60, mode).tolist()))
    assert Counter(category[i] for i in sel.indices) == Counter({s: q for s, q in expected.items() if q})
    assert sel.indices[0] == keep[0]
    assert {s: v["quota"] for s, v in sel.info["strata"].items()} == expected
    inside = selectors.get(name).takes_quotas  # MIG: one greedy whose full strata leave the search
    assert sel.info["quotas"] == ("met inside the optimiser" if inside else "one run per stratum, picks interleaved")
    first = Counter(category[i] for i in sel.indices[:13])  # a prefix stays close to the allocation
    assert len(first) >= 10


def test_dedup_and_constraints_together_pick_among_the_kept_records(sample):
    from core.dedup import pool_duplicates, select_deduplicated

    pool, features = sample
    dups = pool_duplicates(pool)
    keep = set(dups.keep().tolist())
    dropped = sorted(set(range(len(pool))) - keep)
    assert dropped, "the sample has duplicate groups"
    c = Constraints(include=[dropped[0]], exclude=sorted(keep)[:10])
    sel = select_deduplicated("kcenter", features, 30, dups, constraints=c)
    assert sel.indices[0] == dropped[0]  # a must-include record is kept even though dedup would drop it
    assert set(sel.indices[1:].tolist()) <= keep - set(c.exclude)
    assert sel.info["dedup"]["dropped"] == len(dropped) and sel.params["constraints"]["dedup"] is True
