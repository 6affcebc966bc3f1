"""The constraint options of ``select`` and ``compare``: ``--include``, ``--exclude``, ``--where``, ``--per``,
``--per-mode``.

``--include FILE`` / ``--exclude FILE``: ids (the pool's ``id`` values, as ``info`` and exports show them), one per
line or a JSON list; ``--where COLUMN=VALUE`` (repeatable; all must hold) restricts the candidates to records
whose field equals the value (compared as text: ``--where quality=7.5``, ``--where source=alpaca``);
``--per COLUMN`` splits the budget over the column's values (``--per-mode proportional``, the default, or
``equal``). The semantics are :mod:`core.constraints`'; the file checks run before any embedding, the ids are
checked against the pool as soon as it is loaded (an unknown id names its file and line).
"""

from __future__ import annotations

import argparse
from typing import Any, Optional

from core.constraints import PER_MODES, Constraints, from_pool, parse_where
from core.errors import SiftError


def add_constraint_options(p: argparse.ArgumentParser) -> None:
    """``--include``, ``--exclude``, ``--where`` (repeatable), ``--per``, ``--per-mode``."""
    g = p.add_argument_group("constraints (every selector honours them)")
    g.add_argument("--include", default=None, metavar="FILE",
                   help="ids that must be selected (one per line, or a JSON list); they come first and count in "
                        "the budget")
    g.add_argument("--exclude", default=None, metavar="FILE", help="ids that must never be selected (same format)")
    g.add_argument("--where", action="append", default=[], metavar="COLUMN=VALUE",
                   help="pick only among records whose COLUMN equals VALUE (repeatable: all must hold)")
    g.add_argument("--per", default=None, metavar="COLUMN",
                   help="split the budget over the values of COLUMN (e.g. source) and select within each")
    g.add_argument("--per-mode", default=PER_MODES[0], choices=PER_MODES,
                   help="how --per splits the budget: proportional to each value's records (largest remainder, "
                        "default) or equal shares")


def check_constraint_options(args: argparse.Namespace) -> None:
    """Fast checks before any slow work: the id files are readable, every ``--where`` is COLUMN=VALUE."""
    from core.cli.options import check_readable

    check_readable(getattr(args, "include", None), "--include")
    check_readable(getattr(args, "exclude", None), "--exclude")
    for clause in getattr(args, "where", None) or []:
        parse_where(clause)


def constraints_from(args: argparse.Namespace, pool: Any) -> Optional[Constraints]:
    """The constraints the options describe on ``pool`` (None when none is given)."""
    return from_pool(pool, include=args.include, exclude=args.exclude, where=args.where or (), per=args.per,
                     per_mode=args.per_mode)


def constraint_argv(record: dict, source: str) -> list[str]:
    """The options that repeat the constraints recorded in a manifest's ``params["constraints"]``.

    Constraints made from files and filters repeat as ``--include``/``--exclude``/``--where``/``--per``; row lists
    made in the app (marks, map subsets) cannot be spelled on the command line: a SiftError says so.
    """
    argv: list[str] = []
    for key, option in (("include", "--include"), ("exclude", "--exclude")):
        if record.get(key) and not record.get(f"{key}_file"):
            raise SiftError(f"{source}: the run's {key} list was made in the app, not from a file, so the command "
                            f"line cannot repeat it; write its ids to a file and pass {option}")
        if record.get(f"{key}_file"):
            argv += [option, str(record[f"{key}_file"])]
    if record.get("candidate_rows") is not None:
        raise SiftError(f"{source}: the run's candidates are a row subset made in the app, which the command line "
                        "cannot repeat (use --where COLUMN=VALUE)")
    for clause in record.get("where") or []:
        argv += ["--where", str(clause)]
    if record.get("per"):
        argv += ["--per", str(record["per"]), "--per-mode", str(record.get("per_mode", PER_MODES[0]))]
    return argv
