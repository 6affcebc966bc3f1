"""AppTest of the Dataset page's readable record view and column filter on the bundled sample (no embedding)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("streamlit.testing.v1")
from streamlit.testing.v1 import AppTest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "instructions.jsonl"


def _records() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_key_columns_filter_any_column_and_readable_record():
    records = _records()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=240)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    frame = at.dataframe[0].value
    assert list(frame.columns)[:4] == ["id", "category", "quality", "tags"]  # key columns first
    # filter on any column: the tags column holds "sentiment analysis"
    at.selectbox(key="ds_col").set_value("tags").run()
    at.text_input(key="ds_col_text").input("sentiment analysis").run()
    assert not at.exception and not at.error
    expected = [r["id"] for r in records if "sentiment analysis" in r["tags"]]
    assert at.dataframe[0].value["id"].tolist() == expected
    # the record box offers only matching ids (no stale id), and shows the record as text + code
    assert at.selectbox(key="ds_record").value == expected[0]
    with_code = next(r for r in records if "```" in r["output"])
    at.text_input(key="ds_col_text").input("").run()
    at.selectbox(key="ds_col").set_value("id").run()
    at.text_input(key="ds_col_text").input(with_code["id"]).run()
    assert at.selectbox(key="ds_record").value == with_code["id"]
    texts = [t.value for t in at.text]
    assert with_code["instruction"] in texts  # prose as plain text, newlines kept
    assert at.code, "fenced code is shown as code"
    assert json.loads(at.json[0].value) == with_code  # the raw record, every field, in an expander
    # a bad regex is a message, not a traceback
    at.radio(key="ds_col_mode").set_value("regex").run()
    at.text_input(key="ds_col_text").input("(unclosed").run()
    assert not at.exception
    assert any("bad regular expression" in e.value for e in at.error)
