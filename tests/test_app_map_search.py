"""AppTest of the Map's search box on the bundled sample: text matches listed and drawn as a layer, a bad regex is
a message, "records like this text" ranks by cosine, matches become the working subset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("streamlit.testing.v1")
from streamlit.testing.v1 import AppTest  # noqa: E402

from core.data import load_pool  # noqa: E402
from core.search import search_pool  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def _names(at) -> list[str]:
    return [t.get("name", "") for el in at.get("plotly_chart") for t in json.loads(el.proto.spec)["data"]]


def _submit(at) -> None:
    """Press the search form's submit button."""
    buttons = [b for b in at.get("button") if getattr(b, "label", "") == "Search"]
    assert buttons, "no Search button"
    buttons[0].click().run()


def test_map_search_modes(sample_path):
    pool = load_pool(sample_path)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/2_Map.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    expected = len(search_pool(pool, "python"))
    at.text_input(key="map_search_query").input("python")
    _submit(at)
    assert not at.exception, [e.value for e in at.exception]
    assert any(h.value == f"Search: {expected:,} matches" for h in at.subheader)
    assert f"search matches ({expected:,})" in _names(at)
    # a bad regular expression is an error message, not a traceback
    at.selectbox(key="map_search_mode").set_value("regex")
    at.text_input(key="map_search_query").input("(python")
    _submit(at)
    assert not at.exception
    assert any("bad regular expression" in e.value for e in at.error)
    # records like this text: the 50 nearest by cosine, most similar first, listed with their cosine
    at.selectbox(key="map_search_mode").set_value("records like this text")
    at.text_input(key="map_search_query").input("a function in Python that sorts a list")
    _submit(at)
    assert not at.exception, [e.value for e in at.exception]
    assert any(h.value == "Search: 50 matches" for h in at.subheader)
    table = next(d.value for d in at.dataframe if "cosine" in d.value.columns)
    assert list(table["cosine"]) == sorted(table["cosine"], reverse=True)
    cats = table[pool.fieldmap.category].tolist()
    assert cats[:10].count("coding") >= 7
    at.button(key="map_search_ws").click().run()
    assert not at.exception
    assert at.session_state["working_subset"]["indices"].size == 50
