"""Headless entry point: ``python -m core <command> ...`` over the same functions the app uses.

Each sub-command lives in its own module exposing ``add_parser(subparsers)`` (which sets ``func``), registered
explicitly in ``COMMANDS`` (a missing module is a broken install and fails loudly). The options the commands
share are defined once in ``core.cli.options``.
"""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Optional, Sequence

from core import __version__
from core.cli import compare_cmd, embed_cmd, graph_cmd, info_cmd, labels_cmd, metrics_cmd, runs_cmd, select_cmd
from core.errors import SiftError, terminal_safe

#: Every sub-command, in help order.
COMMANDS = (info_cmd, embed_cmd, metrics_cmd, select_cmd, compare_cmd, graph_cmd, labels_cmd, runs_cmd)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available sub-command registered."""
    parser = argparse.ArgumentParser(prog="python -m core", description="Instruction-data selection, headless.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM ends the run like Ctrl-C: ``finally`` blocks run, so no temporary file is left behind."""
    raise SystemExit(128 + signum)


def install_signal_handlers() -> Optional[object]:
    """Turn SIGTERM into SystemExit (main thread only: elsewhere signals cannot be handled); the previous
    handler is returned so that an in-process caller (tests) gets it back."""
    import threading

    if threading.current_thread() is threading.main_thread():
        return signal.signal(signal.SIGTERM, _terminated)
    return None


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings from the core (e.g. a corrupt cache entry being recomputed) as one line on stderr."""
    print(f"warning: {terminal_safe(message, keep_newlines=False)}", file=sys.stderr)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the CLI; user errors print one clear line to stderr and exit with status 2."""
    import warnings

    try:  # select --from-manifest M.json: the manifest's run spelled out as a select command line
        argv = runs_cmd.expand_from_manifest(sys.argv[1:] if argv is None else argv)
    except SiftError as exc:
        print(f"error: {terminal_safe(exc, keep_newlines=False)}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    previous = install_signal_handlers()
    shown = warnings.showwarning
    warnings.showwarning = _show_warning
    try:
        return int(args.func(args) or 0)
    except SiftError as exc:
        print(f"error: {terminal_safe(exc, keep_newlines=False)}", file=sys.stderr)
        return 2
    finally:
        warnings.showwarning = shown
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
