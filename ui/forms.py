"""Widgets that keep their values and widgets built from registry parameters (streamlit).

Streamlit drops the state of widgets a page does not draw; :func:`persist` keeps a page's choices across page
switches. :func:`param_form` draws one widget per ``core.params.Param`` of a selector, so the forms follow the
registry instead of being written by hand.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import streamlit as st

from core.params import Param


def persist(key: str, default: Any) -> None:
    """Keep a page widget's value across page switches (Streamlit drops state of widgets not drawn).

    Call before creating the widget with ``key=key`` and no explicit default.
    """
    shadow = f"_keep_{key}"
    ss = st.session_state
    if key in ss:
        ss[shadow] = ss[key]
    else:
        ss[key] = ss.get(shadow, default)


def valid_choice(key: str, options: Sequence[Any], default: Any) -> None:
    """Reset session value ``key`` to ``default`` when it is no longer one of ``options``."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def param_widget(param: Param, key: str) -> Any:
    """Draw one widget for ``param`` and return its value, typed as the Param's kind.

    The value is kept across page switches (:func:`persist`), starting from the Param's default.
    """
    label = param.name.replace("_", " ")
    help_text = param.help or None
    if param.choices is not None:
        choices = list(param.choices)
        default = param.default if param.default in choices else choices[0]
        persist(key, default)
        valid_choice(key, choices, default)
        return st.selectbox(label, choices, help=help_text, key=key,
                            format_func=lambda c: "none" if c is None else str(c))
    if param.kind is bool:
        persist(key, bool(param.default))
        return st.checkbox(label, help=help_text, key=key)
    if param.kind is int:
        low = None if param.low is None else int(np.ceil(param.low))
        high = None if param.high is None else int(np.floor(param.high))
        persist(key, int(param.default))
        return int(st.number_input(label, min_value=low, max_value=high, step=1, help=help_text, key=key))
    if param.kind is float:
        low = None if param.low is None else float(param.low)
        high = None if param.high is None else float(param.high)
        persist(key, float(param.default))
        step = float_step(float(param.default), low, high)
        return float(st.number_input(label, min_value=low, max_value=high, step=step,
                                     format=float_format(step, float(param.default)), help=help_text, key=key))
    persist(key, "" if param.default is None else str(param.default))
    text = st.text_input(label, help=help_text, key=key)
    return param.kind(text) if param.kind not in (str, object) and text else text


def param_form(params: Sequence[Param], key_prefix: str, skip: Sequence[str] = (), columns: int = 3) -> dict:
    """Draw a widget per Param, laid out in ``columns`` columns; return {name: value}."""
    shown = [p for p in params if p.name not in skip]
    if not shown:
        st.caption("This selector has no parameters.")
        return {}
    cols = st.columns(min(columns, len(shown)))
    values = {}
    for i, param in enumerate(shown):
        with cols[i % len(cols)]:
            values[param.name] = param_widget(param, key=f"{key_prefix}:{param.name}")
    return values


def float_step(value: float, low: float | None, high: float | None) -> float:
    """A sensible step for a float input: about 1/100 of its range (or of its default), at most 1."""
    if low is not None and high is not None and np.isfinite(high - low) and high - low <= 100:
        span = high - low
    else:
        span = abs(value) or 1.0
    return float(min(10.0 ** np.floor(np.log10(max(span, 1e-9) / 100.0) + 0.01), 1.0))


def float_format(step: float, default: float) -> str:
    """A printf format showing enough decimals for ``step`` and the default (scientific for tiny values)."""
    if default != 0 and abs(default) < 1e-3:
        return "%.2e"
    digits = max(1, int(-np.floor(np.log10(step)))) if step < 1 else 1
    return f"%.{min(digits, 6)}f"
