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


def test_real_pool_shows_source_first_filters_by_value_and_never_a_stale_record(pool_mixed_path):
    """The 16,555-record mixed pool: its ``source`` and ``license`` fields are table columns (source right after
    the id, then category; no empty quality/tags columns, the pool has neither), ``source`` filters by value, and a
    filter that matches nothing shows no record at all."""
    records = [json.loads(line) for line in pool_mixed_path.read_text(encoding="utf-8").split("\n") if line.strip()]
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.query_params["file"] = str(pool_mixed_path)
    at.run()
    at.switch_page("pages/1_Dataset.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["id", "source", "category", "license", "instruction", "response"]
    assert frame["source"].tolist() == [r["source"] for r in records[:len(frame)]]
    at.selectbox(key="ds_col").set_value("source").run()
    picker = at.multiselect(key="ds_col_values")
    assert set(picker.options) >= {"gsm8k", "code_alpaca"} or len(picker.options) == len({r["source"] for r in records})
    picker.set_value(["gsm8k"]).run()
    expected = [r["id"] for r in records if r["source"] == "gsm8k"]
    assert at.dataframe[0].value["id"].tolist() == expected[:1000]
    assert at.selectbox(key="ds_record").value == expected[0]
    at.text_input(key="ds_search").input("zzzz no record says this zzzz").run()
    assert not at.exception
    assert at.dataframe[0].value.empty and not [s for s in at.selectbox if s.key == "ds_record"]
    assert any("No record matches" in i.value for i in at.info)
