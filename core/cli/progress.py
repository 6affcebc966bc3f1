"""Shared CLI helpers: a text progress bar for the core's ``progress(fraction, message)`` callback, --param parsing,
and the text/model options every command that embeds takes."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Optional, Sequence, TextIO


class ProgressBar:
    """Callable progress reporter; redraws at most every 0.2 s and ends the line on exit."""

    def __init__(self, title: str, stream: Optional[TextIO] = None, width: int = 30) -> None:
        # Resolve stderr at call time, not import time, so redirected/captured streams are honoured.
        self.title, self.stream, self.width = title, stream if stream is not None else sys.stderr, width
        self._last = 0.0
        self._drawn = False

    def __call__(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < 0.2:
            return
        self._last = now
        fraction = min(max(float(fraction), 0.0), 1.0)
        filled = int(round(fraction * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.title} [{bar}] {fraction:6.1%} {message[:60]:<60}")
        self.stream.flush()
        self._drawn = True

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()


def parse_dotted_params(items: Sequence[str], known: Sequence[str], what: str) -> dict[str, dict[str, str]]:
    """``["deita.tau=0.85"]`` -> ``{"deita": {"tau": "0.85"}}`` for ``--param OWNER.NAME=VALUE`` flags.

    ``known`` are the allowed owners (metric or method names) and ``what`` names them in messages; values stay
    strings here and are parsed later by each parameter's spec.
    """
    from core.errors import SiftError

    out: dict[str, dict[str, str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        owner, dot, name = key.partition(".")
        if not sep or not dot or not owner.strip() or not name.strip():
            raise SiftError(f"--param expects {what.upper()}.NAME=VALUE, got {item!r}")
        if owner.strip() not in known:
            raise SiftError(f"--param names {owner.strip()!r}, which is not a {what} here; "
                                 f"known: {', '.join(known)}")
        out.setdefault(owner.strip(), {})[name.strip()] = value.strip()
    return out


def add_text_options(p: argparse.ArgumentParser, view_help: str = "text embedded per record") -> None:
    """``--model``, ``--view``, ``--turns`` and ``--shape``: which records and text a command embeds."""
    p.add_argument("--model", default=None, help="sentence-transformers model name or path (default: all-MiniLM-L6-v2)")
    p.add_argument("--view", default="instruction", choices=["instruction", "instruction+response"],
                   help=f"{view_help} (default: instruction)")
    p.add_argument("--turns", default="first", choices=["first", "all"], help="chat turns used (default: first)")
    p.add_argument("--shape", default="auto", help="record shape override (default: auto-detect)")
