"""``python -m core graph FILE [--json]``: the MIG label graph of a pool, summarised.

Prints the label count, the threshold T used and the rule that chose it (``--threshold auto``, the default, or
a fixed cosine such as MIG's official 0.9), edges (between distinct labels), mean degree, the share of labels
with at least one neighbour, the largest connected components and the labels with the most information in
the pool (phi(z_k) with MIG's defaults: phi(x) = x^0.8, neighbour weight 1). The numbers come from
``core.label_graph.graph_stats``, the function the Label graph page shows.

``--vocab FILE.json`` builds the graph from a JSON list of labels instead of a pool (e.g. a tag vocabulary;
labels are normalised like a whitelist); there is then no pool, so no information column.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from core.cli.options import add_embedding_options, add_label_options, add_pool_options
from core.errors import SiftError


def add_parser(sub: "argparse._SubParsersAction") -> None:
    p = sub.add_parser("graph", help="label graph of a pool: threshold used, edges, degree, components, top labels")
    add_pool_options(p, file_optional=True)
    p.add_argument("--vocab", default=None, metavar="F",
                   help="JSON list of labels: build the graph from these labels instead of a pool")
    add_embedding_options(p, view_help="text automatic labels are read from", given=False)  # labels use the model
    add_label_options(p, default_help="auto")
    p.add_argument("--top", type=int, default=10, metavar="N", help="labels listed by information (default: 10)")
    p.add_argument("--components", type=int, default=5, metavar="N",
                   help="largest connected components listed (default: 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.set_defaults(func=run)


def graph_and_information(args: argparse.Namespace):
    """``(graph, information or None, extra)`` from ``--vocab`` or from the pool's features."""
    from core.cli.progress import ProgressBar
    from core.cli.options import check_readable
    from core.label_graph import DEFAULT_THRESHOLD_MODE, LabelGraph, parse_threshold

    threshold = DEFAULT_THRESHOLD_MODE if args.threshold is None else parse_threshold(args.threshold)
    if args.vocab is not None:
        check_readable(args.vocab, "--vocab")
    if args.vocab is not None:
        from core.labels import load_whitelist

        vocab = sorted(load_whitelist(args.vocab))
        with ProgressBar("label graph", stream=sys.stderr) as bar:
            graph = LabelGraph.from_labels(vocab, model=args.model, threshold=threshold, progress=bar)
        return graph, None, {"source": "vocabulary", "vocab": args.vocab}
    from core.cli.options import features_from, pool_from

    if args.labels == "none":
        raise SiftError("--labels none builds no label graph; use auto, data or auto_tags")
    pool = pool_from(args)
    # The information column needs labels and quality, never the pool's vectors (unless the labels do).
    features = features_from(args, pool, labels=args.labels or "auto", need_embeddings=False)
    if features.graph is None:
        raise SiftError(f"no record of {args.file} has a label, so there is no label graph")
    quality = features.quality if features.quality is not None else np.ones(features.n)
    info = features.graph.label_information(features.label_sets, quality)
    result = features.extra.get("labels")
    extra = {"source": "pool", "file": args.file, "records": features.n,
             "label_source": getattr(result, "source", None), "quality_is_proxy": bool(features.quality_is_proxy)}
    return features.graph, info, extra


def run(args: argparse.Namespace) -> int:
    from core.cli.options import check_options
    from core.label_graph import graph_stats

    if (args.file is None) == (args.vocab is None):
        raise SiftError("give a pool FILE or --vocab FILE.json (exactly one)")
    check_options(args)
    if args.top < 0 or args.components < 0:
        raise SiftError("--top and --components must be >= 0")
    graph, info, extra = graph_and_information(args)
    stats = graph_stats(graph, info, top_components=args.components, top_labels=args.top)
    stats.update(extra)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
        return 0
    print(f"{stats['labels']:,} labels ({extra['source']}), model {stats['model']}")
    print(f"threshold T = {stats['threshold']:.3f}  [{stats['threshold_rule']}]")
    print(f"{stats['edges']:,} edges · mean degree {stats['mean_degree']:.2f} · max degree {stats['max_degree']} · "
          f"{stats['share_with_neighbour']:.1%} of labels have a neighbour · {stats['components']:,} components "
          f"({stats['isolated']:,} isolated labels)")
    if stats["largest_components"]:
        print("largest components (size: best-connected labels):")
        for c in stats["largest_components"]:
            print(f"  {c['size']:>6,}: {', '.join(c['labels'])}")
    if info is not None and stats.get("top_labels"):
        proxy = " (quality is a heuristic proxy)" if extra.get("quality_is_proxy") else ""
        print(f"top labels by information in the pool (phi = x^0.8, total E = {stats['information_total']:.2f})"
              f"{proxy}:")
        for row in stats["top_labels"]:
            print(f"  {row['information']:>10.3f}  {row['label']}  ({row['degree']} neighbours)")
    return 0
