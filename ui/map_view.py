"""The Map page's pieces: colour-by options, per-row colours, named clusters, search, chart events, overlays.

Everything the page draws is computed over every row of the pool (the figure may draw a density layer and a
sample above ``ui.figures.MAX_DRAWN`` points in view, but selections, searches and colours cover all rows: a box
or lasso becomes the working subset through ``core.regions`` on the coordinates, never through the points the
chart reports). Cached helpers take the pool/feature fingerprints from ``ui.state`` as their keys.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Optional

import numpy as np
import streamlit as st

from core.errors import SiftError
from ui import cached, state
from ui.text import hover

CLUSTER = "cluster"
LABEL = "label"
CATEGORY = "category"
COLUMN = "column: "
QUALITY = "quality"
NOVELTY = "novelty"
DUPLICATES = "duplicates group"
PICKED = "picked by "
SUBSET = "working subset"
#: Most distinct values of a column coloured apart (the rest are "other"; see ui.figures.lump_tail).
TOP_VALUES = 20
#: Hover labels carry the id and a text preview up to this many drawn points; above it points carry no text (the
#: hover says "row N"): a box/lasso sends every selected point back to the server with its text, so big maps
#: stay fast to select on; a click still opens the record.
HOVER_PREVIEW_MAX = 20_000
UMAP, DATA_XY = "UMAP of the embeddings", "the pool's coordinate columns"


# ----------------------------------------------------------------------------- coordinates
def coordinate_choice(pool) -> Optional[tuple[str, str]]:
    """The pool's precomputed coordinate fields (e.g. map_x/map_y), or None."""
    from core.regions import coordinate_fields

    return coordinate_fields(pool.fields)


@st.cache_data(max_entries=4, show_spinner="Reading the map coordinates ...")
def _data_coords(key: str, fields: tuple[str, str], _pool) -> np.ndarray:
    from core.regions import coordinates_from_records

    return coordinates_from_records(_pool.records, *fields, file=_pool.name, lines=_pool.lines)


def coordinates(pool, source: str) -> np.ndarray:
    """(n, 2) map coordinates: the pool's own coordinate columns, or UMAP of the embeddings (cached)."""
    fields = coordinate_choice(pool)
    if source == DATA_XY and fields is not None:
        return _data_coords(state.pool_key(), fields, pool)
    return cached.coords()


# ----------------------------------------------------------------------------- colour options
def column_options(pool, feats) -> list[str]:
    """Pool fields worth colouring by: every top-level field except the conversation text, the vectors, the ids
    and the category column (offered as "category")."""
    skip = {"instruction", "input", "output", "conversations", "messages", "dialogs", "prompt", "response",
            "completion", "question", "answer"}
    fm = pool.fieldmap
    skip |= {f for f in (fm.embedding, fm.category, pool.id_field) if f}
    return [COLUMN + f for f in pool.fields if f not in skip]


def colour_options(pool, feats) -> list[str]:
    opts = [CLUSTER]
    if feats.label_sets is not None:
        opts.append(LABEL)
    if pool.categories is not None:
        opts.append(CATEGORY)
    opts += column_options(pool, feats)
    if feats.quality is not None:
        opts.append(QUALITY)
    opts += [NOVELTY, DUPLICATES, SUBSET]
    opts += [PICKED + name for name in state.selections()]
    return opts


def quality_name(feats) -> str:
    return "quality ≈ proxy" if feats.quality_is_proxy else "quality"


@st.cache_data(max_entries=8, show_spinner="Reading the column ...")
def _column(key: str, field: str, _pool) -> dict:
    """One column as numeric values (every present value a number) or as text groups (top values + 'other')."""
    from core.data.shapes import get_path
    from core.search import cell_text

    raw = [get_path(r, field) for r in _pool.records]
    numeric = all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in raw)
    if numeric and any(v is not None for v in raw):
        return {"values": np.array([np.nan if v is None else float(v) for v in raw], dtype=np.float64)}
    groups = ["(none)" if v is None or v == "" else cell_text(v) for v in raw]
    counts = Counter(groups)
    return {"groups": np.asarray(groups, dtype=object), "order": [g for g, _ in counts.most_common()]}


@st.cache_data(max_entries=8, show_spinner=False)
def _label_groups(key: str, top_n: int, _label_sets) -> tuple[np.ndarray, list[str]]:
    """Per-row label for colouring: the row's most frequent pool label among the top ``top_n``, else 'other'."""
    counts = Counter(label for labels in _label_sets for label in set(labels))
    top = [label for label, _ in counts.most_common(top_n)]
    rank = {label: r for r, label in enumerate(top)}
    groups = []
    for labels in _label_sets:
        best = min((rank[lab] for lab in labels if lab in rank), default=None)
        groups.append(top[best] if best is not None else ("other" if labels else "(no label)"))
    return np.asarray(groups, dtype=object), top + ["other", "(no label)"]


@st.cache_data(max_entries=8, show_spinner="Naming the clusters ...")
def cluster_names(key: str, k: int, _ids: np.ndarray, _label_sets, _texts) -> list:
    """core.cluster_names on the k-means clusters: labels when the pool has them, else words of the texts."""
    from core.cluster_names import name_clusters

    return name_clusters(_ids, label_sets=_label_sets, texts=_texts, top_n=3)


def colouring(choice: str, pool, feats, k: int, top_n: int) -> dict:
    """Keyword arguments of ui.figures.pool_map_figure for colour ``choice``, over every row of the pool."""
    from ui.figures import OTHER_COLOR, PALETTE

    n = len(pool)
    if choice == CLUSTER:
        ids = cached.clusters(k)
        names = cluster_names(state.embed_key(), k, ids, feats.label_sets, feats.texts)
        order = [f"{c.cluster}: {c.name}" for c in names]
        return {"groups": np.asarray(order, dtype=object)[ids], "order": order}
    if choice == LABEL:
        groups, order = _label_groups(state.embed_key(), top_n, feats.label_sets)
        return {"groups": groups, "order": order, "colors": {"other": OTHER_COLOR, "(no label)": "#EEEEEE"}}
    if choice.startswith(COLUMN) or choice == CATEGORY:
        field = pool.fieldmap.category if choice == CATEGORY else choice[len(COLUMN):]
        col = _column(state.pool_key(), field, pool)
        if "values" in col:
            return {"values": col["values"], "value_name": field}
        return {"groups": col["groups"], "order": col["order"], "colors": {"(none)": "#EEEEEE"}}
    if choice == QUALITY:
        return {"values": feats.quality, "value_name": quality_name(feats)}
    if choice == NOVELTY:
        return {"values": cached.novelty(), "value_name": "novelty v_i"}
    if choice == DUPLICATES:
        dups = cached.duplicates()
        g = dups.group
        order_ids = np.lexsort((np.arange(dups.n_groups), -dups.sizes))
        names = {int(gid): f"group {int(gid)} · {dups.kinds[gid]} ({int(dups.sizes[gid])})" for gid in order_ids}
        groups = np.array(["in no group"] * n, dtype=object)
        in_group = g >= 0
        groups[in_group] = [names[int(x)] for x in g[in_group]]
        return {"groups": groups, "order": ["in no group"] + [names[int(x)] for x in order_ids],
                "colors": {"in no group": "#E4E4E4"}}
    if choice == SUBSET:
        ws = state.working_subset()
        inside = np.zeros(n, dtype=bool)
        if ws is not None:
            inside[ws] = True
        return {"groups": np.where(inside, "in the working subset", "not in it").astype(object),
                "order": ["not in it", "in the working subset"],
                "colors": {"not in it": OTHER_COLOR, "in the working subset": PALETTE[0]}}
    if choice.startswith(PICKED):
        sel = state.selections()[choice[len(PICKED):]]
        picked = np.zeros(n, dtype=bool)
        picked[np.asarray(sel.indices, dtype=np.int64)] = True
        return {"groups": np.where(picked, "picked", "not picked").astype(object), "order": ["not picked", "picked"],
                "colors": {"not picked": OTHER_COLOR, "picked": PALETTE[3]}}
    raise SiftError(f"unknown colour choice {choice!r}")


# ----------------------------------------------------------------------------- drawn rows and hover text
def rows_in_view(xy: np.ndarray, view) -> np.ndarray:
    """Rows whose coordinates fall inside ``view`` ((x range, y range)), or every row when ``view`` is None."""
    from core.regions import box_mask

    if view is None:
        return np.arange(len(xy))
    return np.flatnonzero(box_mask(xy, view[0], view[1]))


def drawn_rows(in_view: np.ndarray, limit: int, sample: int, seed: int = 0) -> tuple[np.ndarray, bool]:
    """(rows to draw as points, density?) : every row in view up to ``limit``; else a seeded sample of
    ``min(sample, limit)`` rows over a density layer."""
    if len(in_view) <= limit:
        return in_view, False
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(in_view, size=min(sample, limit), replace=False)), True


@st.cache_data(max_entries=4, show_spinner=False)
def hover_texts(key: str, _rows: np.ndarray, _pool) -> Optional[list[str]]:
    """Escaped hover text of the drawn rows (id and the start of the instruction), or None above
    :data:`HOVER_PREVIEW_MAX` rows."""
    if len(_rows) > HOVER_PREVIEW_MAX:
        return None
    ids, inst = _pool.ids, _pool.instructions
    return [f"<b>{hover(ids[i], 40)}</b><br>{hover(inst[i], 120)}" for i in _rows.tolist()]


def signature(*parts) -> str:
    """A short digest of ``parts`` (arrays by their bytes, object arrays by pandas' hash, the rest by repr), to
    key the cached figure: the same settings give the same figure object, so Streamlit sends the chart by
    reference and keeps the selection the user drew on it."""
    import hashlib

    import pandas as pd

    h = hashlib.blake2b(digest_size=12)
    for part in parts:
        if isinstance(part, np.ndarray):
            arr = pd.util.hash_array(part.astype(object)) if part.dtype == object else np.ascontiguousarray(part)
            h.update(str((part.dtype, part.shape)).encode())
            h.update(arr.tobytes())
        else:
            h.update(repr(part).encode())
        h.update(b"|")
    return h.hexdigest()


# ----------------------------------------------------------------------------- chart events
def parse_event(event) -> dict:
    """The region(s) and clicked rows of a plotly selection event: ``{"boxes", "lassos", "rows", "signature"}``.

    Boxes and lassos are in data coordinates (as Streamlit reports them); ``rows`` are the customdata of the
    points reported (only used for a click on a single point); ``signature`` identifies the selection so a rerun
    does not apply it twice.
    """
    sel = (event.get("selection") if isinstance(event, dict) else getattr(event, "selection", None)) or {}
    get = sel.get if hasattr(sel, "get") else (lambda k, d=None: d)
    boxes = [(b["x"], b["y"]) for b in (get("box", []) or []) if len(b.get("x", [])) == 2 and len(b.get("y", [])) == 2]
    lassos = [(la["x"], la["y"]) for la in (get("lasso", []) or []) if len(la.get("x", [])) >= 3]
    rows = []
    for p in ([] if boxes or lassos else get("points", []) or []):  # a region is read from its geometry
        cd = p.get("customdata")
        if cd is None:
            continue
        rows.append(int(cd[0] if isinstance(cd, (list, tuple)) else cd))
    signature = json.dumps({"b": boxes, "l": lassos, "r": rows[:1] if not (boxes or lassos) else []},
                           default=float)
    return {"boxes": boxes, "lassos": lassos, "rows": rows, "signature": signature}


def region_of(xy: np.ndarray, parsed: dict) -> np.ndarray:
    """Every row inside the event's boxes and lassos (core.regions over the coordinates)."""
    from core.regions import region_indices

    return region_indices(xy, boxes=parsed["boxes"], lassos=parsed["lassos"])


def bounds(xy: np.ndarray, parsed: dict) -> Optional[tuple[tuple[float, float], tuple[float, float]]]:
    """The bounding box of the event's regions (to zoom the map onto them), or None."""
    xs, ys = [], []
    for bx, by in parsed["boxes"]:
        xs += list(map(float, bx))
        ys += list(map(float, by))
    for lx, ly in parsed["lassos"]:
        xs += list(map(float, lx))
        ys += list(map(float, ly))
    if not xs:
        return None
    return (min(xs), max(xs)), (min(ys), max(ys))


def overlay(xy: np.ndarray, rows: np.ndarray, name: str, color: str, symbol: str, size: float, ids=None,
            limit: int = 50_000, seed: int = 0) -> dict:
    """An overlay layer for ui.figures.pool_map_figure (a seeded sample of ``limit`` rows when there are more);
    ``ids`` (the pool's) give each point an escaped hover text (up to :data:`HOVER_PREVIEW_MAX` points)."""
    from ui.text import html_text

    rows = np.asarray(rows, dtype=np.int64)
    shown = rows if len(rows) <= limit else np.sort(np.random.default_rng(seed).choice(rows, limit, replace=False))
    label = f"{name} ({len(rows):,}{'; ' + format(limit, ',') + ' drawn' if len(rows) > limit else ''})"
    text = None if ids is None or len(shown) > HOVER_PREVIEW_MAX else [hover(ids[i], 40) for i in shown.tolist()]
    return {"xy": xy[shown], "rows": shown, "name": html_text(label), "color": color, "symbol": symbol, "size": size,
            "text": text}


def key_frame(pool, rows: np.ndarray, feats, extra: Optional[dict] = None):
    """A table of ``rows`` with the key columns first: id, category/source, quality (marked proxy), tags, then
    instruction and response previews."""
    import pandas as pd

    from ui.text import short

    rows = np.asarray(rows, dtype=np.int64)
    data: dict[str, Any] = {"id": [pool.ids[i] for i in rows.tolist()]}
    if extra:
        data.update({k: np.asarray(v)[: len(rows)] for k, v in extra.items()})
    if pool.categories is not None:
        data[pool.fieldmap.category or "category"] = [pool.categories[i] for i in rows.tolist()]
    if feats.quality is not None:
        data[quality_name(feats)] = feats.quality[rows]
    if feats.label_sets is not None:
        data["tags" if pool.tags is not None else "labels (automatic)"] = [
            ", ".join(feats.label_sets[i]) for i in rows.tolist()]
    data["instruction"] = [short(pool.instructions[i], 160) for i in rows.tolist()]
    # the shown rows' responses only (a lazily read pool reads these records, not the whole file)
    data["response"] = [short(r, 120) for r in pool.subset(rows).responses]
    return pd.DataFrame(data)

