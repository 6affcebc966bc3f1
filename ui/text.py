"""Text helpers shared by the pages and the figures: one-line previews, Markdown and HTML escaping, plurals.

Pure functions (no streamlit), so figures and tables use the same ones. Dataset text is untrusted: it reaches
st.markdown/st.caption only through :func:`escape_md` and plotly labels only through :func:`hover` / :func:`html_text`.
"""

from __future__ import annotations

import html
import re
from typing import Any

#: Characters of a record text shown in one-line previews (tables, hover labels).
PREVIEW_CHARS = 90


def short(text: Any, limit: int = 120) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (empty for None)."""
    s = " ".join(str("" if text is None else text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~$:])")


def escape_md(text: Any) -> str:
    """``text`` made inert for st.markdown/st.caption/st.error: Markdown and HTML specials backslash-escaped.

    Kills links, images, raw HTML, emphasis, LaTeX (``$``), emoji shortcodes and ``http:``/``www.`` autolinks,
    while plain words, dots and dashes stay as they are (file names and "line 2" read unchanged).
    """
    out = _MD_SPECIAL.sub(r"\\\1", str(text))
    return re.sub(r"(?i)\b(www)\.", r"\1\\.", out)


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
