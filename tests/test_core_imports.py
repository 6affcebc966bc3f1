"""The core never imports the UI stack: importing every module of ``core`` loads neither streamlit nor plotly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_WALK = r"""
import importlib, json, pkgutil, sys
import core
names = sorted(m.name for m in pkgutil.walk_packages(core.__path__, "core."))
for name in names:
    importlib.import_module(name)
ui = sorted(m for m in sys.modules if m.split(".")[0] in ("streamlit", "plotly"))
print(json.dumps({"modules": names, "ui": ui}))
"""


def _walk() -> dict:
    done = subprocess.run([sys.executable, "-c", _WALK], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_every_core_module_loads_neither_streamlit_nor_plotly():
    found = _walk()
    # the walk really covers the package: the registries, the CLI commands and the data layer are in it
    assert {"core.metrics.registry", "core.selectors.registry", "core.cli", "core.data.pool",
            "core.compare", "core.baseline"} <= set(found["modules"])
    assert len(found["modules"]) >= 40
    assert found["ui"] == []


def test_the_check_sees_a_ui_import():
    """The same walk reports streamlit when something in the process imports it (the check can fail)."""
    done = subprocess.run([sys.executable, "-c", "import streamlit\n" + _WALK], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "streamlit" in json.loads(done.stdout.strip().splitlines()[-1])["ui"]
