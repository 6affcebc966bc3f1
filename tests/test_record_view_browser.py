"""Real-browser test of the record view on a hostile record: Streamlit's own Markdown renderer (GitHub-flavoured,
with LaTeX, emoji and colour directives) must show the escaped prose as typed, inline code as ``<code>``, no link,
image, emphasis, maths or HTML from the data, and every metadata value whole (the table's ``|`` inside its cell).

Reuses the server fixture and helpers of tests/test_browser.py (skips the same way without chromium/playwright).
"""

from __future__ import annotations

import json
import urllib.parse

from test_browser import _no_exception, _settle, browser_page, server  # noqa: F401

from ui.text import WORD_JOINER, code_segments

PROSE = ("Run `rm -rf <b>x</b>` then [click](javascript:alert(1)) ![img](http://x.test/y.png) <script>alert(1)"
         "</script> &amp; **bold** _em_ ~~gone~~ $x^2$ :red[red] :smile: www.example.com x@example.com\n"
         "    indented\n1. listed\n# heading\n---\nlast `a``b` line `www.in.code` end")


def test_hostile_record_renders_as_text_and_code(server, tmp_path):  # noqa: F811
    record = {"id": "h1", "instruction": PROSE, "input": "", "output": "Plain answer.", "source": "web|crawl",
              "category": "sec*ur_ity", "quality": 3.5, "tags": ["x", "<i>y</i>"], "notes": "long value " * 150,
              "meta": {"nested": {"k": [1, 2, {"z": "<i>"}]}}}
    others = [{"id": f"o{i}", "instruction": f"question {i}", "input": "", "output": f"answer {i}",
               "source": "web", "category": "plain", "quality": 1.0, "tags": ["x"]} for i in range(5)]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [record, *others]) + "\n", encoding="utf-8")
    with browser_page() as page:
        page.goto(f"{server}/Dataset?file={urllib.parse.quote(str(path))}", timeout=120_000)
        page.get_by_role("heading", name="Record", exact=True).wait_for(timeout=120_000)
        _settle(page)
        _no_exception(page)
        prose = page.locator('[data-testid="stMarkdownContainer"]', has_text="alert(1)").last
        html = prose.inner_html()
        for tag in ("<a", "<img", "<script", "<em", "<strong", "<del", "<h1", "<ol", "<li", "<hr", "katex",
                    "<span"):
            assert tag not in html, (tag, html)
        shown = " ".join(prose.inner_text().replace("\u00a0", " ").replace(WORD_JOINER, "").split())
        pieces = code_segments(PROSE)
        assert shown == " ".join("".join(b for _, _, b in pieces).split())  # every character as typed
        assert prose.locator("code").all_inner_texts() == [b for k, _, b in pieces if k == "inline"]
        table = page.locator('[data-testid="stMarkdownContainer"] table').first
        cells = table.locator("td").all_inner_texts()
        assert cells[:10] == ["id", "h1", "source", "web|crawl", "category", "sec*ur_ity", "quality", "3.5",
                              "tags", "x, <i>y</i>"]
        right = page.locator(".st-key-ds_record_view_meta")
        assert " ".join(record["notes"].split()) in " ".join(right.inner_text().split())  # whole, scrollable
        nested = right.locator('[data-testid="stCode"]').first.inner_text()
        assert json.loads(nested) == record["meta"]
        page.wait_for_timeout(300)
