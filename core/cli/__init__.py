"""Headless entry point: ``python -m core <command> ...`` over the same functions the app uses.

Each sub-command lives in its own module exposing ``add_parser(subparsers)`` (which sets ``func``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Optional, Sequence

from core import __version__
from core.errors import SiftError, terminal_safe

_COMMANDS = ("info", "embed", "metrics", "select", "compare", "graph", "labels")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available sub-command registered."""
    parser = argparse.ArgumentParser(prog="python -m core", description="Instruction-data selection, headless.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in _COMMANDS:
        try:
            module = importlib.import_module(f"core.cli.{name}_cmd")
        except ModuleNotFoundError as exc:  # a command still being written is simply absent
            if exc.name != f"core.cli.{name}_cmd":
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the CLI; user errors print one clear line to stderr and exit with status 2."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SiftError as exc:
        print(f"error: {terminal_safe(exc, keep_newlines=False)}", file=sys.stderr)
        return 2
