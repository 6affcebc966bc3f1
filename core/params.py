"""Declarative parameter specs shared by the selector and metric registries (UI forms and CLI flags)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional, Sequence


@dataclass(frozen=True)
class Param:
    """One tunable parameter: name, default, type, help, and an optional range or choice list."""

    name: str
    default: Any
    kind: type = float
    help: str = ""
    low: Optional[float] = None
    high: Optional[float] = None
    choices: Optional[Sequence[Any]] = None

    def parse(self, text: str) -> Any:
        """Convert a CLI string ``text`` to this parameter's type, checking range and choices."""
        from core.errors import SiftError

        try:
            if self.kind is bool:
                low = text.strip().lower()
                if low not in {"1", "0", "true", "false", "yes", "no"}:
                    raise ValueError(text)
                value: Any = low in {"1", "true", "yes"}
            else:
                value = self.kind(text)
        except ValueError:
            raise SiftError(f"parameter '{self.name}' expects {self.kind.__name__}, got {text!r}") from None
        self.check(value)
        return value

    def check(self, value: Any) -> None:
        """Raise SiftError when ``value`` is outside the documented range or choices."""
        from core.errors import SiftError

        if isinstance(value, float) and not math.isfinite(value):
            raise SiftError(f"parameter '{self.name}' must be a finite number, got {value!r}")
        if self.choices is not None and value not in self.choices:
            raise SiftError(f"parameter '{self.name}' must be one of {list(self.choices)}, got {value!r}")
        if self.low is not None and value < self.low or self.high is not None and value > self.high:
            if self.high is None:
                bound = f"at least {self.low}"
            elif self.low is None:
                bound = f"at most {self.high}"
            else:
                bound = f"in [{self.low}, {self.high}]"
            raise SiftError(f"parameter '{self.name}' must be {bound}, got {value!r}")


def resolve_params(specs: Sequence[Param], given: dict, what: str) -> dict:
    """Defaults of ``specs`` overridden by ``given``; unknown names raise a clear error."""
    from core.errors import SiftError

    known = {p.name: p for p in specs}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise SiftError(f"{what} has no parameter {', '.join(unknown)}; known: {', '.join(known) or 'none'}")
    out = {p.name: p.default for p in specs}
    for name, value in given.items():
        if isinstance(value, str) and known[name].kind is not str:
            value = known[name].parse(value)
        else:
            known[name].check(value)
        out[name] = value
    return out
