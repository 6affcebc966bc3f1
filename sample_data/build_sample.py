#!/usr/bin/env python3
"""Assemble sample_data/instructions.jsonl from the hand-written record files in sample_data/records/.

The records live as data, one JSONL file per category (``records/<category>.jsonl``, written by hand for this
project), one object per line with exactly the keys of :data:`RECORD_KEYS`:

- ``instruction``, ``input`` (``""`` when none), ``output``: the texts, as written to the pool;
- ``tags``: the tags as written, folded into the shared vocabulary by ``records/tag_aliases.json``
  (lower-cased, aliased, repeats dropped);
- ``quality``: 1.0-10.0 with one decimal;
- ``note``: ``""`` or the defect planted on purpose (``near_dup``, ``exact_dup``, ``weak``); not written to the pool.

This script validates every record (errors name the file and line), interleaves the categories with a fixed seed
(so the pool reads like a real mixed pool rather than blocks of one category), assigns ids ``s0001``... and writes
one JSON object per line. The output is deterministic: running it twice gives byte-identical files.

Usage::

    python sample_data/build_sample.py                 # writes sample_data/instructions.jsonl
    python sample_data/build_sample.py --out /tmp/x.jsonl
    python sample_data/build_sample.py --stats         # also print counts
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECORDS_DIR = HERE / "records"
ALIASES = RECORDS_DIR / "tag_aliases.json"
DEFAULT_OUT = HERE / "instructions.jsonl"
SEED = 20240607
MAX_CHARS = 4000

# The order of the category files matters for determinism (the shuffle sees records in this order): fixed here.
CATEGORIES = ["coding", "maths", "writing", "factual_qa", "reasoning", "extraction", "classification",
              "brainstorming", "roleplay", "summarisation", "translation", "advice"]

RECORD_KEYS = ("instruction", "input", "output", "tags", "quality", "note")
KEYS = ("id", "instruction", "input", "output", "category", "tags", "quality")
NOTES = {"", "near_dup", "exact_dup", "weak"}


class SampleDataError(ValueError):
    """A record file that does not follow the format above (the message names the file and line)."""


def load_aliases(path: Path = ALIASES) -> dict[str, str]:
    """The tag -> shared-vocabulary tag map; every target is final (no alias points at another alias)."""
    try:
        aliases = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SampleDataError(f"{path}: {exc}") from None
    if not isinstance(aliases, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in aliases.items()):
        raise SampleDataError(f"{path}: must be a JSON object of tag -> tag strings")
    chained = sorted(k for k, v in aliases.items() if v in aliases)
    if chained:
        raise SampleDataError(f"{path}: aliases must point at final tags; these point at another alias: "
                              + ", ".join(chained))
    return aliases


def fold_tags(raw: list[str], aliases: dict[str, str]) -> list[str]:
    """Lower-case, fold through ``aliases`` and drop repeats, keeping the first occurrence's order."""
    out: list[str] = []
    for tag in raw:
        tag = tag.strip().lower()
        tag = aliases.get(tag, tag)
        if tag and tag not in out:
            out.append(tag)
    return out


def _check_fields(row: object, where: str) -> dict:
    if not isinstance(row, dict) or tuple(row) != RECORD_KEYS:
        keys = list(row) if isinstance(row, dict) else type(row).__name__
        raise SampleDataError(f"{where}: expected an object with the keys {list(RECORD_KEYS)} in order, got {keys}")
    for key in ("instruction", "input", "output", "note"):
        if not isinstance(row[key], str):
            raise SampleDataError(f"{where}: field {key!r} must be a string")
    if not isinstance(row["tags"], list) or not all(isinstance(t, str) for t in row["tags"]):
        raise SampleDataError(f"{where}: field 'tags' must be a list of strings")
    if not isinstance(row["quality"], float) or round(row["quality"], 1) != row["quality"]:
        raise SampleDataError(f"{where}: field 'quality' must be a number with one decimal, e.g. 7.0")
    if row["note"] not in NOTES:
        raise SampleDataError(f"{where}: field 'note' must be one of {sorted(NOTES)}, got {row['note']!r}")
    return row


def load_records(records_dir: Path = RECORDS_DIR) -> list[dict]:
    """Every record of every category file, in :data:`CATEGORIES` order, with its category and folded tags."""
    aliases = load_aliases(records_dir / ALIASES.name)
    found = sorted(p.stem for p in records_dir.glob("*.jsonl"))
    if found != sorted(CATEGORIES):
        raise SampleDataError(f"{records_dir}: expected one file per category {sorted(CATEGORIES)}, found {found}")
    records: list[dict] = []
    for category in CATEGORIES:
        path = records_dir / f"{category}.jsonl"
        for lineno, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            if not line:
                continue
            where = f"{path.relative_to(records_dir.parent)}:{lineno}"
            try:
                row = _check_fields(json.loads(line), where)
            except json.JSONDecodeError as exc:
                raise SampleDataError(f"{where}: not valid JSON ({exc.msg})") from None
            records.append({"instruction": row["instruction"], "input": row["input"], "output": row["output"],
                            "category": category, "tags": fold_tags(row["tags"], aliases),
                            "quality": row["quality"], "_note": row["note"], "_where": where})
    return records


def validate(records: list[dict]) -> None:
    """The content rules of the sample; raises SampleDataError listing every problem with its file and line."""
    problems = []
    for r in records:
        where = f"{r['_where']}: {r['instruction'][:50]!r}"
        if not r["instruction"].strip() or not r["output"].strip():
            problems.append(f"{where}: empty instruction/output")
        if not 2 <= len(r["tags"]) <= 6:
            problems.append(f"{where}: {len(r['tags'])} tags")
        if not 1.0 <= r["quality"] <= 10.0:
            problems.append(f"{where}: quality {r['quality']}")
        if r["_note"] == "weak" and r["quality"] > 3.5:
            problems.append(f"{where}: weak record with quality {r['quality']}")
        for key in ("instruction", "input", "output"):
            if len(r[key]) > MAX_CHARS:
                problems.append(f"{where}: {key} has {len(r[key])} chars")
    if problems:
        raise SampleDataError("invalid sample records:\n  " + "\n  ".join(problems))


def build(records: list[dict]) -> list[dict]:
    """Shuffle with the fixed seed and assign ids; the pool's keys in :data:`KEYS` order."""
    order = list(range(len(records)))
    random.Random(SEED).shuffle(order)
    out = []
    for n, idx in enumerate(order, start=1):
        r = records[idx]
        row = {"id": f"s{n:04d}"}
        for key in KEYS[1:]:
            row[key] = r[key]
        out.append(row)
    return out


def render(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def stats(records: list[dict]) -> str:
    cats = Counter(r["category"] for r in records)
    tags = Counter(t for r in records for t in r["tags"])
    notes = Counter(r["_note"] for r in records if r["_note"])
    instr = Counter((r["instruction"], r["input"]) for r in records)
    non_ascii = sum(1 for r in records if any(ord(c) > 127 for c in r["instruction"] + r["input"] + r["output"]))
    lines = [f"records: {len(records)}", "categories:"]
    lines += [f"  {c:16s} {n}" for c, n in sorted(cats.items())]
    lines.append(f"distinct tags: {len(tags)}")
    lines.append("top tags: " + ", ".join(f"{t} ({n})" for t, n in tags.most_common(15)))
    lines.append(f"tags used once: {sum(1 for n in tags.values() if n == 1)}")
    lines.append(f"planted: {dict(sorted(notes.items()))}")
    lines.append(f"identical instruction groups: {sum(1 for n in instr.values() if n > 1)}")
    lines.append(f"quality <= 3.5: {sum(1 for r in records if r['quality'] <= 3.5)}")
    lines.append(f"with input: {sum(1 for r in records if r['input'])}")
    lines.append(f"non-ascii records: {non_ascii}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output JSONL path")
    ap.add_argument("--records", type=Path, default=RECORDS_DIR, help="folder of the category record files")
    ap.add_argument("--stats", action="store_true", help="print counts to stdout")
    ap.add_argument("--tags", action="store_true", help="print the tag vocabulary with counts")
    args = ap.parse_args(argv)

    try:
        records = load_records(args.records)
        validate(records)
    except SampleDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = render(build(records))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    if args.stats:
        print(stats(records))
    if args.tags:
        for t, n in Counter(t for r in records for t in r["tags"]).most_common():
            print(f"{n:4d}  {t}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
