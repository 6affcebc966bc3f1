"""Text helpers shared by the pages and the figures: one-line previews, Markdown and HTML escaping, plurals.

Pure functions (no streamlit), so figures and tables use the same ones. Dataset text is untrusted: it reaches
st.markdown/st.caption only through :func:`escape_md` and plotly labels only through :func:`hover` / :func:`html_text`.
"""

from __future__ import annotations

import html
import re
import string
from typing import Any, Sequence

#: Characters of a record text shown in one-line previews (tables, hover labels).
PREVIEW_CHARS = 90


def short(text: Any, limit: int = 120) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (empty for None)."""
    s = " ".join(str("" if text is None else text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~$:])")
#: U+2060 WORD JOINER: invisible, and not a character a URL or an e-mail address may contain.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<![^\W_])(www)(?=\.)|\b(https?|ftp|mailto|xmpp)(:)|(?<=[\w.+-])(?=@)")


def unlink(text: Any) -> str:
    """``text`` with a word joiner (U+2060, invisible) after ``www``, after the colon of ``http:``/``https:``/
    ``ftp:``/``mailto:``/``xmpp:`` and before ``@``: Streamlit's GitHub-flavoured Markdown turns bare URLs and
    e-mail addresses into links even when their dots and colons are backslash-escaped (seen in the browser test
    tests/test_record_view_browser.py), and a character they cannot contain stops it."""
    return _AUTOLINK.sub(lambda m: (m.group(1) + WORD_JOINER) if m.group(1) else
                         (m.group(2) + ":" + WORD_JOINER) if m.group(2) else WORD_JOINER, str(text))


def escape_md(text: Any) -> str:
    """``text`` made inert for st.markdown/st.caption/st.error: Markdown and HTML specials backslash-escaped.

    Kills links, images, raw HTML, emphasis, LaTeX (``$``), emoji shortcodes and bare-URL/e-mail autolinks
    (:func:`unlink`), while plain words, dots and dashes stay as they are (file names and "line 2" read unchanged).
    """
    return _MD_SPECIAL.sub(r"\\\1", unlink(text))


def html_text(text: Any) -> str:
    """``text`` escaped for plotly labels, titles and legend names (plotly renders a subset of HTML)."""
    return html.escape(str(text))


def hover(text: Any, limit: int = 160, width: int = 60) -> str:
    """Escaped, truncated text for plotly hover labels, wrapped with <br> every ~``width`` characters."""
    words, lines, line = short(text, limit).split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(html.escape(x) for x in lines)


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 edge"``, ``"2 edges"``, ``"1,000 labels"``: the count with thousands separators and the right form."""
    form = word if int(count) == 1 else (many or word + "s")
    return f"{int(count):,} {form}"


# ------------------------------------------------------------------------------- prose, fenced and inline code

#: A Markdown code fence: ``` or ~~~ (3 or more) at a line start, an optional language word, the code, the same
#: fence closing on a line of its own.
_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+#.-]*)[^\n]*\n(?P<code>.*?)^(?P=fence)[ \t]*$",
                    re.MULTILINE | re.DOTALL)
#: Inline code on one line: a run of n backticks, text, a run of exactly n backticks (CommonMark's rule).
_INLINE = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?P<code>[^\n]+?)(?<!`)(?P=ticks)(?!`)")


def code_segments(text: str) -> list[tuple[str, str, str]]:
    """``text`` split into ``("text", "", prose)``, ``("code", language, code)`` (fenced blocks) and
    ``("inline", "", code)`` (inline code on one line) pieces, in order.

    Pure splitting, no rendering: an unclosed fence or an unbalanced backtick stays prose, shown as typed. Prose
    between two fenced blocks loses its leading and trailing newlines and is dropped when blank; prose around
    inline code keeps its spaces.
    """
    text = text or ""
    out: list[tuple[str, str, str]] = []

    def prose(block: str) -> None:
        block = block.strip("\n")
        if not block.strip():
            return
        pos = 0
        for m in _INLINE.finditer(block):
            if not m.group("code").strip():  # `` ` ` `` holds nothing to show as code
                continue
            if m.start() > pos:
                out.append(("text", "", block[pos:m.start()]))
            out.append(("inline", "", m.group("code")))
            pos = m.end()
        if pos < len(block):
            out.append(("text", "", block[pos:]))

    pos = 0
    for m in _FENCE.finditer(text):
        prose(text[pos:m.start()])
        out.append(("code", m.group("lang") or "", m.group("code").rstrip("\n")))
        pos = m.end()
    prose(text[pos:])
    return out


_ASCII_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")


def md_literal(text: Any, line_start: bool = True) -> str:
    """``text`` as Markdown that shows exactly these characters: every ASCII punctuation character is
    backslash-escaped (CommonMark makes any escaped punctuation literal, so no link, image, HTML tag, entity,
    emphasis, list, heading, rule, table, LaTeX or Streamlit directive survives; bare URLs and e-mail addresses get
    an invisible word joiner, :func:`unlink`), spaces and tabs opening a line
    become no-break spaces (no indented code block) and each newline a hard line break (newlines kept).
    ``line_start=False`` when the text continues a line (after inline code): its first spaces stay spaces."""
    lines = []
    for i, line in enumerate(str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        body = line.lstrip(" \t") if (i or line_start) else line
        indent = line[: len(line) - len(body)].replace("\t", "    ").replace(" ", "\u00a0")
        lines.append(indent + _ASCII_PUNCT.sub(r"\\\1", unlink(body)))
    return "  \n".join(lines)


def md_code_span(code: str) -> str:
    """``code`` as one Markdown code span (shown as code, its text literal): fenced by one backtick more than its
    longest backtick run, padded with a space when it starts or ends with a backtick or a space (CommonMark strips
    exactly one each side)."""
    code = str(code).replace("\n", " ")
    longest = max((len(r) for r in re.findall(r"`+", code)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if code[:1] in ("`", " ") or code[-1:] in ("`", " ") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def prose_markdown(pieces: Sequence[tuple[str, str, str]]) -> str:
    """Markdown for consecutive ``("text", ...)`` and ``("inline", ...)`` pieces of :func:`code_segments`: prose
    through :func:`md_literal`, inline code through :func:`md_code_span`. Untrusted text in, inert Markdown out."""
    out = []
    for kind, _, body in pieces:
        if kind == "inline":
            out.append(md_code_span(body))
        elif kind == "text":
            out.append(md_literal(body, line_start=not out or out[-1].endswith("\n")))
        else:
            raise ValueError(f"prose_markdown takes text and inline pieces, not {kind!r}")
    return "".join(out)
