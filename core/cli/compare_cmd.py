"""``python -m core compare FILE --methods a,b,c --budget N``: run several selectors, print one table.

The pool's Features are built once (as ``select`` does); every selector runs under the same budget and seed;
each subset is measured with every metric of ``core.metrics.REGISTRY`` it has inputs for, plus its size,
mean quality, label coverage (share of the pool's labels present in the subset) and run time; a second table
gives the pairwise overlap (Jaccard) of the subsets. ``--json`` prints everything as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from core.cli.progress import parse_dotted_params
from core.cli.options import check_options, features_from, label_source, pool_from
from core.cli.constraint_options import check_constraint_options
from core.cli.select_cmd import add_common, constraints_for, dedup_for, selector_params, spec_params
from core.errors import SiftError, check_budget
from core.features import EMBEDDINGS, GRAPH
from core.selection import jaccard


def add_parser(sub: "argparse._SubParsersAction") -> None:
    p = sub.add_parser("compare", help="run several selectors under one budget and compare their subsets")
    add_common(p)
    p.add_argument("--methods", required=True, help="comma-separated selector names, e.g. random,novelselect,deita")
    p.add_argument("--param", action="append", default=[], metavar="METHOD.NAME=VALUE",
                   help="selector parameter, e.g. deita.tau=0.85 (repeatable)")
    p.add_argument("--metric", action="append", default=None, metavar="NAME",
                   help="metric to report (repeatable; default: every metric the pool has inputs for)")
    p.add_argument("--k", type=int, default=None,
                   help="compare every run's first K picks (default: the shortest run, the largest exact k)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core import selectors
    from core.cli.progress import ProgressBar
    from core.dedup import dedup_record, select_deduplicated
    from core.metrics import REGISTRY as METRICS
    from core.metrics import compute

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    if not methods:
        raise SiftError("--methods lists no selector")
    if len(set(methods)) != len(methods):
        raise SiftError(f"--methods lists a selector twice: {args.methods}")
    for m in methods:
        selectors.get(m)  # unknown names fail before any work
    # Label coverage always has its own column, so the default list leaves out its registry twin.
    metric_names = list(dict.fromkeys(args.metric)) if args.metric else [m for m in METRICS if m != "tag_coverage"]
    for name in metric_names:
        if name not in METRICS:
            raise SiftError(f"unknown metric {name!r}; known: {', '.join(METRICS)}")
    given = parse_dotted_params(args.param, methods, "method")
    params = {m: selector_params(selectors.get(m), given.get(m, {}), args.seed) for m in methods}
    check_options(args)  # every option, before the (slow) feature build
    check_constraint_options(args)
    pool = pool_from(args)
    check_budget(args.budget, len(pool))
    if args.k is not None and not 1 <= args.k <= args.budget:
        raise SiftError(f"--k must be between 1 and --budget ({args.budget}); got {args.k}")
    constraints = constraints_for(args, pool)
    dups = dedup_for(args, pool)
    if dups is not None:
        check_budget(args.budget, dups.n - dups.dropped)
    labels = label_source(args.labels, True)  # label coverage is part of the report
    # The pool is embedded only when a selector or a reported metric uses the vectors.
    needs = {need for m in methods for need in selectors.get(m).required(spec_params(selectors.get(m), params[m]))}
    needs |= {need for name in metric_names for need in METRICS[name].needs}
    features = features_from(args, pool, labels=labels, need_embeddings=EMBEDDINGS in needs,
                             need_graph=GRAPH in needs)

    from core.compare import compare_at_k
    from core.quality import quality_source, quality_warning

    rows, selections = [], {}
    for method in methods:
        spec_m = selectors.get(method)
        warning = quality_warning(spec_m.required(spec_params(spec_m, params[method])), features, spec_m.label)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
        with ProgressBar(method, stream=sys.stderr) as bar:
            sel = select_deduplicated(method, features, args.budget, dups, progress=bar, constraints=constraints,
                                      **params[method])
        selections[method] = sel
        row = {"method": method, "size": len(sel), "seconds": round(float(sel.seconds), 3)}
        if features.quality is not None:
            row["quality_mean"] = float(np.mean(np.asarray(features.quality)[sel.indices]))
        if features.label_sets is not None:
            row["label_coverage"] = float(compute("tag_coverage", features, sel.indices))
        rows.append(row)
    # One path with the app's Compare page: every run at one equal budget k, ranks, best, random baseline.
    with ProgressBar("metrics", stream=sys.stderr) as bar:
        comparison = compare_at_k(features, selections, args.k, metrics=metric_names,
                                  candidates=None if dups is None else dups.keep(), dups=dups, progress=bar)
    for name, reason in comparison.skipped.items():
        print(f"{name} skipped: {reason}", file=sys.stderr)
    for row in rows:  # each run's metric values at k, as the comparison measured them
        for name in metric_names:
            row[name] = comparison.row(name).values[row["method"]] if name not in comparison.skipped else None
    overlap = {a: {b: jaccard(selections[a].indices, selections[b].indices) for b in methods} for a in methods}

    if args.json:
        report = comparison.as_dict()
        report.update({"file": args.file, "records": len(pool), "budget": args.budget, "seed": args.seed,
                       "quality_is_proxy": bool(features.quality_is_proxy),
                       "quality_source": quality_source(features),
                       "dedup": None if dups is None else dedup_record(dups),
                       "constraints": None if constraints is None else constraints.record(), "results": rows,
                       "overlap_jaccard": overlap})
        print(json.dumps(report, indent=2, default=float))
        return 0
    print(f"{args.file}: {len(pool):,} records, budget {args.budget:,}, seed {args.seed}, compared at k = "
          f"{comparison.k:,} (every run's first k picks)"
          + (" (quality is a heuristic proxy)" if features.quality_is_proxy else "")
          + ("" if dups is None else f"; dedup: {dups.n - dups.dropped:,} candidates ({dups.dropped:,} dropped)"))
    width = max(22, *(len(m) + 2 for m in methods)) + 1
    print(f"{'run':<22}" + "".join(f"{m:>{width}}" for m in methods))
    for col in ("size", "seconds", "quality_mean", "label_coverage"):
        if any(r.get(col) is not None for r in rows):
            print(f"{col:<22}" + "".join(f"{_fmt(r[col]) if r.get(col) is not None else '-':>{width}}"
                                         for r in rows))
    print()
    print("metric (direction)    value  #rank  vs random (sd)")
    for mrow in comparison.rows:
        print(f"{mrow.metric} ({mrow.direction}): best {', '.join(mrow.best)}"
              + ("" if mrow.baseline is None else f"; {mrow.baseline.describe()}"))
        cells = []
        for m in methods:
            v = mrow.values[m]
            vs = mrow.versus.get(m)
            z = "" if vs is None or vs.z is None else f" {vs.z:+.1f}"
            cells.append(f"{_fmt(v)} #{mrow.ranks[m]}{z}")
        print(f"{'':<22}" + "".join(f"{c:>{width}}" for c in cells))
    if comparison.disagreements:
        print()
        print("metrics disagree")
        for d in comparison.disagreements:
            print(f"- {d.text}")
    print()
    print("overlap (Jaccard)")
    print(f"{'':<22}" + "".join(f"{m:>{width}}" for m in methods))
    for a in methods:
        print(f"{a:<22}" + "".join(f"{overlap[a][b]:>{width}.3f}" for b in methods))
    return 0


def _fmt(v: float) -> str:
    if isinstance(v, (int, np.integer)) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e9):
        return f"{int(v):,}"
    return f"{v:.5g}"
