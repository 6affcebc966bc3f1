"""Streamlit pieces for duplicate groups (core.dedup): the Dataset page's Duplicates section and the Novelty page's
check that one group dominates the top of a ranking. Dataset text is shown with st.text / dataframes only."""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from ui.text import escape_md, short

LARGEST = 10
#: The Novelty page warns when one duplicate/template group holds more than this share of the top of the ranking.
DOMINANCE_SHARE = 0.2
#: How many top-ranked records that check looks at.
DOMINANCE_TOP = 100


def groups_frame(dups: Any, ids: Sequence[Any], texts: Sequence[str], k: int = LARGEST) -> pd.DataFrame:
    """The ``k`` largest groups: kind, size, the id kept and the repeating template (or the kept record's text)."""
    rows = []
    for g in dups.largest(k):
        rep = g["representative"]
        rows.append({"group": g["group"], "kind": g["kind"], "records": g["size"], "kept id": str(ids[rep]),
                     "template / kept text": short(g["template"] if g["template"] else texts[rep], 160)})
    return pd.DataFrame(rows, columns=["group", "kind", "records", "kept id", "template / kept text"])


def duplicates_section(pool: Any, dups: Any, dedup_on: bool) -> None:
    """Counts per relation, the largest groups, one group's repeating text and members, and the dedup status."""
    by = dups.by_kind
    c = st.columns(4)
    for col, kind in zip(c, ("exact", "near", "template")):
        info = by.get(kind, {"groups": 0, "records": 0})
        col.metric(f"{kind.capitalize()} groups", f"{info['groups']:,}", help=f"{info['records']:,} records in them")
    c[3].metric("Dropped by keep-one", f"{dups.dropped:,}", help=f"{dups.n - dups.dropped:,} of {dups.n:,} records kept")
    s = dups.settings
    st.caption(f"Text: {s.get('view', 'instruction')} ({s.get('turns', 'first')} turn), normalised (lower case, "
               f"punctuation and spacing collapsed, digits kept). Exact = same normalised text; near = Jaccard of "
               f"word {s['shingle']}-grams >= {s['near_threshold']} (MinHash LSH, checked exactly); template = the "
               f"same first {s['template_chars']} characters in >= {s['template_min_size']} records. Keep-one rule: "
               f"{dups.rule}. Sidebar dedup toggle: {'on' if dedup_on else 'off'}.")
    if dups.n_groups == 0:
        st.info("No duplicate, near-duplicate or template groups in this pool.")
        return
    texts = pool.texts(view=s.get("view", "instruction"), turns=s.get("turns", "first"))
    frame = groups_frame(dups, pool.ids, texts)
    st.dataframe(frame, hide_index=True)
    g = st.selectbox("Group", frame["group"].tolist(), key="ds_dup_group",
                     format_func=lambda x: f"group {x} · {dups.kinds[x]} · {int(dups.sizes[x]):,} records")
    if g is None:
        return
    if dups.template[g]:
        st.caption("Text that repeats in this template group")
        st.text(dups.template[g][:4000])
    members = dups.members(g)
    st.dataframe(pd.DataFrame({"id": [str(pool.ids[i]) for i in members[:500]],
                               "kept": [bool(i == dups.representative[g]) for i in members[:500]],
                               "text": [short(texts[i], 200) for i in members[:500]]}), hide_index=True, height=240)
    if len(members) > 500:
        st.caption(f"First 500 of {len(members):,} members.")


def dominant_group(dups: Any, ranked: np.ndarray, top: int = DOMINANCE_TOP,
                   share: float = DOMINANCE_SHARE) -> Optional[dict]:
    """The group holding more than ``share`` of the first ``top`` rows of ``ranked`` (pool indices), or None.

    Returns {"group", "kind", "count", "top", "share", "template", "representative"} for the largest such group,
    plus "in_groups" / "groups": how many of the top rows are in any group, and in how many groups.
    """
    head = np.asarray(ranked[:top], dtype=np.int64)
    if head.size == 0:
        return None
    groups = dups.group[head]
    groups = groups[groups >= 0]
    if groups.size == 0:
        return None
    values, counts = np.unique(groups, return_counts=True)
    best = int(np.argmax(counts))
    frac = counts[best] / head.size
    if frac <= share:
        return None
    g = int(values[best])
    return {"group": g, "kind": dups.kinds[g], "count": int(counts[best]), "top": int(head.size),
            "share": float(frac), "template": dups.template[g], "representative": int(dups.representative[g]),
            "in_groups": int(groups.size), "groups": int(values.size)}


def dominance_warning(found: dict, texts: Sequence[str], what: str) -> None:
    """st.warning naming the dominating group and its repeating text (escaped)."""
    text = found["template"] or texts[found["representative"]]
    st.warning(f"{found['count']} of the top {found['top']} records by {what} ({found['share']:.0%}, above the "
               f"{DOMINANCE_SHARE:.0%} threshold) belong to one {found['kind']} group (group {found['group']}) "
               f"whose text repeats: \u201c{escape_md(short(text, 220))}\u201d; {found['in_groups']} of the top "
               f"{found['top']} are in {found['groups']} duplicate/template group(s) in all. Turn on \u201cDeduplicate before "
               "selecting\u201d in the sidebar to keep one record per group; the Dataset page lists the groups.")
