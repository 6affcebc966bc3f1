"""``python -m core runs [list|show ID|export ID -o FILE|delete ID|rename ID NAME]``: the workspace's runs.

The same runs the app lists: every ``python -m core select`` (unless ``--no-workspace``) and every run made in the
app is stored in ``$SIFT_HOME`` (default ``~/.sift``, see core.workspace). ``runs export`` writes a run through
core.workspace.export_run, the function the app's Export page and ``select`` use, so the file and manifest are
the same whichever wrote them.

This module also holds the workspace side of ``select``: :func:`add_select_options` (``--from-manifest``,
``--input``, ``--run-name``, ``--no-workspace``), :func:`expand_from_manifest` (a manifest turned back into the
``select`` command line that repeats its run, after checking the input file's SHA-256) and
:func:`finish_select` (record, export, store).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from core.errors import SiftError

FROM_MANIFEST = "--from-manifest"


# ----------------------------------------------------------------------------- select: options and repeat
def add_select_options(p: argparse.ArgumentParser) -> None:
    """``select``'s workspace options."""
    p.add_argument(FROM_MANIFEST, default=None, metavar="M.json",
                   help="repeat the run of an export manifest (app or CLI): the input file, method, parameters, "
                        "seed, budget and feature settings come from it (options given too override them); the "
                        "input file's SHA-256 must match the manifest's")
    p.add_argument("--input", default=None, metavar="FILE",
                   help="with --from-manifest: the input file, when it moved or was an upload in the app")
    p.add_argument("--run-name", default="", metavar="NAME", help="name of the run in the workspace")
    p.add_argument("--no-workspace", action="store_true",
                   help="do not record the run in the workspace ($SIFT_HOME, default ~/.sift)")


def _option_value(argv: list[str], option: str) -> tuple[Optional[str], list[str]]:
    """(value of ``option`` in ``argv`` or None, ``argv`` without it); accepts ``--opt V`` and ``--opt=V``."""
    out, value, i = [], None, 0
    while i < len(argv):
        arg = argv[i]
        if arg == option:
            if i + 1 >= len(argv):
                raise SiftError(f"{option} needs a value")
            value = argv[i + 1]
            i += 2
            continue
        if arg.startswith(option + "="):
            value = arg.split("=", 1)[1]
        else:
            out.append(arg)
        i += 1
    return value, out


def manifest_argv(manifest: dict, *, source: str, input_path: Optional[str] = None) -> list[str]:
    """The ``select`` arguments (after the command name, without ``-o``) that repeat ``manifest``'s run.

    Checks the input file's SHA-256 against the manifest before anything is loaded (SiftError if it changed).
    """
    from core import selectors
    from core.data.sources import resolve_source

    if manifest.get("tool") != "sift" or "method" not in manifest or "input" not in manifest:
        raise SiftError(f"{source}: not a sift export manifest")
    extra = manifest.get("extra") or {}
    if extra.get("kind") == "subset" or manifest["method"] == "working subset":
        raise SiftError(f"{source}: a working subset is not a selector run, so there is nothing to repeat "
                        "(its ids are in the manifest)")
    inp = manifest["input"]
    path = input_path or inp.get("path")
    if not path:
        raise SiftError(f"{source}: the run was made on an uploaded file {inp.get('name')!r}; "
                        "give the file with --input FILE")
    if not Path(path).is_file():
        raise SiftError(f"{source}: the run's input file {path} is not there; give it with --input FILE")
    digest = resolve_source(str(path)).sha256()
    if digest != inp.get("sha256"):
        raise SiftError(f"{source}: the input file {path} changed since the run (sha256 {str(inp.get('sha256'))[:12]}"
                        f"... in the manifest, {digest[:12]}... now), so the run cannot be repeated")
    spec = selectors.get(manifest["method"])
    argv = [str(path), "--method", spec.name, "--budget", str(int(extra.get("budget", manifest["selected"])))]
    options = inp.get("load_options") or {}
    if options.get("shape"):
        argv += ["--shape", str(options["shape"])]
    if options.get("columns"):
        argv += ["--columns", ",".join(f"{k}={v}" for k, v in options["columns"].items())]
    if options.get("lenient"):
        argv.append("--lenient")
    if manifest.get("seed") is not None:
        argv += ["--seed", str(int(manifest["seed"]))]
    defaults = spec.defaults()
    for name, value in (manifest.get("params") or {}).items():
        if name == "constraints":  # recorded by core.selectors.run: --include/--exclude/--where/--per
            from core.cli.constraint_options import constraint_argv

            argv += constraint_argv(value, source)
            continue
        if name == "seed" or (name in defaults and value == defaults[name]):
            continue
        if value is None:
            raise SiftError(f"{source}: parameter {name} is null, which the command line cannot repeat")
        text = ("true" if value else "false") if isinstance(value, bool) else repr(value) \
            if isinstance(value, float) else str(value)
        argv += ["--param", f"{name}={text}"]
    for key, option in (("model", "--model"), ("view", "--view"), ("turns", "--turns"),
                        ("embeddings", "--embeddings"), ("valid_tags", "--valid-tags"), ("tag_vocab", "--tag-vocab"),
                        ("reference", "--reference")):
        if extra.get(key):
            argv += [option, str(extra[key])]
    if extra.get("labels"):
        argv += ["--labels", str(extra["labels"])]
    if extra.get("graph_threshold") is not None:
        argv += ["--threshold", repr(float(extra["graph_threshold"]))]
    dedup = extra.get("dedup")
    if dedup:
        kinds = (dedup.get("settings") or {}).get("kinds")
        argv.append("--dedup")
        if kinds:
            argv += ["--dedup-kinds", ",".join(kinds)]
    return argv


def expand_from_manifest(argv: Sequence[str]) -> list[str]:
    """``select ... --from-manifest M.json ...`` with the manifest's run spelled out (options given by the user
    come after, so they override it); other command lines are returned unchanged."""
    argv = list(argv)
    if not argv or argv[0] != "select" or not any(a == FROM_MANIFEST or a.startswith(FROM_MANIFEST + "=")
                                                  for a in argv):
        return argv
    from core.data.manifest import read_manifest

    path, rest = _option_value(argv[1:], FROM_MANIFEST)
    input_path, rest = _option_value(rest, "--input")
    try:
        manifest = read_manifest(path)
    except (OSError, ValueError) as exc:
        raise SiftError(f"{path}: cannot read the manifest ({exc})") from None
    return ["select", *manifest_argv(manifest, source=str(path), input_path=input_path), *rest,
            FROM_MANIFEST, str(path)]


def record_from_args(args: argparse.Namespace, pool: Any, features: Any, selection: Any, labels: str):
    """The RunRecord of a ``select`` run (origin "cli")."""
    from core.label_graph import parse_threshold
    from core.workspace import record_run

    threshold = "auto" if getattr(args, "threshold", None) is None else parse_threshold(args.threshold)
    return record_run(pool, features, selection, origin="cli", name=getattr(args, "run_name", "") or "",
                      labels=labels, valid_tags=getattr(args, "valid_tags", None),
                      tag_vocab=getattr(args, "tag_vocab", None), threshold=threshold,
                      embeddings=getattr(args, "embeddings", None), reference=getattr(args, "reference", None))


def finish_select(args: argparse.Namespace, pool: Any, features: Any, selection: Any, labels: str) -> dict:
    """Record the run, store it in the workspace (unless ``--no-workspace``), export it through
    core.workspace.export_run; with ``--from-manifest``, say whether the ids repeat the manifest's."""
    from core.workspace import export_run

    record = record_from_args(args, pool, features, selection, labels)
    if not getattr(args, "no_workspace", False):
        try:
            from core.workspace import open_workspace

            open_workspace().add_run(record)
            print(f"workspace: run {record.id} ({record.name}) in {open_workspace().root}", file=sys.stderr)
        except SiftError as exc:
            print(f"warning: the run is not recorded in the workspace: {exc}", file=sys.stderr)
    result = export_run(pool, record, features, args.out, csv_raw=getattr(args, "csv_raw", False))
    source = getattr(args, "from_manifest", None)
    if source:
        from core.data.manifest import read_manifest

        want = read_manifest(source).get("ids")
        got = result["manifest"]["ids"]
        if want == got:
            print(f"repeated {source}: the same {len(got):,} ids in the same order", file=sys.stderr)
        else:
            same = sum(a == b for a, b in zip(want or [], got))
            print(f"warning: the repeat differs from {source}: {same:,} of {len(got):,} ids agree position by "
                  "position (options given on the command line override the manifest's)", file=sys.stderr)
    result["record"] = record
    return result


# ----------------------------------------------------------------------------- runs
def add_parser(sub: "argparse._SubParsersAction") -> None:
    p = sub.add_parser("runs", help="list, show, export, rename or delete the workspace's runs (app and CLI)")
    actions = p.add_subparsers(dest="action", required=True)
    ls = actions.add_parser("list", help="the stored runs, oldest first")
    ls.add_argument("--file", default=None, metavar="FILE", help="only the runs made on this file (by content)")
    ls.add_argument("--json", action="store_true", help="JSON instead of a table")
    ls.set_defaults(func=run_list)
    show = actions.add_parser("show", help="one run's record as JSON (settings, pick order, gains)")
    show.add_argument("id")
    show.set_defaults(func=run_show)
    exp = actions.add_parser("export", help="write a run's records with the added columns and manifest")
    exp.add_argument("id")
    exp.add_argument("-o", "--out", required=True, help="output file: .jsonl or .csv")
    exp.add_argument("--input", default=None, metavar="FILE", help="the pool file, when it moved since the run")
    exp.add_argument("--csv-raw", action="store_true", help="CSV: write text cells as they are (see select)")
    exp.set_defaults(func=run_export)
    rm = actions.add_parser("delete", help="remove a run from the workspace")
    rm.add_argument("id")
    rm.set_defaults(func=run_delete)
    mv = actions.add_parser("rename", help="give a run a new name")
    mv.add_argument("id")
    mv.add_argument("name")
    mv.set_defaults(func=run_rename)


def _workspace():
    from core.workspace import open_workspace

    return open_workspace()


def run_list(args: argparse.Namespace) -> int:
    from core.errors import terminal_safe

    ws = _workspace()
    sha = None
    if args.file:
        from core.data.sources import resolve_source

        sha = resolve_source(args.file).sha256()
    records = ws.runs(sha256=sha, arrays=False)
    if args.json:
        print(json.dumps([r.summary() for r in records], indent=2, ensure_ascii=False))
        return 0
    if not records:
        print(f"no runs in {ws.root}" + (f" for {args.file}" if args.file else ""))
        return 0
    rows = [(str(r.id), r.name, r.kind, r.method, f"{r.picks:,}", "" if r.seed is None else str(r.seed), r.origin,
             r.created_utc.replace("+00:00", "Z"), f"{r.pool.get('name')} ({str(r.pool.get('sha256'))[:8]})")
            for r in records]
    head = ("id", "name", "kind", "method", "picks", "seed", "by", "created", "pool")
    rows = [tuple(terminal_safe(c, keep_newlines=False) for c in row) for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    for row in (head, *rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return 0


def run_show(args: argparse.Namespace) -> int:
    record = _workspace().run(args.id)
    out = record.summary()
    out["indices"] = record.indices.tolist()
    out["gains"] = [None if g != g else float(g) for g in record.gains.tolist()]
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


def load_run_pool(record: Any, input_path: Optional[str] = None) -> Any:
    """The pool a stored run was made on, loaded with its recorded options (SiftError if the file changed)."""
    from core.data import load_pool
    from core.workspace import check_pool

    path = input_path or record.pool.get("path")
    if not path:
        raise SiftError(f"run {record.id} was made on an uploaded file {record.pool.get('name')!r}; "
                        "give the file with --input FILE")
    if not Path(path).is_file():
        raise SiftError(f"run {record.id}: its input file {path} is not there; give it with --input FILE")
    from core.data.sources import resolve_source

    digest = resolve_source(str(path)).sha256()  # before loading: a changed file is named as such, not parsed
    if digest != record.pool.get("sha256"):
        raise SiftError(f"{path}: the input file changed since the run was made (sha256 "
                        f"{str(record.pool.get('sha256'))[:12]}... recorded, {digest[:12]}... now)")
    options = record.pool.get("load_options") or {}
    pool = load_pool(path, shape=options.get("shape") or "auto", columns=options.get("columns"),
                     lenient=bool(options.get("lenient")), id_field=options.get("id_field") or "id")
    check_pool(pool, record, where=str(path))
    return pool


def run_export(args: argparse.Namespace) -> int:
    from core.cli.progress import ProgressBar
    from core.workspace import export_run, features_for_export

    if Path(args.out).suffix.lower() not in (".jsonl", ".csv"):
        raise SiftError(f"--out must end in .jsonl or .csv, got {args.out!r}")
    record = _workspace().run(args.id)
    pool = load_run_pool(record, args.input)
    with ProgressBar("features", stream=sys.stderr) as bar:
        features = features_for_export(pool, record, progress=bar)
    result = export_run(pool, record, features, args.out, csv_raw=args.csv_raw)
    print(f"wrote {result['path']} ({result['rows']:,} records of run {record.id}, {record.name})")
    print(f"manifest {result['manifest_path']}")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    ws = _workspace()
    record = ws.run(args.id, arrays=False)  # a run whose arrays are damaged can still be deleted
    ws.delete(record.id)
    print(f"deleted run {record.id} ({record.name})")
    return 0


def run_rename(args: argparse.Namespace) -> int:
    ws = _workspace()
    ws.rename(args.id, args.name)
    record = ws.run(args.id, arrays=False)
    print(f"run {record.id} is now called {record.name}")
    return 0
