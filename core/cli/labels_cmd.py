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

from core.cli.options import add_embedding_options, add_label_options, add_pool_options
from core.errors import SiftError


def add_parser(sub: "argparse._SubParsersAction") -> None:
    p = sub.add_parser("labels", help="labels of every record (data tags, automatic or zero-shot) as JSON lines")
    add_pool_options(p)
    p.add_argument("-o", "--out", default=None, help="output .jsonl file (default: stdout)")
    add_embedding_options(p, view_help="text labels are read from and embedded per record", given=False)
    add_label_options(p, default_help="auto", threshold=False)
    p.set_defaults(func=run)


def label_lines(pool, result) -> list[str]:
    """One JSON line per record: ``{"id", "labels", "label_source"}`` (ids as strings, labels as given)."""
    return [json.dumps({"id": rid, "labels": list(labels), "label_source": result.source}, ensure_ascii=False)
            for rid, labels in zip(pool.ids, result.label_sets)]


def run(args: argparse.Namespace) -> int:
    from core.cli.options import backend_options, check_options, pool_from
    from core.cli.progress import ProgressBar
    from core.defaults import DEFAULT_MODEL
    from core.fileio import atomic_write
    from core.labels import extract_labels
    from core.embed import embed_texts
    from core.pipeline import labels_need_embeddings

    if args.labels == "none":
        raise SiftError("--labels none gives no labels; use auto, data, auto_tags or zero_shot")
    check_options(args, out_suffixes=(".jsonl",))
    pool = pool_from(args)
    if len(pool) == 0:
        raise SiftError("the pool is empty: no records to label")
    source = args.labels or "auto"
    model = args.model or DEFAULT_MODEL
    with ProgressBar("labels", stream=sys.stderr) as bar:
        embeddings = None
        if labels_need_embeddings(pool, source):  # automatic or zero-shot labels read the texts' vectors
            embeddings = embed_texts(pool.texts(view=args.view, turns=args.turns), model,
                                     batch_size=args.batch_size, use_cache=not args.no_cache,
                                     progress=lambda f, m: bar(0.5 * f, m), **backend_options(args))
        result = extract_labels(pool, embeddings, model=model, source=source, valid_tags=args.valid_tags,
                                tag_vocab=args.tag_vocab, view=args.view, turns=args.turns,
                                progress=lambda f, m: bar(0.5 + 0.5 * f, m))
    lines = label_lines(pool, result)
    text = "\n".join(lines) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        atomic_write(args.out, text.encode("utf-8"))
    settings = result.report.get("settings", {})
    where = f", text view {settings.get('view')}/{settings.get('turns')}" if settings.get("view") else ""
    print(f"labels ({result.source}{where}): {len(result.vocabulary):,} distinct labels on {len(pool):,} records, "
          f"{result.n_empty:,} without labels" + (f"; wrote {args.out}" if args.out else ""), file=sys.stderr)
    return 0
