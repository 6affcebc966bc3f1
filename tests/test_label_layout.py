"""ui.label_layout: cluster names placed so that no two kept boxes meet, largest clusters first, and the Map figure
draws only the kept names (nudged ones with an arrow to their anchor)."""

from __future__ import annotations

import numpy as np
import pytest

from ui.figures import pool_map_figure
from ui.label_layout import dropped_names, dropped_note, place_labels, size_in_text, text_box_px

RANGE = {"x_range": (0.0, 10.0), "y_range": (0.0, 10.0), "width_px": 500.0, "height_px": 500.0}


def _no_two_meet(kept, gap: float = 2.0) -> None:
    for a in range(len(kept)):
        for b in range(a + 1, len(kept)):
            A, B = kept[a].box, kept[b].box
            apart = A[2] + gap <= B[0] or B[2] + gap <= A[0] or A[3] + gap <= B[1] or B[3] + gap <= A[1]
            assert apart, (kept[a], kept[b])


def test_labels_far_apart_stay_on_their_anchors():
    xy = np.array([[1.0, 1.0], [9.0, 9.0], [1.0, 9.0]])
    kept, dropped = place_labels(xy, ["a (3)", "b (2)", "c (1)"], [3, 2, 1], **RANGE)
    assert dropped == [] and [k.index for k in kept] == [0, 1, 2]
    assert all(not k.nudged for k in kept)
    w, h = text_box_px("a (3)")
    assert kept[0].box == pytest.approx((50 - w / 2, 50 - h / 2, 50 + w / 2, 50 + h / 2))


def test_overlapping_labels_are_nudged_or_dropped_largest_first():
    rng = np.random.default_rng(0)
    xy = 5.0 + rng.normal(scale=0.3, size=(30, 2))  # 30 names piled in the middle of the plot
    sizes = rng.permutation(np.arange(1, 31)) * 10
    texts = [f"cluster name number {i} ({s:,})" for i, s in enumerate(sizes)]
    kept, dropped = place_labels(xy, texts, sizes, **RANGE)
    _no_two_meet(kept)
    assert sorted([k.index for k in kept] + dropped) == list(range(30))
    assert 2 <= len(kept) < 30 and any(k.nudged for k in kept)
    largest = int(np.argmax(sizes))
    assert kept[0].index == largest and not kept[0].nudged  # the biggest cluster keeps its place
    # the same call with a bigger plot keeps at least as many
    kept_big, _ = place_labels(xy, texts, sizes, **{**RANGE, "width_px": 2000.0, "height_px": 2000.0})
    assert len(kept_big) >= len(kept)
    _no_two_meet(kept_big)


def test_the_largest_clusters_keep_their_places_when_small_ones_crowd_them():
    big = np.array([[2.0, 2.0], [8.0, 2.0], [5.0, 8.0]])
    rng = np.random.default_rng(2)
    small = np.repeat(big, 6, axis=0) + rng.normal(scale=0.1, size=(18, 2))  # six small names on each big one
    xy = np.vstack([small, big])
    sizes = np.concatenate([rng.integers(1, 50, size=18), [500, 400, 300]])
    kept, dropped = place_labels(xy, [f"name {i} ({s})" for i, s in enumerate(sizes)], sizes, **RANGE)
    _no_two_meet(kept)
    first = {k.index: k for k in kept[:3]}
    assert sorted(first) == [18, 19, 20] and not any(k.nudged for k in first.values())
    assert dropped and all(i < 18 for i in dropped)


def test_two_identical_anchors_keep_the_bigger_and_nudge_the_other():
    xy = np.array([[5.0, 5.0], [5.0, 5.0]])
    kept, dropped = place_labels(xy, ["small (4)", "big (40)"], [4, 40], **RANGE)
    assert [k.index for k in kept] == [1, 0] and dropped == []
    assert not kept[0].nudged and kept[1].nudged
    _no_two_meet(kept)


def test_bad_anchors_limits_and_edges():
    xy = np.array([[np.nan, 1.0], [20.0, 5.0], [0.0, 0.0], [10.0, 10.0]])
    kept, dropped = place_labels(xy, ["nan", "outside", "corner lo", "corner hi"], None, **RANGE)
    assert dropped == [0, 1] and [k.index for k in kept] == [2, 3]
    for k in kept:  # pulled back inside the plot area
        assert k.box[0] >= 0 and k.box[1] >= 0 and k.box[2] <= 500 and k.box[3] <= 500
    kept, dropped = place_labels(np.array([[1.0, 1.0], [9.0, 9.0]]), ["a", "b"], [1, 2], max_labels=1, **RANGE)
    assert [k.index for k in kept] == [1] and dropped == [0]
    assert place_labels(np.zeros((0, 2)), [], [], **RANGE) == ([], [])
    with pytest.raises(ValueError):
        place_labels(np.zeros((2, 2)), ["a"], None, **RANGE)


def test_size_in_text_and_escaped_width():
    assert size_in_text("git · shell (1,234)") == 1234 and size_in_text("no count") is None
    assert text_box_px("a &lt;b&gt;")[0] == text_box_px("a xyz")[0]  # escaped text measured as shown (5 chars)
    assert text_box_px("two<br>lines")[1] > text_box_px("two lines")[1]


def test_map_figure_draws_kept_names_only():
    rng = np.random.default_rng(1)
    xy = rng.normal(size=(200, 2)).astype(np.float32)
    labels = [(0.0, 0.0, f"topic alpha beta {i} ({100 - i})") for i in range(8)] + [(2.5, 2.5, "far away (5)")]
    fig = pool_map_figure(xy, np.arange(200), groups=["g"] * 200, labels=labels, webgl=False).to_dict()
    notes = fig["layout"]["annotations"]
    texts = [a["text"] for a in notes]
    assert texts[0] == "topic alpha beta 0 (100)" and notes[0]["showarrow"] is False
    assert "far away (5)" in texts and len(texts) < len(labels)  # a pile of 8 names cannot all fit
    assert any(a["showarrow"] for a in notes)  # nudged names point at their anchor


def test_map_figure_records_the_names_it_dropped_and_the_note_lists_them():
    rng = np.random.default_rng(1)
    xy = rng.normal(size=(200, 2)).astype(np.float32)
    labels = [(0.0, 0.0, f"topic &lt;{i}&gt; ({100 - i})") for i in range(8)] + [(2.5, 2.5, "far away (5)")]
    fig = pool_map_figure(xy, np.arange(200), groups=["g"] * 200, labels=labels, webgl=False)
    drawn = {a.text for a in fig.layout.annotations}
    names = dropped_names(fig)
    # every name is either drawn or reported, never both, and the report is plain text (unescaped)
    assert names and len(names) + len(drawn) == len(labels)
    assert {n.replace("<", "&lt;").replace(">", "&gt;") for n in names} == {t for _, _, t in labels} - drawn
    assert "far away (5)" not in names and all(n.startswith("topic <") for n in names)
    assert dropped_names(fig.to_dict()) == names  # the same from the serialised figure
    note = dropped_note(names)
    assert note.startswith(f"{len(names)} cluster names not drawn where they would overlap: {names[0]}")
    apart = pool_map_figure(xy, np.arange(200), groups=["g"] * 200, labels=[(-2.0, -2.0, "a (2)"),
                                                                           (2.0, 2.0, "b (1)")], webgl=False)
    assert dropped_names(apart) == [] and dropped_note([]) == ""
    assert dropped_names(pool_map_figure(xy, np.arange(200), groups=["g"] * 200, webgl=False)) == []


def test_dropped_note_counts_past_the_shown_names():
    assert dropped_note(["x (3)"]) == "1 cluster name not drawn where it would overlap: x (3)"
    many = [f"n{i}" for i in range(8)]
    assert dropped_note(many, shown=3) == "8 cluster names not drawn where they would overlap: n0, n1, n2 and 5 more"
