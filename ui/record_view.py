"""A readable view of one record: instruction, input and every chat turn as text, code blocks as code, metadata
beside it.

Dataset text is untrusted: prose goes through ``st.text`` (shown as plain text, never Markdown or HTML; newlines
kept) and fenced code through ``st.code``; field names and values in the metadata through ``escape_md`` or a
dataframe. :func:`segments` and :func:`record_parts` are pure, so tests check them without a browser.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping, Optional, Sequence

#: A Markdown code fence: ``` or ~~~ (3 or more), an optional language word, the code, the same fence closing.
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+#.-]*)[^\n]*\n(?P<code>.*?)^(?P=fence)[ \t]*$",
                    re.MULTILINE | re.DOTALL)
#: Fields of the conversation itself (shown as turns, not as metadata), per shape.
_TEXT_FIELDS = {"alpaca": ("instruction", "input", "output"), "sharegpt": ("conversations",),
                "openai": ("messages",), "mig": ("dialogs",)}
#: Metadata keys shown first, in this order, when the record has them.
KEY_FIELDS = ("id", "_id", "source", "category", "quality", "score", "tags")


def segments(text: str) -> list[tuple[str, str, str]]:
    """``text`` split into ``("text", "", part)`` and ``("code", language, code)`` pieces at fenced code blocks
    (an unclosed fence stays text); empty text pieces are dropped."""
    out, pos = [], 0
    for m in _FENCE.finditer(text or ""):
        before = text[pos:m.start()]
        if before.strip():
            out.append(("text", "", before.strip("\n")))
        out.append(("code", m.group("lang") or "", m.group("code").rstrip("\n")))
        pos = m.end()
    rest = (text or "")[pos:]
    if rest.strip():
        out.append(("text", "", rest.strip("\n")))
    return out


def record_parts(record: Mapping[str, Any], shape: str, columns: Optional[Mapping[str, str]] = None
                 ) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """``(parts, metadata)`` of a record: ``parts`` are (heading, text) in reading order (Alpaca: instruction,
    input, output; chats: one per turn, named by role); ``metadata`` holds every other field, key fields first."""
    from core.data.shapes import get_shape

    if shape == "alpaca":
        parts = [(f, str(record.get(f) or "")) for f in _TEXT_FIELDS["alpaca"] if record.get(f)]
        used: Sequence[str] = _TEXT_FIELDS["alpaca"]
    else:
        turns = get_shape(shape, columns).turns(record)
        parts = [(role, text) for role, text in turns]
        used = _TEXT_FIELDS.get(shape, tuple((columns or {}).get(k) for k in ("instruction", "input", "response")
                                             if (columns or {}).get(k)))
        if shape == "prompt_response":
            used = tuple(k for k in ("prompt", "response", "completion", "question", "answer") if k in record)
    meta_keys = [k for k in KEY_FIELDS if k in record and k not in used]
    meta_keys += [k for k in record if k not in used and k not in meta_keys]
    return parts, {k: record[k] for k in meta_keys}


def _meta_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def show_record(pool, row: int, *, key: str, extra: Optional[Mapping[str, Any]] = None) -> None:
    """Draw record ``row`` of ``pool``: its text parts on the left (text as text, code as code), its metadata
    (plus ``extra``, e.g. computed scores) on the right, and the raw JSON in an expander."""
    import pandas as pd
    import streamlit as st

    from ui.text import escape_md

    record = pool.records[row]
    parts, meta = record_parts(record, pool.shape, pool.load_options.get("columns"))
    st.caption(f"Record {escape_md(pool.ids[row])} · row {row:,} · line {int(pool.lines[row]):,} of "
               f"{escape_md(pool.name)}")
    left, right = st.columns([3, 2])
    with left:
        if not parts:
            st.info("This record has no text turns.")
        for heading, text in parts:
            st.markdown(f"**{escape_md(heading)}**")
            pieces = segments(text)
            if not pieces:
                st.caption("(empty)")
            for kind, lang, body in pieces:
                if kind == "code":
                    st.code(body, language=lang.lower() or None)
                else:
                    st.text(body)
    with right:
        rows = [{"field": k, "value": _meta_value(v)} for k, v in meta.items()]
        rows += [{"field": k, "value": _meta_value(v)} for k, v in (extra or {}).items()]
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"{key}_meta")
        with st.expander("Raw JSON"):
            st.json(record, expanded=True)
