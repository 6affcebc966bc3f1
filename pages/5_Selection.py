"""Selection: run a selector under a budget, then inspect its information curve, picks, metrics and trace."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.errors import SiftError
from core.features import QUALITY, REFERENCE
from core.quality import quality_source, quality_warning
from ui import selection_widgets as sw
from ui import state
from ui.widgets import persist, valid_choice

K_METHOD, K_BUDGET, K_SEED, K_SHOW, K_REF = "sel_method", "sel_budget", "sel_seed", "sel_show", "sel_reference"


def uses_reference(spec) -> bool:
    """True when the selector needs or can use a reference set (declared on its spec: the bandit's OT reward)."""
    return REFERENCE in spec.needs or spec.uses_reference


def required(spec, params: dict) -> tuple:
    """The selector's needs with these parameters (its static needs if the refinement fails)."""
    try:
        return tuple(spec.required(params))
    except Exception:  # noqa: BLE001 - odd form values fall back to the static needs
        return tuple(spec.needs)


def describe(spec) -> None:
    """Label, summary and citation of a selector."""
    st.markdown(f"**{sw.escape_md(spec.label)}**: {sw.escape_md(spec.summary)}")
    st.caption(f"Reference: {sw.escape_md(spec.citation)}")


def needs_line(spec, params: dict, features, reference) -> None:
    """Which inputs the selector needs with these parameters, and whether this pool has them."""
    needs = required(spec, params)
    if not needs:
        st.caption("Needs nothing beyond the pool.")
        return
    have = lambda need: reference is not None if need == REFERENCE else features.has(need)  # noqa: E731
    proxy = quality_source(features) == "proxy"
    st.caption("Needs (with these parameters): " + " · ".join(
        f"{need} {('≈ proxy' if need == QUALITY and proxy else '✓') if have(need) else '✗ missing'}"
        for need in needs))
    warning = quality_warning(needs, features, spec.label)
    if warning:
        st.warning(warning)


def reference_upload(spec, params: dict):
    """The optional reference-set uploader; returns its embeddings or None."""
    with st.expander("Reference set (target-task examples)", expanded=REFERENCE in required(spec, params)):
        st.caption("Used by rewards that compare picks with a target task (the bandit's OT reward). Any file "
                   "the dataset loader reads; it is embedded with the pool's model and text view.")
        up = st.file_uploader("Reference file", type=["jsonl", "json", "csv", "parquet"], key=K_REF)
    if up is None:
        return None
    s = state.settings()
    with st.spinner("Embedding the reference set ..."):
        ref = sw.reference_embeddings(up.getvalue(), up.name, s.view, s.turns, s.model)
    st.caption(f"Reference set: {len(ref):,} texts embedded")
    return ref


def run_form(registry, features, n: int):
    """Selector choice, its parameter form, budget, seed and the Run button; runs and stores the selection."""
    names = list(registry)
    default = "mig" if "mig" in names else names[0]
    persist(K_METHOD, default)
    valid_choice(K_METHOD, names, default)
    method = st.selectbox("Selector", names, key=K_METHOD, format_func=lambda m: registry[m].label)
    spec = registry[method]
    describe(spec)

    c1, c2 = st.columns(2)
    persist(K_BUDGET, min(100, n))
    budget = c1.number_input("Budget (records to pick)", min_value=1, step=1, key=K_BUDGET,
                             help=f"How many records to pick: at most the pool size ({n:,}).")
    persist(K_SEED, 42)
    seed = c2.number_input("Seed", min_value=0, step=1, key=K_SEED,
                           help="Seeds every random step (random picks, k-means, start points); "
                                "deterministic selectors ignore it.")
    st.markdown("###### Parameters")
    params = sw.param_form(spec.params, key_prefix=f"selp:{method}", skip=("seed",))
    reference = reference_upload(spec, params) if uses_reference(spec) else None
    needs_line(spec, params, features, reference)

    if st.button("Run selector", type="primary", key="sel_run"):
        bar = st.progress(0.0, text=f"Running {spec.label} ...")
        try:
            feats = features if reference is None else replace(features, reference=reference)
            sel = sw.run_selector(method, feats, int(budget), params, int(seed),
                                  progress=sw.progress_callback(bar))
        except SiftError as exc:
            bar.empty()
            state.show_error(exc)
            return
        except Exception as exc:  # noqa: BLE001 - shown as a message, never a bare traceback
            bar.empty()
            state.show_error(exc)
            return
        bar.empty()
        name = state.add_selection(sel)
        st.session_state[K_SHOW] = name
        st.success(f"Kept as **{name}** ({len(sel)} picks in {sel.seconds:.2f} s).")


def show_run(name: str, sel, pool, features) -> None:
    """Curve, metrics, picks and (for the bandit) the pull trace of one stored run."""
    fkey = state.features_key()
    st.caption(sw.escape_md(sw.selection_caption(name, sel)))
    if sel.info.get("reward"):
        st.caption(f"Reward in use: **{sw.escape_md(str(sel.info['reward']))}**")
    if sel.info.get("quality_source") == "proxy":
        st.warning("This run ranked by the heuristic quality proxy (no quality column or DEITA scores in the "
                   "pool), not by a quality model.")
    elif sel.info.get("quality_source"):
        st.caption(f"Quality used: {sw.escape_md(str(sel.info['quality_source']))}")

    left, right = st.columns([3, 2])
    with left:
        st.markdown("##### Information gain along the pick order")
        if all(features.has(need) for need in ("labels", "quality", "graph")):
            E, marginal = sw.information_curve(fkey, features, sel)
            st.plotly_chart(sw.curve_figure(E, marginal), key="sel_curve")
            st.caption(f"E(S_k) for every budget k up to {len(sel)}: MIG's information of the first k picks over "
                       "the label graph (arXiv 2504.13835). Any budget is a prefix of this run.")
        else:
            st.info("The information curve needs labels, quality and the label graph; this pool lacks some. "
                    "Showing the selector's own per-pick score instead.")
            st.plotly_chart(sw.gains_figure(sel.gains, sel.method), key="sel_gains")
    with right:
        st.markdown("##### Metrics of this subset")
        try:
            values = sw.subset_metrics(fkey, features, sel)
        except SiftError as exc:
            state.show_error(exc)
        else:
            st.dataframe(sw.metrics_frame(values, features, sel), hide_index=True, height=400,
                         column_config={"value": st.column_config.NumberColumn(format="%.4g")})
            sw.skipped_note(sw.skipped_metrics(fkey, features, sel))

    st.markdown("##### Chosen records (in pick order)")
    frame = sw.picks_frame(sel, pool.ids, pool.instructions, features.quality, features.label_sets)
    st.dataframe(frame, hide_index=True, height=380, column_config={
        "rank": st.column_config.NumberColumn(width="small"),
        "gain": st.column_config.NumberColumn(format="%.4g", width="small",
                                              help="The selector's own score when it made this pick"),
        "id": st.column_config.TextColumn(width="small"),
        "instruction": st.column_config.TextColumn(width="large"),
        "quality": st.column_config.NumberColumn(format="%.2f", width="small"),
        "labels": st.column_config.TextColumn(width="medium")})

    trace = sel.info.get("trace")
    if trace:
        st.markdown("##### Bandit pulls")
        st.plotly_chart(sw.trace_figure(trace, str(sel.info.get("reward", "reward"))), key="sel_trace")
        st.caption("Each dot is one probe of an arm (a k-means cluster), coloured by the reward it returned.")


def main() -> None:
    st.title("Selection")
    st.caption("Pick a selector, set a budget and run it. Every run is kept for the Compare and Export pages.")
    pool = state.require(state.pool)
    features = state.require(state.features)
    registry = state.require(sw.selector_registry)
    if not registry:
        st.error("No selectors are registered.")
        return
    run_form(registry, features, len(pool))

    runs = state.selections()
    st.divider()
    if not runs:
        st.info("No runs yet in this session: choose a selector above and press **Run selector**.")
        return
    names = list(runs)
    valid_choice(K_SHOW, names, names[-1])
    st.subheader("Run")
    name = st.selectbox("Show run", names, key=K_SHOW)
    show_run(name, runs[name], pool, features)
    st.markdown("##### Runs in this session")
    st.dataframe(sw.runs_frame(runs), hide_index=True)


main()
