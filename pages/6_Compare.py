"""Compare: two to four runs at one equal budget k (every run is a pick order, so its first k picks are exactly
what it selects under budget k): metrics with their direction, ranks, the best run and the random baseline, why
metrics disagree, budget curves on one x range, the map, overlap and the labels only one run covers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.defaults import DEFAULT_SEED
from core.errors import SiftError
from ui import cached, shell, state
from ui.components import require, show_error, skipped_note
from ui.figures import budget_curves_figure, maps_figure, overlap_figure
from ui.forms import persist
from ui.tables import comparison_frame, exclusive_labels, glossary_frame, overlap_matrix
from ui.text import escape_md, hover, plural

shell.ensure_routed()

K_PICK, K_K = "cmp_pick", "cmp_k"
DEFAULT_RUNS = ("mig", "random")
DEFAULT_BUDGET = 50
CURVE_METRICS = ("mig_information", "novelsum")
CURVE_POINTS = 10
BEST_STYLE = "background-color: rgba(84, 162, 75, 0.22); font-weight: 600"


def run_defaults(features, n: int) -> None:
    """Run two default selectors (MIG and random when the pool allows) so the page has something to compare."""
    registry = cached.selector_registry()
    runnable = [m for m in registry if all(features.has(need) for need in registry[m].required({}))]
    chosen = [m for m in DEFAULT_RUNS if m in runnable]
    chosen += [m for m in runnable if m not in chosen][: max(0, 2 - len(chosen))]
    budget = min(DEFAULT_BUDGET, n)
    bar = st.progress(0.0, text="Running the default selectors ...")
    for i, method in enumerate(chosen[:2]):
        def progress(fraction: float, message: str, i=i, method=method) -> None:
            bar.progress(min(max((i + fraction) / 2, 0.0), 1.0), text=f"{method}: {message}")

        try:
            state.add_selection(cached.run_selector(method, features, budget, {}, seed=DEFAULT_SEED, progress=progress))
        except SiftError as exc:
            show_error(exc)
    bar.empty()


def pick(runs: dict) -> dict:
    """The multiselect of two to four runs; returns {name: Selection}."""
    names = list(runs)
    persist(K_PICK, names[-2:])
    st.session_state[K_PICK] = [n for n in st.session_state[K_PICK] if n in names] or names[-2:]
    chosen = st.multiselect("Runs to compare (two to four)", names, key=K_PICK, max_selections=4)
    return {n: runs[n] for n in chosen}


def equal_budget(chosen: dict) -> int:
    """The k slider: 1 up to the smallest budget (every run is exact there); default the smallest budget."""
    smallest = min(len(sel) for sel in chosen.values())
    if smallest < 2:
        st.caption(f"Equal budget k = {smallest}: the shortest run has one pick.")
        return smallest
    if not 1 <= int(st.session_state.get(K_K, smallest)) <= smallest:
        st.session_state[K_K] = smallest
    persist(K_K, smallest)
    k = st.slider("Equal budget k (the first k picks of every run)", 1, smallest, key=K_K,
                  help="Every run is an order, so its first k picks are exactly what it would select with budget "
                       "k. Any k up to the smallest budget is exact for every run.")
    sizes = sorted({len(sel) for sel in chosen.values()})
    if len(sizes) > 1:
        st.caption(f"Budgets {', '.join(f'{s:,}' for s in sizes)}: everything below compares the first "
                   f"{plural(k, 'pick')} of each run, so sums such as E(S) and log-determinant are comparable.")
    return int(k)


def prefixes(chosen: dict, k: int) -> dict:
    return {name: sel.prefix(k) for name, sel in chosen.items()}


def metrics_table(chosen: dict, features, fkey: str, k: int) -> None:
    st.markdown(f"##### Metrics at k = {k:,}")
    candidates = next((cached.candidates_of(s) for s in chosen.values() if (s.info or {}).get("dedup")), None)
    try:
        dups = cached.duplicates()
    except SiftError:
        dups = None
    try:
        with st.spinner("Measuring every run and the random baseline ..."):
            comparison = cached.compare_at(fkey, features, chosen, k, candidates, dups)
    except SiftError as exc:
        show_error(exc)
        return
    table, best = comparison_frame(comparison)
    styled = table.style.apply(lambda _: best.map(lambda b: BEST_STYLE if b else "").to_numpy(), axis=None)
    st.dataframe(styled, hide_index=True, height=38 + 35 * len(table),
                 column_config={"metric": st.column_config.TextColumn(pinned=True)})
    st.caption(f"Each cell: the value of the run's first {plural(k, 'pick')} · its rank among these runs in the "
               f"metric's direction (#1 best, ties share a rank) · how far it is from random in standard deviations "
               f"of {cached.BASELINE_DRAWS} seeded random subsets of size {k:,}"
               f"{' from the deduplicated candidates' if candidates is not None else ''}, signed so that + is "
               "better than random whatever the direction. ★ and green: the best run of the row. Mean rank averages "
               "the ranks over the metrics shown.")
    for d in comparison.disagreements:
        st.warning(escape_md(d.text), icon=":material/balance:")
    if not comparison.disagreements and len(chosen) >= 3:
        st.caption("No metric rates one run best while most others rank it in their bottom half.")
    skipped_note({cached.metric_registry()[m].label if m in cached.metric_registry() else m: why
                  for m, why in comparison.skipped.items()})
    with st.expander("Glossary: what each metric measures", icon=":material/menu_book:"):
        from core.metrics import glossary

        st.dataframe(glossary_frame(glossary([r.metric for r in comparison.rows])), hide_index=True)


def curves(chosen: dict, features, fkey: str, k: int) -> None:
    st.markdown("##### Budget curves")
    from core.compare import k_grid

    specs = cached.metric_registry()
    metrics = {m: specs[m].label for m in CURVE_METRICS
               if m in specs and all(features.has(need) for need in specs[m].needs)}
    if not metrics:
        st.info("No budget-curve metric can be computed on this pool.")
        return
    lengths = [len(sel) for sel in chosen.values()]
    grid = sorted(set(k_grid(lengths, CURVE_POINTS, upto="max")) | {k})
    candidates = next((cached.candidates_of(s) for s in chosen.values() if (s.info or {}).get("dedup")), None)
    data, failed, base = {}, {}, {}
    for name, sel in chosen.items():
        ks = [x for x in grid if x <= len(sel)]
        data[name] = {}
        for m in metrics:
            try:
                data[name][m] = (ks, cached.metric_curve(fkey, features, sel, m, ks))
            except SiftError as exc:  # e.g. NovelSum's density on a pool of < 11 distinct records
                failed[metrics[m]] = str(exc)
    for m in metrics:
        ks = [x for x in grid if x <= (features.n if candidates is None else len(candidates))]
        curve = cached.baseline_curve(fkey, features, m, ks, candidates)
        if curve is not None:
            base[m] = (ks, [b.mean for b in curve], [b.std for b in curve])
    for label, why in failed.items():
        st.info(escape_md(f"{label} cannot be drawn on this pool: {why}"))
    metrics = {m: label for m, label in metrics.items() if label not in failed}
    if not metrics:
        return
    st.plotly_chart(budget_curves_figure(data, metrics, k=k, baseline=base), key="cmp_curves")
    st.caption(f"Each metric on the first k picks of each run, at the same k for every run, on one x range up to "
               f"the largest budget (a shorter run stops at its own). Dashed line: the equal budget k = {k:,}. Grey "
               f"band: random subsets of size k (mean ± sd over {cached.BASELINE_DRAWS} seeded draws).")


def maps(at_k: dict, pool) -> None:
    st.markdown("##### Where each run's first k picks sit on the map")
    coords = require(cached.coords)
    # hover text of the picked rows only (escaping every record of a big pool on each rerun is wasted work)
    texts = {int(i): hover(pool.instructions[i]) for sel in at_k.values() for i in sel.indices}
    st.plotly_chart(maps_figure(coords, at_k, texts), key="cmp_maps")
    st.caption("UMAP of the pool embeddings (grey), the same axes in every panel; coloured points are the picks.")


def overlap(at_k: dict) -> None:
    st.markdown("##### Overlap (Jaccard) at k")
    st.plotly_chart(overlap_figure(overlap_matrix(at_k)), key="cmp_overlap")


def exclusive(at_k: dict, features, k: int) -> None:
    st.markdown("##### Labels only one run covers (first k picks)")
    if features.label_sets is None:
        st.info("This pool has no labels.")
        return
    only = exclusive_labels(at_k, features.label_sets)
    cols = st.columns(len(only))
    for col, (name, labels) in zip(cols, only.items()):
        with col:
            st.metric(name, f"{len(labels):,}", help=f"{plural(len(labels), 'label')} that only this run's first "
                                                        f"{plural(k, 'pick')} cover")
            if labels:
                st.dataframe(pd.DataFrame({"label": labels}), hide_index=True, height=220)


def main() -> None:
    st.title("Compare")
    st.caption("Two to four runs at one equal budget: metrics with their direction against a random baseline, "
               "budget curves, the map and overlap.")
    pool = require(cached.pool)
    features = require(cached.features)
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
    k = equal_budget(chosen)
    at_k = prefixes(chosen, k)
    metrics_table(chosen, features, fkey, k)
    curves(chosen, features, fkey, k)
    maps(at_k, pool)
    left, right = st.columns([3, 2])
    with left:
        overlap(at_k)
    with right:
        exclusive(at_k, features, k)


main()
