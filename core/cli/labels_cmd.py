"""``python -m core labels FILE [-o labels.jsonl]``: the labels of every record, one JSON object per line.

Each line is ``{"id": ..., "labels": [...], "label_source": "..."}`` in pool order; ``label_source`` is "data"
(the pool's tags), "auto_tags" (automatic labels, core.autotag) or "zero_shot" (closest tags of ``--tag-vocab``).
The labels are those ``select`` builds with the same options (``core.labels.extract_labels`` through
``core.pipeline``: ``--labels``, ``--valid-tags``, ``--tag-vocab``, ``--model``, ``--view``, ``--turns``,
``--shape``). Without ``-o`` the lines go to stdout; with it, the file is written atomically. A summary (records,
labels, records without labels, text view) goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.cli.progress import add_text_options
from core.cli.select_cmd import add_label_source_options
from core.errors import SiftError


def add_parser(sub: "argparse._SubParsersAction") -> None:
    p = sub.add_parser("labels", help="labels of every record (data tags, automatic or zero-shot) as JSON lines")
    p.add_argument("file", help="pool file (.jsonl, .json, .csv, .parquet)")
    p.add_argument("-o", "--out", default=None, help="output .jsonl file (default: stdout)")
    add_label_source_options(p, default_help="auto")
    add_text_options(p, view_help="text labels are read from and embedded per record")
    p.set_defaults(func=run)


def label_lines(pool, result) -> list[str]:
    """One JSON line per record: ``{"id", "labels", "label_source"}`` (ids as strings, labels as given)."""
    return [json.dumps({"id": rid, "labels": list(labels), "label_source": result.source}, ensure_ascii=False)
            for rid, labels in zip(pool.ids, result.label_sets)]


def run(args: argparse.Namespace) -> int:
    from core.cli.progress import ProgressBar
    from core.data import load_pool
    from core.fileio import atomic_write
    from core.embed import DEFAULT_MODEL
    from core.labels import extract_labels

    if args.labels == "none":
        raise SiftError("--labels none gives no labels; use auto, data, auto_tags or zero_shot")
    if args.out is not None and Path(args.out).suffix.lower() != ".jsonl":
        raise SiftError(f"--out must end in .jsonl, got {args.out!r}")
    pool = load_pool(args.file, shape=args.shape)
    if len(pool) == 0:
        raise SiftError("the pool is empty: no records to label")
    source = args.labels or "auto"
    with ProgressBar("labels", stream=sys.stderr) as bar:
        embeddings = None
        if source != "data" and not (source == "auto" and pool.tags is not None and any(pool.tags)):
            from core.pipeline import embed_pool

            embeddings, _ = embed_pool(pool, model=args.model or DEFAULT_MODEL, view=args.view, turns=args.turns,
                                       progress=lambda f, m: bar(0.5 * f, m))
        result = extract_labels(pool, embeddings, model=args.model or DEFAULT_MODEL, source=source,
                                valid_tags=args.valid_tags, tag_vocab=args.tag_vocab, view=args.view,
                                turns=args.turns, progress=lambda f, m: bar(0.5 + 0.5 * f, m))
    lines = label_lines(pool, result)
    text = "\n".join(lines) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        atomic_write(Path(args.out), text.encode("utf-8"))
    settings = result.report.get("settings", {})
    where = f", text view {settings.get('view')}/{settings.get('turns')}" if settings.get("view") else ""
    print(f"labels ({result.source}{where}): {len(result.vocabulary):,} distinct labels on {len(pool):,} records, "
          f"{result.n_empty:,} without labels" + (f"; wrote {args.out}" if args.out else ""), file=sys.stderr)
    return 0
