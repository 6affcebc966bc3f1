"""The workspace: durable runs in ``$SIFT_HOME`` shared by the app and the CLI, and the one export path.

- :mod:`core.workspace.record`: :class:`RunRecord`, everything needed to show, export and repeat a run, built
  from a Selection and its Features by :func:`record_run` (and :func:`record_subset` for named subsets);
- :mod:`core.workspace.export`: :func:`export_run`, the added columns and manifest of every export (the app's
  Export page, ``python -m core select`` and ``python -m core runs export``);
- :mod:`core.workspace.catalogue`: :class:`Workspace`, the SQLite catalogue (WAL mode) with arrays beside it;
- :mod:`core.workspace.arrays`: derived arrays kept across processes (:func:`cached_array`, map coordinates by
  :func:`map_coordinates`) in ``$SIFT_HOME/arrays/<kind>/<key>.npy``.
"""

from core.workspace.catalogue import HOME_ENV, Workspace, home, open_workspace, pool_id
from core.workspace.export import COLUMN_MEANINGS, export_columns, export_run, features_for_export, run_manifest
from core.workspace.record import RunRecord, check_pool, pool_entry, record_run, record_subset

__all__ = ["HOME_ENV", "Workspace", "home", "open_workspace", "pool_id", "COLUMN_MEANINGS", "export_columns",
           "export_run", "features_for_export", "run_manifest", "RunRecord", "check_pool", "pool_entry",
           "record_run", "record_subset"]
