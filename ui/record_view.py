"""A readable view of one record: instruction, input and every chat turn as text, code as code, metadata beside it.

Dataset text is untrusted. Prose without inline code goes through ``st.text`` (plain text, never Markdown or HTML;
newlines kept); prose with inline code through ``st.markdown`` of :func:`ui.text.prose_markdown` (every ASCII
punctuation character escaped, code as code spans); fenced code through ``st.code``. Metadata values are shown
whole: short ones in a Markdown table of escaped cells, long ones as wrapped text (scrollable past
:data:`SCROLL_CHARS`), nested ones as pretty-printed JSON in ``st.code``. :func:`segments`, :func:`record_parts`
and :func:`meta_items` are pure, so tests check them without a browser.
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Optional, Sequence

from ui.text import code_segments

#: Fields of the conversation itself (shown as turns, not as metadata), per shape.
_TEXT_FIELDS = {"alpaca": ("instruction", "input", "output"), "sharegpt": ("conversations",),
                "openai": ("messages",), "mig": ("dialogs",)}
#: Metadata keys shown first, in this order, when the record has them.
KEY_FIELDS = ("id", "_id", "source", "category", "quality", "score", "tags")
#: Values of one line up to this many characters go into the metadata table; longer ones get a block of their own.
SHORT_CHARS = 80
#: Text values longer than this (or of more than :data:`SCROLL_LINES` lines) scroll in a box of
#: :data:`SCROLL_HEIGHT` pixels instead of stretching the page.
SCROLL_CHARS = 600
SCROLL_LINES = 12
SCROLL_HEIGHT = 220

#: ``segments(text)``: the text split into prose, fenced code and inline code (``ui.text.code_segments``).
segments = code_segments


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


def meta_items(meta: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """``(field, kind, text)`` per metadata field, in order, each value whole: ``kind`` is ``"short"`` (one line of
    at most :data:`SHORT_CHARS` characters), ``"long"`` (longer or multi-line text) or ``"json"`` (a mapping, or a
    list holding anything but strings, pretty-printed with 2-space indents). Lists of strings read as
    ``"a, b, c"``; other scalars as JSON (``8.4``, ``true``, ``null``)."""
    out = []
    for field, value in meta.items():
        if isinstance(value, str):
            text = value
        elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            text = ", ".join(value)
        elif isinstance(value, (Mapping, list, tuple)):
            out.append((str(field), "json", json.dumps(value, ensure_ascii=False, indent=2, default=str)))
            continue
        else:
            text = json.dumps(value, ensure_ascii=False, default=str)
        short = len(text) <= SHORT_CHARS and "\n" not in text and "\r" not in text
        out.append((str(field), "short" if short else "long", text))
    return out


def meta_table_markdown(items: Sequence[tuple[str, str, str]]) -> str:
    """A two-column Markdown table (field, value) of ``items``; every cell through ``ui.text.md_literal`` (which
    escapes ``|`` too), so a value can neither end its cell nor render as Markdown or HTML."""
    from ui.text import md_literal

    rows = [f"| {md_literal(f)} | {md_literal(t)} |" for f, _, t in items]
    return "\n".join(["| field | value |", "|---|---|", *rows])


def _show_text(pieces: Sequence[tuple[str, str, str]]) -> None:
    """One run of prose and inline-code pieces: plain text when there is no inline code, else escaped Markdown."""
    import streamlit as st

    from ui.text import prose_markdown

    if any(kind == "inline" for kind, _, _ in pieces):
        st.markdown(prose_markdown(pieces))
    else:
        st.text("".join(body for _, _, body in pieces))


def show_turn(text: str) -> None:
    """The text of one turn: prose (with inline code) and fenced code blocks in order."""
    import streamlit as st

    pieces = segments(text)
    if not pieces:
        st.caption("(empty)")
    run: list[tuple[str, str, str]] = []
    for piece in pieces + [("code", "", None)]:  # a sentinel flushes the last run of prose
        if piece[0] != "code":
            run.append(piece)
            continue
        if run:
            _show_text(run)
            run = []
        if piece[2] is not None:
            st.code(piece[2], language=piece[1].lower() or None, wrap_lines=True)


def show_meta(items: Sequence[tuple[str, str, str]]) -> None:
    """Metadata ``items`` (:func:`meta_items`): the short ones in one table, then each long or nested one whole."""
    import streamlit as st

    from ui.text import escape_md

    short = [it for it in items if it[1] == "short"]
    if short:
        st.markdown(meta_table_markdown(short))
    for field, kind, text in items:
        if kind == "short":
            continue
        st.markdown(f"**{escape_md(field)}**")
        scroll = len(text) > SCROLL_CHARS or text.count("\n") >= SCROLL_LINES
        if kind == "json":
            st.code(text, language="json", wrap_lines=True, height=SCROLL_HEIGHT if scroll else "content")
        elif scroll:
            with st.container(height=SCROLL_HEIGHT, border=True):
                st.text(text)
        else:
            st.text(text)


def show_record(pool, row: int, *, key: str, extra: Optional[Mapping[str, Any]] = None) -> None:
    """Draw record ``row`` of ``pool``: its text parts on the left (text as text, code as code), its metadata on
    the right (every value whole; ``extra``, values computed by the app such as a cluster, under its own heading),
    and the raw JSON in an expander. ``key`` names the metadata container (CSS class ``st-key-<key>_meta``)."""
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
            show_turn(text)
    with right, st.container(key=f"{key}_meta"):
        items = meta_items(meta)
        if items:
            show_meta(items)
        else:
            st.caption("No other fields.")
        if extra:
            st.caption("Computed by the app (not in the record)")
            show_meta(meta_items(extra))
        with st.expander("Raw JSON"):
            st.json(record, expanded=True)
