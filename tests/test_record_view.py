"""The record view's text handling on hostile input: the prose / fenced code / inline code splitter
(ui.text.code_segments), the Markdown it turns prose into (rendered here by markdown-it, a CommonMark parser: only
paragraphs, line breaks and code come out, and the visible text is the record's), metadata shown whole, and the
Dataset page drawing a hostile record (AppTest) with no HTML allowed anywhere."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest

from ui.record_view import meta_items, meta_table_markdown, segments
from ui.text import WORD_JOINER, code_segments, md_code_span, md_literal, prose_markdown, unlink

HOSTILE = ("Run `rm -rf <b>x</b>` then [click](javascript:alert(1)) ![img](http://x.test/y.png) "
           "<script>alert(1)</script> &amp; &lt;b&gt; **bold** _em_ $x^2$ :red[red] :smile: www.example.com\n"
           "    indented\n1. listed\n# heading\n> quote\n---\n| a | b |\n<img src=x onerror=alert(1)>")


def test_splitter_prose_fenced_and_inline_code():
    text = "Use `git reset HEAD~1` (the default ``--mixed` ``)\n\n```bash\ngit log\n```\nthen `x`."
    assert code_segments(text) == [
        ("text", "", "Use "), ("inline", "", "git reset HEAD~1"), ("text", "", " (the default "),
        ("inline", "", "--mixed` "), ("text", "", ")"), ("code", "bash", "git log"),
        ("text", "", "then "), ("inline", "", "x"), ("text", "", ".")]
    assert segments is code_segments  # the record view uses this one splitter


@pytest.mark.parametrize("text", ["one ` lone tick", "``two` mismatched", "a ``` b", "```\nunclosed fence",
                                  "`across\nlines`", "` `", "<script>alert(1)</script>", ""])
def test_splitter_leaves_unbalanced_or_empty_code_as_prose(text):
    pieces = code_segments(text)
    assert all(kind == "text" for kind, _, _ in pieces)
    assert "".join(body for _, _, body in pieces) == text.strip("\n") if text.strip() else pieces == []


def test_splitter_keeps_html_and_markdown_inside_code_as_typed():
    text = "x `<script>alert(1)</script>` y\n~~~html\n<img src=x onerror=alert(1)>\n[a](b)\n~~~"
    assert code_segments(text) == [("text", "", "x "), ("inline", "", "<script>alert(1)</script>"),
                                   ("text", "", " y"), ("code", "html", "<img src=x onerror=alert(1)>\n[a](b)")]


def _render(markdown: str) -> str:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def _visible(rendered: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace("\u00a0", " ").replace(WORD_JOINER, "")
                    .split())


def _check_inert(text: str) -> None:
    """prose_markdown of ``text`` renders to paragraphs, breaks and code only, showing the text's characters."""
    pieces = [p for p in code_segments(text) if p[0] != "code"]
    rendered = _render(prose_markdown(pieces))
    tags = set(re.findall(r"</?([a-zA-Z0-9]+)", rendered))
    assert tags <= {"p", "br", "code"}, (text, rendered)
    want = " ".join("".join(body for _, _, body in pieces).replace("\u00a0", " ").split())
    assert _visible(rendered) == want, (text, rendered)
    codes = [html.unescape(c) for c in re.findall(r"<code>(.*?)</code>", rendered, re.DOTALL)]
    assert codes == [b for k, _, b in pieces if k == "inline"], (text, rendered)  # each code span exactly


def test_prose_markdown_of_hostile_text_is_inert_and_keeps_every_character():
    _check_inert(HOSTILE)
    rendered = _render(prose_markdown(code_segments(HOSTILE)))
    assert "<code>rm -rf &lt;b&gt;x&lt;/b&gt;</code>" in rendered  # inline code shown as code, its HTML as text
    assert rendered.count("<br") == HOSTILE.count("\n")  # newlines kept


def test_prose_markdown_fuzzed_on_markdown_and_html_specials():
    rng = np.random.default_rng(0)
    atoms = list("ab `*_[]()!<>&#;:/\\|~=-+.1$\n\t ") + ["<script>", "</b>", "http://x.y", "&amp;", "&#60;",
                                                          "```", "``", "- ", "1. ", "    ", "www.", "![a](b)"]
    for _ in range(400):
        _check_inert("".join(atoms[i] for i in rng.integers(0, len(atoms), size=int(rng.integers(1, 40)))))


def test_bare_urls_and_addresses_get_a_word_joiner():
    assert unlink("www.a.com, https://b.org, me@c.net, awww.d") == \
        f"www{WORD_JOINER}.a.com, https:{WORD_JOINER}//b.org, me{WORD_JOINER}@c.net, awww.d"
    assert unlink("file.jsonl line 2: no url") == "file.jsonl line 2: no url"


def test_code_span_and_literal_helpers():
    assert md_code_span("a`b") == "``a`b``" and md_code_span("`x") == "`` `x ``" and md_code_span("x") == "`x`"
    assert md_literal("  1. a\nb") == "\u00a0\u00a01\\. a  \nb"
    assert md_literal(" x", line_start=False) == " x"
    with pytest.raises(ValueError):
        prose_markdown([("code", "", "x")])


def test_meta_items_show_every_value_whole():
    long = "word " * 400
    meta = {"id": "r1", "tags": ["a|b", "c"], "quality": 8.4, "ok": True, "none": None, "notes": long,
            "lines": "one\ntwo", "nested": {"k": [1, {"z": "<i>"}]}, "mixed": [1, "a"]}
    items = meta_items(meta)
    assert [f for f, _, _ in items] == list(meta)
    kinds = {f: (k, t) for f, k, t in items}
    assert kinds["tags"] == ("short", "a|b, c") and kinds["quality"] == ("short", "8.4")
    assert kinds["ok"] == ("short", "true") and kinds["none"] == ("short", "null")
    assert kinds["notes"] == ("long", long) and kinds["lines"] == ("long", "one\ntwo")
    assert kinds["nested"][0] == "json" and json.loads(kinds["nested"][1]) == meta["nested"]
    assert "\n  " in kinds["nested"][1]  # pretty-printed
    assert kinds["mixed"][0] == "json"
    rendered = _render(meta_table_markdown([it for it in items if it[1] == "short"]))
    cells = [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", rendered)]
    assert cells == [x for f, k, t in items if k == "short" for x in (f, t)]  # the | stays inside its cell


def test_dataset_page_draws_a_hostile_record_as_text_and_code(tmp_path):
    pytest.importorskip("streamlit.testing.v1")
    from streamlit.testing.v1 import AppTest

    from ui.text import prose_markdown

    from pathlib import Path

    record = {"id": "h1", "instruction": HOSTILE, "input": "", "category": "sec|ur*ity <b>", "quality": 3.5,
              "tags": ["x", "y"], "output": "Fix:\n```python\nprint('<img src=x onerror=alert(1)>')\n```\nDone.",
              "notes": "long " * 299 + "end", "meta": {"nested": {"k": [1, 2, {"z": "<i>"}]}}}
    others = [{"id": f"o{i}", "instruction": f"question {i}", "input": "", "output": f"answer {i}",
               "category": "plain", "quality": 1.0, "tags": ["x"]} for i in range(5)]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [record, *others]) + "\n", encoding="utf-8")
    app = Path(__file__).resolve().parents[1] / "app.py"
    at = AppTest.from_file(str(app), default_timeout=180)
    at.query_params["file"] = str(path)
    at.run()
    at.switch_page("pages/1_Dataset.py")
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="ds_record").value == "h1"
    assert not any(m.proto.allow_html for m in at.markdown)  # no dataset text is ever allowed to be HTML
    assert prose_markdown(code_segments(HOSTILE)) in [m.value for m in at.markdown]  # inline code as code
    assert "print('<img src=x onerror=alert(1)>')" in [c.value for c in at.code]  # fenced code as code
    nested = [c.value for c in at.code if c.proto.language == "json"]
    assert [json.loads(v) for v in nested] == [record["meta"]]  # nested metadata pretty-printed, whole
    assert record["notes"] in [t.value for t in at.text]  # the long value whole (scrolls in its box)
    table = next(m.value for m in at.markdown if m.value.startswith("| field | value |"))
    assert md_literal(record["category"]) in table and f"| {md_literal(3.5)} |" in table
