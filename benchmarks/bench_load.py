"""Time and peak memory of ``load_pool`` on a large Alpaca JSONL, against baselines measured in the same run.

Usage: ``python benchmarks/bench_load.py [--rows 1000000] [--file /tmp/sift_bench_alpaca_1m.jsonl]``

The file is generated in /tmp (never in the repo) with seeded pseudo-random Alpaca records (~0.5 KB each).
Each loader runs in its own child process so its peak RSS (``ru_maxrss`` from ``wait4``) is its own:

- ``imports``: the child imports numpy/pandas and core.data and loads nothing (the fixed cost);
- ``json_loop``: a bare ``[json.loads(line) for line in file]`` (the floor for a pure-Python loader);
- ``pandas``: ``pandas.read_json(path, lines=True)`` (the usual one-liner);
- ``sift``: ``core.data.load_pool(path)`` (one streaming pass validates every record and keeps columns:
  instructions, ids, lines, byte offsets, tag/category codes, quality; no record dicts), then timed separately:
  reading back 50,000 records at random rows from their byte offsets (what an export of 50K picks does) and
  ``pool.responses`` (not kept at load: one sequential re-read of the whole file).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORDS = ("data model train test value list string number write explain describe compute python function "
         "table sort find the a of to and in is for with on by this that what how why when which summary "
         "story poem email letter translate french english recipe plan budget energy science history").split()


def generate(path: Path, rows: int, seed: int = 0) -> None:
    """Write ``rows`` Alpaca records (id, instruction, input, output, category) to ``path``."""
    rng = random.Random(seed)
    cats = ["coding", "maths", "writing", "qa", "reasoning", "extraction"]

    def text(lo: int, hi: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))

    with open(path, "w", encoding="utf-8") as fh:
        for i in range(rows):
            rec = {"id": f"r{i:07d}", "instruction": text(6, 30).capitalize() + "?",
                   "input": text(5, 25) if rng.random() < 0.4 else "", "output": text(20, 90) + ".",
                   "category": rng.choice(cats)}
            fh.write(json.dumps(rec) + "\n")


def child(kind: str, path: str, repo: str = str(REPO)) -> None:
    """Run one loader and print a JSON line with its timings (peak RSS is read by the parent)."""
    import numpy  # noqa: F401  (same imports in every child, so the fixed cost is comparable)
    import pandas as pd

    sys.path.insert(0, repo)
    from core.data import load_pool

    out: dict = {}
    start, cpu = time.perf_counter(), time.process_time()
    if kind == "json_loop":
        with open(path, "rb") as fh:
            rows = [json.loads(line) for line in fh]
        out["n"] = len(rows)
    elif kind == "pandas":
        frame = pd.read_json(path, lines=True)
        out["n"] = len(frame)
    elif kind in ("sift", "sift_before"):
        import numpy as np

        pool = load_pool(path)
        out["n"] = len(pool)
        out["load_seconds"] = time.perf_counter() - start
        out["load_cpu_seconds"] = time.process_time() - cpu  # user + system: less sensitive to a shared machine
        out["load_peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the extras
        rows = np.sort(np.random.default_rng(0).choice(len(pool), size=min(50_000, len(pool)), replace=False))
        t = time.perf_counter()
        records = pool.records
        for i in rows.tolist():
            _ = records[i]
        out["read_50k_seconds"] = time.perf_counter() - t
        out["read_rows"] = int(rows.size)
        t = time.perf_counter()
        _ = pool.responses
        out["responses_seconds"] = time.perf_counter() - t
    elif kind == "imports":
        out["n"] = 0
    out["seconds"] = out.get("load_seconds", time.perf_counter() - start)
    print(json.dumps(out))


def run_child(kind: str, path: Path, repo: Path = REPO) -> dict:
    """Run ``child(kind)`` in a fresh interpreter; return its timings plus peak RSS in MiB."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, str(path), str(repo)], stdout=subprocess.PIPE,
                            text=True)
    stdout = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} child failed with status {proc.returncode}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_rss_mib"] = usage.ru_maxrss / 1024  # Linux reports KiB
    return result


def _loadavg() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", default=None, help="JSONL to use (generated when absent)")
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument("--only", default="imports,json_loop,pandas,sift",
                        help="comma-separated loaders to run (imports is always run: the baseline)")
    parser.add_argument("--before", default=None, metavar="DIR",
                        help="also run load_pool from this checkout (e.g. `git archive <commit> | tar -x -C DIR`) "
                             "as 'sift_before', in the same run")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PATH", "REPO"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    path = Path(args.file or f"/tmp/sift_bench_alpaca_{args.rows}.jsonl")
    generated = False
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.rows)
        generated = True
        print(f"generated {path} ({args.rows:,} rows) in {time.perf_counter() - t:.1f} s")
    size_mib = path.stat().st_size / 2**20
    print(f"file: {path}  {size_mib:,.0f} MiB; load average before {_loadavg()}")
    try:
        kinds = ["imports"] + [k for k in args.only.split(",") if k and k != "imports"]
        results = {kind: run_child(kind, path) for kind in kinds}
        if args.before:
            results["sift_before"] = run_child("sift_before", path, Path(args.before).resolve())
    finally:
        if generated and not args.keep:
            path.unlink()
    print(f"load average after {_loadavg()}")
    for kind in ("sift", "sift_before"):  # the peak of the load, not of the extras after it
        if kind in results:
            results[kind]["peak_rss_mib"] = results[kind]["load_peak_rss_mib"]
    base = results["imports"]["peak_rss_mib"]
    print(f"{'loader':<12} {'seconds':>8} {'peak RSS MiB':>13} {'RSS - imports':>14}")
    for kind, r in results.items():
        print(f"{kind:<12} {r['seconds']:>8.2f} {r['peak_rss_mib']:>13,.0f} {r['peak_rss_mib'] - base:>14,.0f}")
    for kind in ("sift_before", "sift"):
        if kind in results:
            r = results[kind]
            print(f"{kind} load {r['load_seconds']:.2f} s (CPU {r['load_cpu_seconds']:.2f} s); then {r['read_rows']:,} records read back at random rows "
                  f"{r['read_50k_seconds']:.2f} s, pool.responses {r['responses_seconds']:.2f} s; {r['n']:,} records")
    s = results.get("sift")
    for other in ("sift_before", "pandas", "json_loop"):
        o = results.get(other)
        if s and o:
            print(f"ratios sift/{other}: time {s['load_seconds'] / o['seconds']:.2f}x, memory above imports "
                  f"{(s['peak_rss_mib'] - base) / max(o['peak_rss_mib'] - base, 1e-9):.2f}x")
    if s:
        print(f"sift memory above imports: {(s['peak_rss_mib'] - base) / size_mib:.2f}x the file size")


if __name__ == "__main__":
    main()
