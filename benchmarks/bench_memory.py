"""Peak memory at 1M rows (issue 15, point 4): ``info``, ``select`` (mig, random, kcenter) and ``metrics`` on a 10K
subset, each in its own child process, against the 3 GB bound, with the load average.

Usage: ``python benchmarks/bench_memory.py [--rows 1000000] [--only info,random,mig,kcenter,metrics]``. Uses the same generated pool, vectors and commands
as ``bench_end_to_end.py`` (kept in /tmp/sift_bench_e2e); the baseline measured in the same run is the CLI's
import cost, and the 1M x 384 float32 vectors alone are 1,465 MiB, so kcenter and metrics can be read against
"one float32 copy of the matrix".
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_end_to_end import commands, load_average, prepare, run_measured  # noqa: E402

BOUND_MIB = 3 * 1024
#: The commands of issue 15's "Done when" (bench_end_to_end's compare is not one of them).
MEASURED = ("info", "random", "mig", "kcenter", "metrics")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--folder", default="/tmp/sift_bench_e2e")
    parser.add_argument("--only", default=",".join(MEASURED),
                        help=f"comma-separated subset of: {','.join(MEASURED)} (default all)")
    args = parser.parse_args(argv)
    wanted = args.only.split(",")
    unknown = sorted(set(wanted) - set(MEASURED))
    if unknown:
        parser.error(f"unknown command(s) {','.join(unknown)}; choose from {','.join(MEASURED)}")
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    pool, vectors, subset = prepare(args.rows, folder)
    vec_mib = vectors.stat().st_size / 2**20
    print(f"load average before: {load_average()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="sift_mem_") as tmp:
        env = {"SIFT_HOME": str(Path(tmp) / "home")}
        base = run_measured([sys.executable, "-c", "import core.cli"], env)
        cmds = commands(pool, vectors, subset, Path(tmp) / "out.jsonl", args.rows)
        for name in wanted:
            before = load_average()
            res = run_measured(cmds[name], env)
            rows.append((name, res))
            err = "" if res["status"] == 0 else "  " + res["stderr"].strip()[-300:]
            print(f"{name:<8} peak {res['rss_mib']:7,.0f} MiB  wall {res['wall']:6.1f} s  exit {res['status']}  "
                  f"load {before} -> {load_average()}{err}", flush=True)
    print(f"load average after: {load_average()}")
    print(f"\nbaseline `import core.cli`: {base['rss_mib']:,.0f} MiB; the vectors file: {vec_mib:,.0f} MiB")
    print(f"\n| command ({args.rows:,} rows) | peak RSS MiB | vs 3 GB bound | above import | wall s | status |")
    print("|---|---:|---:|---:|---:|---|")
    for name, res in rows:
        print(f"| {name} | {res['rss_mib']:,.0f} | {res['rss_mib'] / BOUND_MIB:.2f}x | "
              f"{res['rss_mib'] - base['rss_mib']:,.0f} | {res['wall']:.1f} | "
              f"{'ok' if res['status'] == 0 else 'exit ' + str(res['status'])} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
