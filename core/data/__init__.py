"""Load instruction pools (JSONL / JSON / CSV / TSV / Parquet, and .gz of the text formats; Alpaca, ShareGPT,
OpenAI, MIG, prompt/response or your own columns) into a :class:`Pool`, and export subsets with a manifest that
reproduces them.

Modules: ``sources`` (paths and uploads), ``readers`` (streaming per format), ``shapes`` (record layouts),
``pool`` (``Pool`` and ``load_pool``), ``export`` (JSONL/CSV writers), ``manifest`` (reproducibility record).
"""

from core.data.export import export_subset, to_csv_bytes, to_jsonl_bytes
from core.data.manifest import added_column_names, make_manifest, read_manifest, strip_added, write_manifest
from core.data.pool import MAX_TEXT_CHARS, FieldMap, Pool, load_pool
from core.data.problems import Problem
from core.data.shapes import SHAPES
from core.data.sources import FORMATS

__all__ = ["load_pool", "Pool", "FieldMap", "Problem", "SHAPES", "FORMATS", "MAX_TEXT_CHARS", "export_subset",
           "to_jsonl_bytes", "to_csv_bytes", "added_column_names", "make_manifest", "write_manifest",
           "read_manifest", "strip_added"]
