"""``python -m core info FILE``: what a pool file holds (shape, size, fields, optional columns, text lengths)."""

from __future__ import annotations

import argparse
import json
from typing import Any, Sequence, Union

import numpy as np

from core.cli.options import add_pool_options
from core.errors import terminal_safe


def add_parser(sub: "argparse._SubParsersAction") -> None:
    p = sub.add_parser("info", help="describe a pool file: shape, records, fields, optional columns, text lengths")
    add_pool_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    p.add_argument("--near", action="store_true",
                   help="count near duplicates (MinHash) whatever the pool size (default: only up to "
                        "core.dedup.INFO_NEAR_LIMIT records; exact and template duplicates are always counted)")
    p.set_defaults(func=run)


def length_stats(texts: Union[Sequence[str], np.ndarray]) -> dict:
    """Character-length summary of ``texts`` (or of an array of lengths): min, median, mean, p95, max, and how
    many are empty."""
    if isinstance(texts, np.ndarray):
        lengths = texts.astype(np.int64, copy=False)
    else:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if lengths.size == 0:
        return {"min": 0, "median": 0, "mean": 0.0, "p95": 0, "max": 0, "empty": 0}
    return {"min": int(lengths.min()), "median": int(np.median(lengths)), "mean": round(float(lengths.mean()), 1),
            "p95": int(np.percentile(lengths, 95)), "max": int(lengths.max()), "empty": int((lengths == 0).sum())}


def duplicate_counts(pool: Any, *, near: bool = False) -> dict:
    """Exact / near / template duplicate groups of the instructions (core.dedup defaults, text only: no embeddings).

    Near duplicates (a MinHash of every record) are counted up to ``core.dedup.INFO_NEAR_LIMIT`` records, or
    always with ``near=True``; above the limit the summary says they were skipped and how to count them."""
    from core.dedup import DEFAULT_KINDS, INFO_NEAR_LIMIT, pool_duplicates

    if near or len(pool) <= INFO_NEAR_LIMIT:
        return pool_duplicates(pool).summary()
    out = pool_duplicates(pool, kinds=[k for k in DEFAULT_KINDS if k != "near"]).summary()
    out["skipped"] = {"near": f"not computed above {INFO_NEAR_LIMIT:,} records (a MinHash of every record); "
                              "`info --near` counts them, `select --dedup` uses them"}
    return out


def describe_pool(pool: Any, *, duplicates: bool = True, near: bool = False) -> dict:
    """The facts ``info`` reports about a loaded pool, as a JSON-ready dict (``duplicates``: add duplicate counts;
    ``near``: near duplicates whatever the size, see :func:`duplicate_counts`)."""
    quality, emb = pool.quality, pool.embedding_column
    optional: dict[str, Any] = {"tags": None, "quality": None, "category": None, "embeddings": None}
    if pool.tag_codes is not None:  # counted on the integer codes: no per-record lists
        vocab, indptr, codes = pool.tag_codes
        per_record = np.diff(indptr)
        optional["tags"] = {"source": pool.fieldmap.tags or "annotation.instag.content",
                            "records_with_tags": int(np.count_nonzero(per_record)),
                            "distinct": int(np.count_nonzero(np.bincount(codes, minlength=len(vocab)))),
                            "mean_per_record": round(float(per_record.mean()), 2)}
    if quality is not None:
        finite = quality[np.isfinite(quality)]
        optional["quality"] = {"source": pool.fieldmap.quality or "annotation.deita (mean quality x complexity)",
                               "records_with_quality": int(finite.size),
                               "min": float(finite.min()) if finite.size else None,
                               "mean": round(float(finite.mean()), 4) if finite.size else None,
                               "max": float(finite.max()) if finite.size else None,
                               "records_without_quality": int(quality.size - finite.size),
                               "first_line_without_quality": (int(pool.lines[np.flatnonzero(~np.isfinite(quality))[0]])
                                                              if finite.size < quality.size else None)}
    if pool.category_codes is not None:
        labels, codes = pool.category_codes
        counts = np.bincount(codes, minlength=len(labels))
        used = [(labels[c], int(counts[c])) for c in np.flatnonzero(counts).tolist()]
        top = sorted(used, key=lambda vc: (-vc[1], vc[0]))[:10]
        optional["category"] = {"source": pool.fieldmap.category, "distinct": len(used),
                                "top": {v: c for v, c in top}}
    if emb is not None:
        optional["embeddings"] = {"source": pool.fieldmap.embedding, "dim": int(emb.shape[1])}
    return {
        "file": str(pool.path) if pool.path is not None else pool.name,
        "format": pool.format,
        "shape": pool.shape,
        "records": len(pool),
        "sha256": pool.file_sha256,
        "ids": f"field '{pool.id_field}'" if pool.id_field else "row numbers (0-based)",
        "fields": list(pool.fields),
        "optional_columns": optional,
        "text_lengths": {"instruction": length_stats(pool.instructions),
                         "response": length_stats(pool.response_lengths)},
        "problems": [p.as_dict() for p in pool.problems],
        "duplicates": duplicate_counts(pool, near=near) if duplicates and len(pool) else None,
    }


def format_text(info: dict) -> str:
    """Human-readable rendering of :func:`describe_pool`'s dict."""
    out = [f"file     {info['file']}",
           f"format   {info['format']}    shape {info['shape']}    records {info['records']:,}",
           f"sha256   {info['sha256']}",
           f"ids      {info['ids']}",
           f"fields   {', '.join(info['fields'])}",
           "optional columns:"]
    for key, value in info["optional_columns"].items():
        if value is None:
            out.append(f"  {key:<10} not found")
            continue
        detail = ", ".join(f"{k} {v}" for k, v in value.items()
                           if k not in ("source", "top", "first_line_without_quality"))
        out.append(f"  {key:<10} from '{value['source']}': {detail}")
        if "top" in value:
            out.append("             top: " + ", ".join(f"{k} ({v})" for k, v in value["top"].items()))
    out.append("text length (characters):")
    for key, s in info["text_lengths"].items():
        out.append(f"  {key:<12} min {s['min']:,}  median {s['median']:,}  mean {s['mean']:,}  p95 {s['p95']:,}  "
                   f"max {s['max']:,}  empty {s['empty']:,}")
    dups = info.get("duplicates")
    if dups is not None:
        s = dups["settings"]
        out.append(f"duplicates (instructions; normalised text, MinHash Jaccard >= {s['near_threshold']}, "
                   f"template = same first {s['template_chars']} characters in >= {s['template_min_size']} records):")
        for kind, c in dups["by_kind"].items():
            out.append(f"  {kind:<10} {c['groups']:,} groups, {c['records']:,} records")
        for kind, why in dups.get("skipped", {}).items():
            out.append(f"  {kind:<10} {why}")
        out.append(f"  merged     {dups['groups']:,} groups, {dups['records_in_groups']:,} records; keeping one per "
                   f"group drops {dups['dropped']:,} (select --dedup)")
    problems = info["problems"]
    if problems:
        out.append(f"problems: {len(problems)} line(s) skipped")
        for p in problems[:50]:
            where = f"line {p['line']}" + (f", field '{p['field']}'" if p["field"] else "")
            out.append(f"  {where}: {p['reason']}")
        if len(problems) > 50:
            out.append(f"  ... and {len(problems) - 50} more (use --json for all)")
    quality = info["optional_columns"].get("quality") or {}
    if quality.get("records_without_quality"):
        out.append(f"quality: {quality['records_without_quality']:,} record(s) without a valid value (null, empty, "
                   f"NaN or infinite; first on line {quality['first_line_without_quality']}): selectors that rank by "
                   "quality refuse the pool, the others run; --lenient skips these records")
    elif not problems:
        out.append("problems: none")
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    from core.cli.options import check_options
    from core.data import load_pool

    check_options(args)
    pool = load_pool(args.file, shape=args.shape, columns=args.columns_map, lenient=args.lenient)
    info = describe_pool(pool, near=args.near)
    print(json.dumps(info, indent=2, ensure_ascii=False) if args.json else terminal_safe(format_text(info)))
    return 0
