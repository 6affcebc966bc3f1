"""Selection: run a selector under a budget, then inspect its information curve, picks, metrics and trace."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.defaults import DEFAULT_SEED
from core.errors import SiftError
from core.features import QUALITY, REFERENCE
from core.quality import quality_source, quality_warning
from ui import cached, shell, state
from ui.components import require, show_error, skipped_note
from ui.figures import run_curves_figure, trace_figure
from ui.forms import param_form, persist, valid_choice
from ui.tables import metrics_frame, picks_frame, runs_frame, selection_caption, versus_short
from ui.text import escape_md

shell.ensure_routed()

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
    st.markdown(f"**{escape_md(spec.label)}**: {escape_md(spec.summary)}")
    st.caption(f"Reference: {escape_md(spec.citation)}")


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
        ref = cached.reference_embeddings(up.getvalue(), up.name, s.view, s.turns, s.model)
    st.caption(f"Reference set: {len(ref):,} texts embedded")
    return ref


def run_form(registry, n: int):
    """Selector choice, its parameter form, budget, seed and the Run button; runs and stores the selection.
    Returns ``(features, key)``: what the chosen selector needs (``ui.cached.features_for``: a selector needing
    no embeddings, such as random or MIG on the data's tags, never waits for the embedding job)."""
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
    persist(K_SEED, DEFAULT_SEED)
    seed = c2.number_input("Seed", min_value=0, step=1, key=K_SEED,
                           help="Seeds every random step (random picks, k-means, start points); "
                                "deterministic selectors ignore it.")
    st.markdown("###### Parameters")
    params = param_form(spec.params, key_prefix=f"selp:{method}", skip=("seed",))
    reference = reference_upload(spec, params) if uses_reference(spec) else None
    features, fkey = require(cached.features_for, required(spec, params))
    needs_line(spec, params, features, reference)
    from ui.constraints_view import constraints_section

    constraints = constraints_section(cached.pool(), int(budget))

    if st.button("Run selector", type="primary", key="sel_run"):
        bar = st.progress(0.0, text=f"Running {spec.label} ...")
        try:
            feats = features if reference is None else replace(features, reference=reference)
            given = params if constraints is None else {**params, "constraints": constraints}
            sel = cached.run_selector(method, feats, int(budget), given, int(seed),
                                      progress=cached.progress_callback(bar))
        except SiftError as exc:
            bar.empty()
            show_error(exc)
            return features, fkey
        except Exception as exc:  # noqa: BLE001 - shown as a message, never a bare traceback
            bar.empty()
            show_error(exc)
            return features, fkey
        bar.empty()
        name = state.add_selection(sel, features)
        st.session_state[K_SHOW] = name
        st.success(f"Kept as **{name}** ({len(sel)} picks in {sel.seconds:.2f} s).")
    return features, fkey


def gain_panel(sel, features, fkey: str) -> None:
    """E(S_k) and the per-pick quantities of the run, each named and explained (core.compare.gain_series)."""
    from core.compare import default_window, gain_series, smooth

    series = gain_series(features, sel)
    information = cached.information_curve(fkey, features, sel)[0] if "marginal_information" in series else None
    shown = [series[key] for key in ("marginal_information", "score") if key in series]
    if sel.method == "random":  # random picks carry no score: only the exact gain is worth a panel
        shown = [item for item in shown if item[0].key != "none"]
    window = default_window(len(sel))
    curves = [(kind.name, values, smooth(values) if window > 1 else None) for kind, values in shown]
    st.plotly_chart(run_curves_figure(information, curves), key="sel_curve")
    lines = []
    if information is not None:
        lines.append(f"**E(S_k)**: MIG's information of the first k picks over the label graph (arXiv 2504.13835), "
                     f"for every budget k up to {len(sel):,}; any budget is a prefix of this run.")
    else:
        st.info("The information curve needs labels, quality and the label graph; this pool lacks some. "
                "Showing the selector's own per-pick score only.")
    lines += [f"**{escape_md(kind.name)}**: {escape_md(kind.meaning)}." for kind, _ in shown]
    if window > 1:
        lines.append(f"Thick lines: moving average over {window} picks.")
    st.caption("  \n".join(lines))


def baseline_columns(frame, sel, features, fkey: str):
    """The metrics frame with the random baseline at this run's size (mean ± sd over seeded draws) and the run's
    distance from it, signed so that positive is better (core.baseline)."""
    specs = cached.metric_registry()
    labels = {spec.label: name for name, spec in specs.items()}
    base, versus = [], []
    candidates = cached.candidates_of(sel)
    for label, value in zip(frame["metric"], frame["value"]):
        b = cached.random_baseline(fkey, features, labels[label], len(sel), candidates) if label in labels else None
        if b is None:
            base.append("")
            versus.append("")
            continue
        from core.baseline import versus_random

        base.append(f"{b.mean:.4g} ± {b.std:.2g}")
        versus.append(versus_short(versus_random(value, b, specs[labels[label]].higher_is_better)))
    out = frame.assign(**{"vs random": versus, "random (mean ± sd)": base})
    return out[["metric", "value", "vs random", "random (mean ± sd)", "direction"]]


def show_run(name: str, sel, pool, features, fkey: str) -> None:
    """Curves, metrics, picks and (for the bandit) the pull trace of one stored run, measured on ``features``
    (cache key ``fkey``; without embeddings while they are computed, the metrics that need them say so)."""
    st.caption(escape_md(selection_caption(name, sel)))
    if sel.info.get("reward"):
        st.caption(f"Reward in use: **{escape_md(str(sel.info['reward']))}**")
    if sel.info.get("quality_source") == "proxy":
        st.warning("This run ranked by the heuristic quality proxy (no quality column or DEITA scores in the "
                   "pool), not by a quality model.")
    elif sel.info.get("quality_source"):
        st.caption(f"Quality used: {escape_md(str(sel.info['quality_source']))}")
    from ui.constraints_view import run_constraints_line

    if run_constraints_line(sel):
        st.caption(escape_md(run_constraints_line(sel)))

    left, right = st.columns([3, 2])
    with left:
        st.markdown("##### Information and gains along the pick order")
        gain_panel(sel, features, fkey)
    with right:
        st.markdown("##### Metrics of this subset")
        try:
            values = cached.subset_metrics(fkey, features, sel)
        except SiftError as exc:
            show_error(exc)
        else:
            frame = metrics_frame(values, cached.metric_registry(), features.quality, features.quality_is_proxy,
                                  sel.indices)
            with st.spinner(f"Random baseline: each metric on {cached.BASELINE_DRAWS} seeded random subsets of "
                            f"{len(sel):,} records (once per size) ..."):
                frame = baseline_columns(frame, sel, features, fkey)
            st.dataframe(frame, hide_index=True, height=420,
                         column_config={"value": st.column_config.NumberColumn(format="%.4g")})
            st.caption(f"Random: {cached.BASELINE_DRAWS} seeded random subsets of the same size "
                       f"({len(sel):,}) from the same candidates; vs random is the distance from their mean in their "
                       "standard deviations, signed by each metric's direction (+ = better). Compare has the "
                       "glossary." + (" This run was constrained, the random draws are not: they come from the "
                                      "whole pool (or the dedup candidates), so vs random compares with unconstrained "
                                      "random subsets."
                                      if (sel.params or {}).get("constraints") else ""))
            skipped_note(cached.skipped_metrics(fkey, features, sel))

    st.markdown("##### Chosen records (in pick order)")
    from core.compare import score_kind

    kind = score_kind(sel.method)
    exact = cached.information_curve(fkey, features, sel)[1] \
        if all(features.has(need) for need in ("labels", "quality", "graph")) else None
    frame = picks_frame(sel, pool.ids, pool.instructions, features.quality, features.label_sets, exact)
    st.dataframe(frame, hide_index=True, height=380, column_config={
        "rank": st.column_config.NumberColumn(width="small"),
        "ranking score": st.column_config.NumberColumn(format="%.4g", width="small",
                                                       help=f"{kind.name}: {kind.meaning}"),
        "exact gain": st.column_config.NumberColumn(format="%.4g", width="small",
                                                    help="E(S_k) - E(S_k-1): how much MIG's information rose"),
        "id": st.column_config.TextColumn(width="small"),
        "instruction": st.column_config.TextColumn(width="large"),
        "quality": st.column_config.NumberColumn(format="%.2f", width="small"),
        "labels": st.column_config.TextColumn(width="medium")})

    trace = sel.info.get("trace")
    if trace:
        st.markdown("##### Bandit pulls")
        st.plotly_chart(trace_figure(trace, str(sel.info.get("reward", "reward"))), key="sel_trace")
        st.caption("Each dot is one probe of an arm (a k-means cluster), coloured by the reward it returned.")


def main() -> None:
    st.title("Selection")
    st.caption("Pick a selector, set a budget and run it. Every run is kept for the Compare and Export pages.")
    pool = require(cached.pool)
    registry = require(cached.selector_registry)
    if not registry:
        st.error("No selectors are registered.")
        return
    features, fkey = run_form(registry, len(pool))

    runs = state.selections()
    st.divider()
    if not runs:
        st.info("No runs yet in this session: choose a selector above and press **Run selector**.")
        return
    names = list(runs)
    valid_choice(K_SHOW, names, names[-1])
    st.subheader("Run")
    name = st.selectbox("Show run", names, key=K_SHOW)
    show_run(name, runs[name], pool, features, fkey)
    st.markdown("##### Runs in this session")
    st.dataframe(runs_frame(runs), hide_index=True)


main()
