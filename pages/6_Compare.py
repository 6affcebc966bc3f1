"""Compare: two to four selections side by side on the map, along the budget, in one table, and by overlap."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import SiftError
from ui import selection_widgets as sw
from ui import state
from ui.widgets import persist

K_PICK = "cmp_pick"
DEFAULT_RUNS = ("mig", "random")
DEFAULT_BUDGET = 50
CURVE_METRICS = ("mig_information", "novelsum")


def run_defaults(features, n: int) -> None:
    """Run two default selectors (MIG and random when the pool allows) so the page has something to compare."""
    registry = sw.selector_registry()
    runnable = [m for m in registry if all(features.has(need) for need in registry[m].required({}))]
    chosen = [m for m in DEFAULT_RUNS if m in runnable]
    chosen += [m for m in runnable if m not in chosen][: max(0, 2 - len(chosen))]
    budget = min(DEFAULT_BUDGET, n)
    bar = st.progress(0.0, text="Running the default selectors ...")
    for i, method in enumerate(chosen[:2]):
        def progress(fraction: float, message: str, i=i, method=method) -> None:
            bar.progress(min(max((i + fraction) / 2, 0.0), 1.0), text=f"{method}: {message}")

        try:
            state.add_selection(sw.run_selector(method, features, budget, {}, seed=42, progress=progress))
        except SiftError as exc:
            state.show_error(exc)
    bar.empty()


def pick(runs: dict) -> dict:
    """The multiselect of two to four runs; returns {name: Selection}."""
    names = list(runs)
    persist(K_PICK, names[-2:])
    st.session_state[K_PICK] = [n for n in st.session_state[K_PICK] if n in names] or names[-2:]
    chosen = st.multiselect("Selections to compare (two to four)", names, key=K_PICK, max_selections=4)
    return {n: runs[n] for n in chosen}


def maps(chosen: dict, pool) -> None:
    st.markdown("##### Where each selection sits on the map")
    coords = state.require(state.coords)
    # hover text of the picked rows only (escaping every record of a big pool on each rerun is wasted work)
    texts = {int(i): sw.hover(pool.instructions[i]) for sel in chosen.values() for i in sel.indices}
    st.plotly_chart(sw.maps_figure(coords, chosen, texts), key="cmp_maps")
    st.caption("UMAP of the pool embeddings (grey), the same axes in every panel; coloured points are the picks.")


def curves(chosen: dict, features, fkey: str) -> None:
    st.markdown("##### Budget curves")
    specs = sw.metric_registry()
    metrics = {m: specs[m].label for m in CURVE_METRICS
               if m in specs and all(features.has(need) for need in specs[m].needs)}
    if not metrics:
        st.info("No budget-curve metric can be computed on this pool.")
        return
    data, failed = {}, {}
    for name, sel in chosen.items():
        ks = sw.prefix_sizes(len(sel), 10)
        data[name] = {}
        for m in metrics:
            try:
                data[name][m] = (ks, sw.metric_curve(fkey, features, sel, m, ks))
            except SiftError as exc:  # e.g. NovelSum's density on a pool of < 11 distinct records
                failed[metrics[m]] = str(exc)
    for label, why in failed.items():
        st.info(sw.escape_md(f"{label} cannot be drawn on this pool: {why}"))
    metrics = {m: label for m, label in metrics.items() if label not in failed}
    if not metrics:
        return
    st.plotly_chart(sw.budget_curves_figure(data, metrics), key="cmp_curves")
    st.caption("Each metric on the first k picks of each run, at ten budgets k: any budget is a prefix of a run.")


def table(chosen: dict, features, fkey: str) -> None:
    st.markdown("##### Metrics")
    try:
        frame = sw.compare_frame({n: sw.subset_metrics(fkey, features, s) for n, s in chosen.items()},
                                 features, chosen)
    except SiftError as exc:
        state.show_error(exc)
        return
    st.dataframe(frame, column_config={c: st.column_config.NumberColumn(format="%.4g") for c in frame.columns},
                 height=38 + 35 * len(frame))
    skipped = {label: why for s in chosen.values() for label, why in sw.skipped_metrics(fkey, features, s).items()}
    sw.skipped_note(skipped)
    if len({len(s) for s in chosen.values()}) > 1:
        st.caption("The runs have different budgets: sums (cluster inertia, E(S), log-determinant) grow with size, "
                   "so compare them on the budget curves above or at equal budgets.")


def overlap(chosen: dict) -> None:
    st.markdown("##### Overlap (Jaccard)")
    st.plotly_chart(sw.overlap_figure(sw.overlap_matrix(chosen)), key="cmp_overlap")


def exclusive(chosen: dict, features) -> None:
    st.markdown("##### Labels only one selection covers")
    if features.label_sets is None:
        st.info("This pool has no labels.")
        return
    only = sw.exclusive_labels(chosen, features.label_sets)
    cols = st.columns(len(only))
    for col, (name, labels) in zip(cols, only.items()):
        with col:
            st.metric(name, f"{len(labels)} labels")
            if labels:
                st.dataframe(pd.DataFrame({"label": labels}), hide_index=True, height=220)


def main() -> None:
    st.title("Compare")
    st.caption("Two to four selector runs side by side: the map, the budget curves, metrics and overlap.")
    pool = state.require(state.pool)
    features = state.require(state.features)
    runs = state.selections()
    if len(runs) < 2:
        st.info("Comparing needs at least two runs. Run selectors on the Selection page, or run two defaults here.")
        if st.button(f"Run MIG and random (budget {min(DEFAULT_BUDGET, len(pool))})", type="primary",
                     key="cmp_defaults"):
            run_defaults(features, len(pool))
            st.rerun()
        return
    chosen = pick(runs)
    if len(chosen) < 2:
        st.info("Pick at least two runs.")
        return
    fkey = state.features_key()
    maps(chosen, pool)
    curves(chosen, features, fkey)
    left, right = st.columns([3, 2])
    with left:
        table(chosen, features, fkey)
    with right:
        overlap(chosen)
    exclusive(chosen, features)


main()
