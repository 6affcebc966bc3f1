"""``python -m core select FILE --method NAME --budget N -o OUT``: run one selector and export its subset.

Loads the pool (core.data), builds its Features once (core.pipeline: cached embeddings, labels and the label
graph only when the selector needs them, quality), runs ``core.selectors.run`` and writes the picked records
in pick order with added columns ``selector``, ``rank``, ``gain``, ``quality`` (``quality_proxy`` when the
quality is the heuristic proxy, see core.quality) and ``novelty`` (per-sample NovelSum novelty within the subset,
when it can be computed) plus the reproducibility manifest next to the
export (``core.data.export_subset`` names it ``<OUT stem>.manifest.json``). A progress bar goes to stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from core.cli.progress import add_text_options
from core.errors import SiftError, check_budget, check_seed
from core.features import GRAPH, LABELS, Features
from core.quality import quality_source, quality_warning

LABEL_SOURCES = ("auto", "data", "auto_tags", "zero_shot", "none")


def add_label_source_options(p: argparse.ArgumentParser, default_help: str = "auto when a selector or report "
                                                                             "needs labels, else none") -> None:
    """``--labels``, ``--valid-tags`` and ``--tag-vocab``: where each record's labels come from."""
    p.add_argument("--labels", default=None, choices=LABEL_SOURCES,
                   help="label source: auto (data tags if any, else automatic), data, auto_tags (automatic labels), "
                        f"zero_shot (closest tags of --tag-vocab), none (default: {default_help})")
    p.add_argument("--valid-tags", default=None, metavar="F", help="JSON list of allowed tags (others are dropped)")
    p.add_argument("--tag-vocab", default=None, metavar="F",
                   help="JSON list of tags for --labels zero_shot (e.g. InsTag's valid_tag_path.json); each record "
                        "gets up to 3 tags with cosine >= 0.35 and within 0.15 of its best (core.autotag.zero_shot)")


def add_label_options(p: argparse.ArgumentParser) -> None:
    """``--labels``, ``--valid-tags``, ``--tag-vocab`` and ``--threshold``: how labels and the label graph are built."""
    add_label_source_options(p)
    # Checked by core.label_graph.parse_threshold in features_for (a bad value is a one-line error, exit 2).
    p.add_argument("--threshold", default=None, metavar="T",
                   help="label-graph threshold: 'auto' (default: picked from the label similarities of the model, "
                        "see core.label_graph.auto_threshold) or a cosine, e.g. 0.9 (MIG's official value)")


def add_common(p: argparse.ArgumentParser) -> None:
    """Options shared by ``select`` and ``compare``: how the pool's features are built."""
    p.add_argument("file", help="pool file (.jsonl, .json, .csv, .parquet)")
    p.add_argument("--budget", type=int, required=True, help="number of records to select")
    p.add_argument("--seed", type=int, default=42,
                   help="seed for selectors that draw at random, 0 to 2**32 - 1 (default: 42)")
    p.add_argument("--lenient", action="store_true",
                   help="skip bad lines (and records without a valid quality value) and list them instead of stopping")
    p.add_argument("--reference", default=None, metavar="REF",
                   help="reference set of the target task (a pool file, embedded like FILE, or an .npy array); "
                        "used by the bandit's OT reward")
    add_label_options(p)
    p.add_argument("--dedup", action="store_true",
                   help="keep one record per duplicate/near-duplicate/template group before selecting (core.dedup)")
    p.add_argument("--dedup-kinds", default=None, metavar="K,...",
                   help="relations --dedup groups by: exact, near, template or all (default: all)")
    add_text_options(p)


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
    p.set_defaults(func=run)


def report_problems(pool: Any, limit: int = 20) -> None:
    """Under ``--lenient``: say on stderr how many lines were skipped and list the first ``limit``."""
    from core.errors import terminal_safe

    if not pool.problems:
        return
    print(f"lenient: skipped {len(pool.problems):,} line(s) of {pool.name}:", file=sys.stderr)
    for problem in pool.problems[:limit]:
        print(f"  {terminal_safe(problem, keep_newlines=False)}", file=sys.stderr)
    if len(pool.problems) > limit:
        print(f"  ... and {len(pool.problems) - limit:,} more (python -m core info FILE --lenient --json lists all)",
              file=sys.stderr)


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


def label_source(requested: Optional[str], need_labels: bool) -> str:
    """The label source to build: the user's choice, else auto when labels are needed, else none."""
    if requested is not None:
        return requested
    return "auto" if need_labels else "none"


def load_reference(path: str, *, model: Optional[str], view: str, turns: str, progress=None) -> np.ndarray:
    """Embeddings of a reference set: an ``.npy`` array of vectors, or a pool file embedded like the pool."""
    if Path(path).suffix.lower() == ".npy":
        from core.embed import load_precomputed

        return load_precomputed(path, None)
    from core.data import load_pool
    from core.embed import DEFAULT_MODEL, embed_texts

    ref = load_pool(path)
    return embed_texts(ref.texts(view=view, turns=turns), model or DEFAULT_MODEL, progress=progress)


def features_for(args: argparse.Namespace, pool: Any, *, labels: str) -> Features:
    """Features of ``pool`` from the shared options (embeddings always; labels and graph unless ``labels="none"``)."""
    from core.cli.progress import ProgressBar
    from core.pipeline import build_features

    kwargs: dict = dict(model=args.model, view=args.view, turns=args.turns, labels=labels,
                        valid_tags=args.valid_tags, tag_vocab=getattr(args, "tag_vocab", None))
    if args.threshold is not None:
        from core.label_graph import parse_threshold

        kwargs["graph_threshold"] = parse_threshold(args.threshold)
    with ProgressBar("features", stream=sys.stderr) as bar:
        features = build_features(pool, progress=bar, **kwargs)
        if args.reference:
            features.reference = load_reference(args.reference, model=args.model, view=args.view,
                                                turns=args.turns, progress=bar)
    return features


def labels_from(features: Features) -> Optional[dict]:
    """Where the labels came from, for the manifest: source, text view and turns, tag vocabulary (None: no labels)."""
    result = features.extra.get("labels")
    if result is None:
        return None
    settings = result.report.get("settings", {})
    return {"source": result.source, "view": settings.get("view"), "turns": settings.get("turns"),
            "tag_vocab": settings.get("tag_vocab"), "records_without_labels": result.n_empty}


def added_columns(features: Features, selection) -> dict:
    """Columns added to the export: selector, rank (1-based), gain, quality or quality_proxy, novelty."""
    idx = selection.indices
    cols: dict = {"selector": [selection.method] * len(idx), "rank": list(range(1, len(idx) + 1)),
                  "gain": [float(g) for g in selection.gains]}
    if features.quality is not None:
        from core.quality import quality_column

        cols[quality_column(quality_source(features))] = [float(v) for v in np.asarray(features.quality)[idx]]
    if features.embeddings is not None and len(idx) > 1:
        try:
            from core.metrics import novelty_of

            cols["novelty"] = [float(v) for v in novelty_of(features, idx)]
        except SiftError:  # too large for the exact metric, or not computable: leave the column out
            pass
    return cols


def manifest_extra(args: argparse.Namespace, features: Features, selection, labels: str) -> dict:
    """Run settings and a compact view of ``Selection.info`` for the manifest."""
    info = {k: v for k, v in selection.info.items() if k not in ("cluster", "dedup")}
    return {"budget": int(args.budget), "seconds": round(float(selection.seconds), 3),
            "model": features.extra.get("model", args.model), "view": args.view, "turns": args.turns,
            "labels": labels, "labels_from": labels_from(features),
            "quality_is_proxy": bool(features.quality_is_proxy), "quality_source": quality_source(features),
            "reference": args.reference,
            "valid_tags": args.valid_tags, "graph_threshold": features.extra.get("graph_threshold"),
            "graph_threshold_rule": features.extra.get("graph_threshold_rule"),
            "dedup": selection.info.get("dedup"), "info": info}


def run(args: argparse.Namespace) -> int:
    from core import selectors
    from core.cli.progress import ProgressBar
    from core.data import export_subset, load_pool, make_manifest
    from core.dedup import select_deduplicated

    spec = selectors.get(args.method)  # unknown names fail before any work
    params = selector_params(spec, parse_params(args.param), args.seed)
    if Path(args.out).suffix.lower() not in (".jsonl", ".csv"):
        raise SiftError(f"--out must end in .jsonl or .csv, got {args.out!r}")
    pool = load_pool(args.file, shape=args.shape, lenient=args.lenient)
    report_problems(pool)
    check_budget(args.budget, len(pool))  # before the (slow) embedding step
    dups = dedup_for(args, pool)
    if dups is not None:
        check_budget(args.budget, dups.n - dups.dropped)
    labels = label_source(args.labels, bool(set(spec.needs) & {LABELS, GRAPH}))
    features = features_for(args, pool, labels=labels)
    warning = quality_warning(spec.required(spec_params(spec, params)), features, spec.label)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    with ProgressBar(args.method, stream=sys.stderr) as bar:
        selection = select_deduplicated(args.method, features, args.budget, dups, progress=bar, **params)
    cols = added_columns(features, selection)
    manifest = make_manifest(pool, method=args.method, params=selection.params,
                             seed=selection.params.get("seed"), indices=selection.indices,
                             added_columns=list(cols), extra=manifest_extra(args, features, selection, labels))
    result = export_subset(pool, selection.indices, args.out, added=cols, manifest=manifest, csv_raw=args.csv_raw)
    print(f"{spec.label}: {len(selection):,} of {len(pool):,} records in {selection.seconds:.2f} s")
    print(f"wrote {result['path']} ({result['format']}, columns added: {', '.join(result['added_columns'])})")
    print(f"manifest {result['manifest_path']}")
    if features.quality_is_proxy and not warning:
        print("note: quality is a heuristic proxy (no quality column in the pool)", file=sys.stderr)
    return 0
