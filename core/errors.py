"""User-facing errors: each says what is wrong and where (file, line, field) in plain words."""

from __future__ import annotations

import re

#: Seeds every selector accepts (numpy's legacy RandomState and default_rng both take 0 <= seed < 2**32).
SEED_MAX = 2**32 - 1
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class SiftError(ValueError):
    """Base class for errors whose message is meant to be shown to the user as is."""


class InputError(SiftError):
    """Bad input data; carries the file, 1-based line (or row) and field where known."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.file, self.line, self.field, self.reason = file, line, field, message
        where = []
        if file is not None:
            where.append(str(file))
        if line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


def terminal_safe(text: object, *, keep_newlines: bool = True) -> str:
    """``text`` with control characters (ANSI escapes, carriage returns, bidi overrides, ...) shown as ``\\x1b``-style
    escapes, so data printed to a terminal cannot move the cursor, recolour or hide output. Newline and tab are
    kept unless ``keep_newlines=False`` (one-line error messages); the escapes are the same as Python's ``repr``."""
    s = str(text)
    if not keep_newlines:
        s = s.replace("\n", "\\n")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), s)


def check_seed(seed: object) -> int:
    """Return ``seed`` as int, or raise SiftError unless it is an integer with 0 <= seed < 2**32."""
    if isinstance(seed, bool) or not hasattr(seed, "__index__"):
        try:
            if isinstance(seed, str) and seed.strip().lstrip("+-").isdigit():
                seed = int(seed)
            else:
                raise TypeError
        except (TypeError, ValueError):
            raise SiftError(f"seed must be an integer from 0 to {SEED_MAX}, got {seed!r}") from None
    seed = int(seed)  # type: ignore[arg-type]
    if not 0 <= seed <= SEED_MAX:
        raise SiftError(f"seed must be from 0 to {SEED_MAX} (2**32 - 1), got {seed}")
    return seed


class BudgetError(SiftError):
    """A budget that is not a positive integer no larger than the pool."""


class MissingNeedError(SiftError):
    """A selector or metric was asked to run without an input it needs (labels, quality, ...)."""


def check_budget(budget: int, n: int) -> int:
    """Return ``budget`` as int, or raise BudgetError if it is not in 1..n."""
    if isinstance(budget, bool) or not isinstance(budget, (int,)) and not hasattr(budget, "__index__"):
        raise BudgetError(f"budget must be an integer, got {budget!r}")
    budget = int(budget)
    if budget < 1:
        raise BudgetError(f"budget must be at least 1, got {budget}")
    if budget > n:
        raise BudgetError(f"budget {budget} is larger than the pool ({n} records)")
    return budget
