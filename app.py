"""sift: look at, measure and select instruction-tuning data. Run with ``streamlit run app.py``.

The entry point is the router: ``ui.shell.run_app`` sets the page config, calls ``st.navigation`` over the scripts
in ``pages/``, draws the sidebar (dataset picker and embedding settings) and runs the chosen page. Per-session state
is in ``ui/state.py``, cached core objects in ``ui/cached.py``, figures in ``ui/figures.py``; the work in ``core/``.
"""

from ui.shell import run_app

run_app()
