"""``python -m core metrics FILE``: diversity metrics of a pool, or of a subset listed by id, as a table.

Loads the pool (core.data), embeds ``pool.texts()`` (core.embed, cached), builds the Features (embeddings,
texts, tags, quality and, when tags and quality exist and MIG information is asked for, the label graph) and
prints each registered metric (core.metrics.REGISTRY). Parameters: ``--param novelsum.neighbors=5``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

import numpy as np

from core.cli.options import add_embedding_options, add_label_options, add_pool_options
from core.cli.progress import parse_dotted_params
from core.errors import SiftError, InputError, MissingNeedError
from core.params import resolve_params


def add_parser(sub: "argparse._SubParsersAction") -> None:
    p = sub.add_parser("metrics", help="diversity metrics (NovelSum and the classic measures) of a pool or subset")
    add_pool_options(p, file_optional=True)
    p.add_argument("--subset", default=None, metavar="IDS.txt",
                   help="measure only these records: one id per line (blank lines and # comments ignored) or a "
                        "JSON list")
    p.add_argument("--metric", action="append", default=None, metavar="NAME",
                   help="metric to compute (repeatable; default: every metric the pool has inputs for)")
    p.add_argument("--param", action="append", default=[], metavar="METRIC.NAME=VALUE",
                   help="metric parameter, e.g. novelsum.neighbors=5 or novelsum.approximate=true (repeatable)")
    add_embedding_options(p, view_help="text embedded and measured per record")
    add_label_options(p, default_help="auto when a requested metric needs labels, else none")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--list", action="store_true", help="list the available metrics and their parameters, then exit")
    p.set_defaults(func=run)


def read_subset(path: str, ids: Sequence[str]) -> np.ndarray:
    """Pool indices of the ids listed in ``path`` (one per line or a JSON list), in file order; unknown or repeated
    ids fail naming the line (:func:`core.constraints.read_ids`, the reader of ``select --include`` too)."""
    from core.constraints import ids_to_rows, read_ids

    out = ids_to_rows(ids, read_ids(path), path)
    if not out:
        raise InputError("the subset file lists no ids", file=path)
    return np.asarray(out, dtype=np.int64)


def list_metrics() -> str:
    """The registry as text: name, label, needs, parameters with defaults."""
    from core.metrics import REGISTRY

    rows = []
    for spec in REGISTRY.values():
        params = ", ".join(f"{p.name}={p.default}" for p in spec.params) or "-"
        rows.append(f"{spec.name:<18} {spec.label:<24} needs {'+'.join(spec.needs):<24} {params}")
    return "\n".join(rows)


def run(args: argparse.Namespace) -> int:
    from core.metrics import REGISTRY
    from core.metrics.registry import compute_result, get

    if args.list:
        print(list_metrics())
        return 0
    if not args.file:
        raise SiftError("give a pool file (or --list to see the metrics)")
    names = list(dict.fromkeys(args.metric)) if args.metric else list(REGISTRY)
    for name in names:
        get(name)  # unknown names fail before any work
    params = parse_dotted_params(args.param, list(REGISTRY), "metric")
    for name, given in params.items():  # a bad --param fails now, not after embedding (nor as a table note)
        resolve_params(REGISTRY[name].params, given, REGISTRY[name].label)

    from core.cli.options import check_options, features_from, label_source, pool_from
    from core.defaults import DEFAULT_MODEL
    from core.features import EMBEDDINGS, GRAPH, LABELS

    check_options(args)  # every option, before the (slow) feature build
    model = args.model or DEFAULT_MODEL
    pool = pool_from(args)
    subset = read_subset(args.subset, pool.ids) if args.subset else None
    # Labels (and the label graph) and embeddings cost time: build them only when a requested metric needs them.
    needs = {need for name in names for need in REGISTRY[name].needs}
    features = features_from(args, pool, labels=label_source(args.labels, bool(needs & {LABELS, GRAPH})),
                             need_embeddings=EMBEDDINGS in needs, need_graph=GRAPH in needs)

    results = []
    for name in names:
        spec = REGISTRY[name]
        try:
            res = compute_result(name, features, subset, **params.get(name, {}))
            results.append({"metric": name, "label": spec.label, "value": res.value, "approximate": res.approximate,
                            "stderr": res.stderr, "seconds": round(res.seconds, 3), "params": res.params})
        except MissingNeedError as exc:
            if args.metric:
                raise
            results.append({"metric": name, "label": spec.label, "value": None, "skipped": str(exc)})
        except SiftError as exc:
            if args.metric:
                raise
            results.append({"metric": name, "label": spec.label, "value": None, "error": str(exc)})

    header = {"file": args.file, "records": len(pool), "measured": len(pool) if subset is None else int(subset.size),
              "subset": args.subset, "model": model, "view": f"{args.view}/{args.turns}"}
    if args.json:
        print(json.dumps({**header, "metrics": results}, indent=2, default=float))
        return 0
    print(f"{header['file']}: {header['measured']:,} of {header['records']:,} records measured "
          f"({'subset ' + args.subset if args.subset else 'whole pool'}), model {model}, view {header['view']}")
    print(f"{'metric':<18} {'':<24} {'value':>14}  note")
    for row in results:
        if row["value"] is None:
            note = row.get("skipped") or row.get("error", "")
            print(f"{row['metric']:<18} {row['label']:<24} {'-':>14}  {note}")
            continue
        note = f"approximate, ± {row['stderr']:.2g} (std. error)" if row["approximate"] else ""
        print(f"{row['metric']:<18} {row['label']:<24} {row['value']:>14.6g}  {note}")
    print("(every metric: higher = more diverse)", file=sys.stderr)
    return 0
