"""``python -m core select FILE --method NAME --budget N -o OUT``: run one selector and export its subset.

Loads the pool (core.data), builds its Features once (core.pipeline: cached embeddings, labels and the label
graph only when the selector needs them, quality), runs ``core.selectors.run`` and writes the picked records
in pick order through ``core.workspace.export_run`` (the app's export path too: added columns ``selector``,
``rank``, ``gain``, ``quality`` or ``quality_proxy``, ``novelty`` within the subset) plus the manifest that repeats
the run (``<OUT stem>.manifest.json``; ``--from-manifest M.json`` repeats one). The run is recorded in the
workspace (``$SIFT_HOME``, see ``python -m core runs``) unless ``--no-workspace``. A progress bar goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from core.cli.constraint_options import add_constraint_options, check_constraint_options, constraints_from
from core.cli.options import (add_feature_options, check_options, features_from, label_source, pool_from,
                              report_problems)
from core.defaults import DEFAULT_SEED
from core.errors import SiftError, check_budget, check_seed
from core.features import EMBEDDINGS, GRAPH, LABELS
from core.quality import quality_warning


def add_common(p: argparse.ArgumentParser) -> None:
    """Options shared by ``select`` and ``compare``: the shared pool, embedding and label options
    (core.cli.options) plus budget, seed, reference set, dedup and the constraints (core.cli.constraint_options)."""
    add_feature_options(p)
    p.add_argument("--budget", type=int, required=True, help="number of records to select")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"seed for selectors that draw at random, 0 to 2**32 - 1 (default: {DEFAULT_SEED})")
    p.add_argument("--reference", default=None, metavar="REF",
                   help="reference set of the target task (a pool file, embedded like FILE, or an .npy array); "
                        "used by the bandit's OT reward")
    p.add_argument("--dedup", action="store_true",
                   help="keep one record per duplicate/near-duplicate/template group before selecting (core.dedup)")
    p.add_argument("--dedup-kinds", default=None, metavar="K,...",
                   help="relations --dedup groups by: exact, near, template or all (default: all)")
    add_constraint_options(p)  # --include, --exclude, --where, --per, --per-mode


def dedup_for(args: argparse.Namespace, pool: Any):
    """The pool's duplicate groups when ``--dedup`` is given (None otherwise); same text view as the embeddings."""
    if not getattr(args, "dedup", False):
        if getattr(args, "dedup_kinds", None):
            raise SiftError("--dedup-kinds needs --dedup")
        return None
    from core.dedup import parse_kinds, pool_duplicates

    dups = pool_duplicates(pool, view=args.view, turns=args.turns, kinds=parse_kinds(args.dedup_kinds))
    print(f"dedup: {dups.dropped:,} of {dups.n:,} records dropped ({dups.n_groups:,} groups; "
          + ", ".join(f"{k} {v['groups']:,} groups / {v['records']:,} records" for k, v in dups.by_kind.items())
          + f"); {dups.n - dups.dropped:,} candidates", file=sys.stderr)
    return dups


def constraints_for(args: argparse.Namespace, pool: Any):
    """The --include/--exclude/--where/--per constraints on ``pool``, checked against the budget now (before any
    embedding), with a one-line summary on stderr; None when none is given."""
    constraints = constraints_from(args, pool)
    if constraints is None:
        return None
    rules = constraints.resolve(len(pool), args.budget)
    parts = [f"{rules.include.size:,} must-include", f"{len(constraints.exclude):,} never-pick",
             f"{rules.free.size:,} candidates"]
    if constraints.source.get("where"):
        parts[-1] += f" ({' and '.join(constraints.source['where'])})"
    if args.per:
        parts.append(f"budget split over {args.per} ({args.per_mode})")
    print("constraints: " + ", ".join(parts), file=sys.stderr)
    return constraints


def add_parser(sub: "argparse._SubParsersAction") -> None:
    p = sub.add_parser("select", help="run one selector under a budget and export the subset with a manifest")
    add_common(p)
    p.add_argument("--method", required=True,
                   help="selector name, e.g. novelselect, mig, deita, qdit, kcenter (an unknown name lists them all)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="selector parameter, e.g. tau=0.85 (repeatable)")
    p.add_argument("-o", "--out", required=True, help="output file: .jsonl or .csv")
    p.add_argument("--csv-raw", action="store_true",
                   help="CSV output: write text cells as they are (default: a cell starting with = + - @ tab or CR "
                        "gets a leading ' so spreadsheets do not run it as a formula)")
    from core.cli.runs_cmd import add_select_options

    add_select_options(p)  # --from-manifest, --input, --run-name, --no-workspace
    p.set_defaults(func=run)


def parse_params(items: Sequence[str]) -> dict:
    """``["tau=0.85"]`` -> ``{"tau": "0.85"}`` (values are parsed and range-checked by the selector's spec)."""
    out: dict = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SiftError(f"--param expects NAME=VALUE, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def selector_params(spec: Any, given: dict, seed: int) -> dict:
    """``given`` (strings from --param) with the run's ``seed`` unless --param sets one, checked against the
    selector's spec now, so a bad --param fails before the slow feature build."""
    from core.params import resolve_params

    params = {"seed": seed, **given}
    params["seed"] = check_seed(params["seed"])
    resolve_params(spec.params, {k: v for k, v in params.items() if k != "seed"}, f"selector '{spec.name}'")
    return params


def spec_params(spec: Any, params: dict) -> dict:
    """``params`` resolved against ``spec`` (without the seed), for ``spec.required``."""
    from core.params import resolve_params

    return resolve_params(spec.params, {k: v for k, v in params.items() if k != "seed"}, f"selector '{spec.name}'")


def run(args: argparse.Namespace) -> int:
    from core import selectors
    from core.cli.progress import ProgressBar
    from core.dedup import select_deduplicated

    spec = selectors.get(args.method)  # unknown names fail before any work
    params = selector_params(spec, parse_params(args.param), args.seed)
    check_options(args, out_suffixes=(".jsonl", ".csv"))  # every option, before the (slow) feature build
    check_constraint_options(args)
    pool = pool_from(args)
    check_budget(args.budget, len(pool))
    constraints = constraints_for(args, pool)
    dups = dedup_for(args, pool)
    if dups is not None:
        check_budget(args.budget, dups.n - dups.dropped)
    needs = spec.required(spec_params(spec, params))
    labels = label_source(args.labels, bool(set(needs) & {LABELS, GRAPH}))
    features = features_from(args, pool, labels=labels, need_embeddings=EMBEDDINGS in needs,
                             need_graph=GRAPH in needs)
    warning = quality_warning(needs, features, spec.label)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    with ProgressBar(args.method, stream=sys.stderr) as bar:
        selection = select_deduplicated(args.method, features, args.budget, dups, progress=bar,
                                        constraints=constraints, **params)
    from core.cli.runs_cmd import finish_select

    result = finish_select(args, pool, features, selection, labels)  # workspace record + core.workspace.export_run
    print(f"{spec.label}: {len(selection):,} of {len(pool):,} records in {selection.seconds:.2f} s")
    print(f"wrote {result['path']} ({result['format']}, columns added: {', '.join(result['added_columns'])})")
    print(f"manifest {result['manifest_path']}")
    if features.quality_is_proxy and not warning:
        print("note: quality is a heuristic proxy (no quality column in the pool)", file=sys.stderr)
    return 0
