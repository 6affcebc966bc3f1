"""The workspace on disk: ``$SIFT_HOME`` (default ``~/.sift``), a SQLite catalogue with arrays beside it.

Layout::

    $SIFT_HOME/catalogue.sqlite      pools, runs, keep/drop marks and each pool's working subset (SQLite, WAL)
    $SIFT_HOME/runs/<uid>/order.npy  a run's pick order (int64 pool rows)
    $SIFT_HOME/runs/<uid>/gains.npy  its gains (float64, NaN where a selector has none)
    $SIFT_HOME/arrays/<kind>/<key>.npy  derived arrays such as map coordinates (core.workspace.arrays)
    $SIFT_HOME/cache/embeddings/     the embedding cache per chunk (core.embed, unless $SIFT_CACHE_DIR is set)

A pool is keyed by its file's SHA-256 and how it was read (shape, column map, id field, record count), so a renamed
or moved copy of a file is the same pool and the same file read another way is not. A run row holds the method,
parameters, seed, budget, feature settings, info, time, who made it (app or CLI) and a name; its arrays are
written first (``core.fileio.atomic_write``: a temporary file renamed into place) and the row is inserted in one
transaction after them, so a process killed at any moment (``kill -9`` included) leaves either a whole run or
none (at worst an orphan array folder, which :meth:`Workspace.sweep` removes once old). Every connection waits
up to ``BUSY_TIMEOUT_S`` for a lock, so the app and any number of CLI commands can use one workspace at once.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional, Union

import numpy as np

from core.errors import SiftError
from core.fileio import atomic_write
from core.workspace.record import RunRecord, now_utc

HOME_ENV = "SIFT_HOME"
DEFAULT_HOME = "~/.sift"
CATALOGUE = "catalogue.sqlite"
BUSY_TIMEOUT_S = 30.0
#: Orphan run folders (arrays without a catalogue row) younger than this may belong to a run being written.
ORPHAN_AGE_S = 3600.0
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS pools (
    id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, load_options TEXT NOT NULL, name TEXT, path TEXT, format TEXT,
    shape TEXT, rows INTEGER NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, pool_id TEXT NOT NULL REFERENCES pools(id),
    kind TEXT NOT NULL, name TEXT NOT NULL, method TEXT NOT NULL, params TEXT NOT NULL, seed INTEGER,
    budget INTEGER NOT NULL, picks INTEGER NOT NULL, features TEXT NOT NULL, info TEXT NOT NULL,
    seconds REAL NOT NULL, origin TEXT NOT NULL, created_utc TEXT NOT NULL, order_sha256 TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS runs_by_pool ON runs(pool_id, id);
CREATE TABLE IF NOT EXISTS marks (
    pool_id TEXT NOT NULL, record_id TEXT NOT NULL, mark TEXT NOT NULL CHECK (mark IN ('keep', 'drop')),
    set_utc TEXT NOT NULL, PRIMARY KEY (pool_id, record_id));
CREATE TABLE IF NOT EXISTS working (
    pool_id TEXT PRIMARY KEY, origin TEXT NOT NULL, rows INTEGER NOT NULL, indices BLOB NOT NULL,
    sha256 TEXT NOT NULL, set_utc TEXT NOT NULL);
"""
#: A curator's mark on a record: always keep it (must-include) or never pick it (see :meth:`Workspace.set_marks`).
MARKS = ("keep", "drop")


def home() -> Path:
    """The workspace folder: ``$SIFT_HOME``, else ``~/.sift``."""
    return Path(os.environ.get(HOME_ENV) or DEFAULT_HOME).expanduser()


def pool_id(pool_entry: dict) -> str:
    """The catalogue key of a pool: its file's SHA-256 (16 hex) and a digest (8 hex) of how it was read: the load
    options but leniency, and the number of records (lenient loading of a file without bad lines is the same
    pool as a strict one; one that skipped lines is not)."""
    how = {k: v for k, v in (pool_entry.get("load_options") or {}).items() if k != "lenient"}
    how["rows"] = int(pool_entry["rows"])
    options = json.dumps(how, sort_keys=True)
    return f"{pool_entry['sha256'][:16]}-{hashlib.sha256(options.encode('utf-8')).hexdigest()[:8]}"


def _npy_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def _order_digest(indices: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(indices, dtype=np.int64).tobytes()).hexdigest()


class Workspace:
    """The catalogue and arrays under ``root`` (default :func:`home`); every call opens its own connection, so
    one Workspace may be shared by threads (Streamlit sessions) and processes."""

    def __init__(self, root: Union[None, str, Path] = None) -> None:
        self.root = Path(root).expanduser() if root is not None else home()
        self.path = self.root / CATALOGUE
        try:
            (self.root / "runs").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SiftError(f"cannot create the workspace {self.root}: {exc.strerror or exc} "
                            f"(set {HOME_ENV} to a writable folder)") from None
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(SCHEMA)
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            elif version > SCHEMA_VERSION:
                raise SiftError(f"{self.path}: written by a newer sift (catalogue version {version})")

    # ------------------------------------------------------------------ connections
    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise SiftError(f"cannot open the workspace catalogue {self.path}: {exc}") from None
        try:
            con.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            con.execute("PRAGMA foreign_keys=ON")
            con.row_factory = sqlite3.Row
            yield con
        except sqlite3.DatabaseError as exc:
            raise SiftError(f"workspace catalogue {self.path}: {exc}") from None
        finally:
            con.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: the write lock is taken up front, waiting if busy)."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # ------------------------------------------------------------------ runs
    def add_run(self, record: RunRecord) -> RunRecord:
        """Store ``record`` (arrays first, then its row) and return it with its id (and a default name,
        ``"<method> k=<picks> #<id>"``, when it has none)."""
        uid = uuid.uuid4().hex
        folder = self.root / "runs" / uid
        folder.mkdir(parents=True)
        atomic_write(folder / "order.npy", _npy_bytes(record.indices))
        atomic_write(folder / "gains.npy", _npy_bytes(record.gains))
        pool = record.pool
        pid = pool_id(pool)
        stamp = now_utc()
        with self._write() as con:
            con.execute("INSERT INTO pools (id, sha256, load_options, name, path, format, shape, rows, first_seen, "
                        "last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                        "name=excluded.name, path=excluded.path, last_seen=excluded.last_seen",
                        (pid, pool["sha256"], json.dumps(pool.get("load_options") or {}, sort_keys=True),
                         pool.get("name"), pool.get("path"), pool.get("format"), pool.get("shape"),
                         int(pool["rows"]), stamp, stamp))
            cur = con.execute(
                "INSERT INTO runs (uid, pool_id, kind, name, method, params, seed, budget, picks, features, info, "
                "seconds, origin, created_utc, order_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (uid, pid, record.kind, record.name, record.method, json.dumps(record.params), record.seed,
                 int(record.budget), len(record), json.dumps(record.features), json.dumps(record.info),
                 float(record.seconds), record.origin, record.created_utc, _order_digest(record.indices)))
            run_id = int(cur.lastrowid)
            if not record.name:
                record.name = f"{record.method} k={len(record)} #{run_id}"
                con.execute("UPDATE runs SET name=? WHERE id=?", (record.name, run_id))
        record.id = run_id
        return record

    def runs(self, *, sha256: Optional[str] = None, pool: Optional[dict] = None, kind: Optional[str] = None,
             arrays: bool = True) -> list[RunRecord]:
        """Stored runs, oldest first: all, those of one file (``sha256``), or of one pool as loaded (``pool``, a
        record's pool entry: same file and load options); ``kind`` "run" or "subset". ``arrays=False`` leaves
        the pick orders unread (empty arrays), for quick listings."""
        sql, args = "SELECT runs.*, pools.sha256, pools.load_options, pools.name AS pool_name, pools.path, " \
                    "pools.format, pools.shape, pools.rows FROM runs JOIN pools ON pools.id = runs.pool_id", []
        where = []
        if pool is not None:
            where.append("runs.pool_id = ?")
            args.append(pool_id(pool))
        if sha256 is not None:
            where.append("pools.sha256 = ?")
            args.append(sha256)
        if kind is not None:
            where.append("runs.kind = ?")
            args.append(kind)
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._connect() as con:
            rows = con.execute(sql + " ORDER BY runs.id", args).fetchall()
        return [self._record(row, arrays) for row in rows]

    def run(self, run_id: Any, *, arrays: bool = True) -> RunRecord:
        """The run with id ``run_id`` (``arrays=False``: without reading its pick order); SiftError when there
        is none."""
        rid = self._id(run_id)
        with self._connect() as con:
            row = con.execute("SELECT runs.*, pools.sha256, pools.load_options, pools.name AS pool_name, pools.path, "
                              "pools.format, pools.shape, pools.rows FROM runs JOIN pools ON pools.id = runs.pool_id "
                              "WHERE runs.id = ?", (rid,)).fetchone()
        if row is None:
            raise SiftError(f"no run {rid} in the workspace {self.root} (python -m core runs list shows them)")
        return self._record(row, arrays)

    def rename(self, run_id: Any, name: str) -> RunRecord:
        """Give run ``run_id`` the name ``name`` (1 to 200 characters)."""
        name = str(name).strip()
        if not 0 < len(name) <= 200:
            raise SiftError("a run name has 1 to 200 characters")
        rid = self._id(run_id)
        with self._write() as con:
            if con.execute("UPDATE runs SET name=? WHERE id=?", (name, rid)).rowcount == 0:
                raise SiftError(f"no run {rid} in the workspace {self.root}")
        return self.run(rid, arrays=False)

    def delete(self, run_id: Any) -> None:
        """Remove run ``run_id``: its row (in one transaction), then its arrays."""
        rid = self._id(run_id)
        with self._write() as con:
            row = con.execute("SELECT uid FROM runs WHERE id=?", (rid,)).fetchone()
            if row is None:
                raise SiftError(f"no run {rid} in the workspace {self.root}")
            con.execute("DELETE FROM runs WHERE id=?", (rid,))
        shutil.rmtree(self.root / "runs" / row["uid"], ignore_errors=True)

    # ------------------------------------------------------------------ keep/drop marks
    def marks(self, pool: dict) -> dict[str, str]:
        """The keep/drop marks on records of ``pool`` (a record's pool entry): {record id: "keep" | "drop"}, in the
        order they were set."""
        with self._connect() as con:
            rows = con.execute("SELECT record_id, mark FROM marks WHERE pool_id = ? ORDER BY set_utc, rowid",
                               (pool_id(pool),)).fetchall()
        return {row["record_id"]: row["mark"] for row in rows}

    def set_marks(self, pool: dict, record_ids: Any, mark: Optional[str]) -> int:
        """Mark the records ``record_ids`` (their pool ids) of ``pool`` "keep" or "drop", or clear their marks
        (``mark=None``), in one transaction; a record has at most one mark. Returns how many records changed."""
        if mark is not None and mark not in MARKS:
            raise SiftError(f"a mark is one of {', '.join(MARKS)} (or none to clear), got {mark!r}")
        pid, ids, stamp = pool_id(pool), [str(r) for r in record_ids], now_utc()
        with self._write() as con:
            if mark is None:
                return sum(con.execute("DELETE FROM marks WHERE pool_id = ? AND record_id = ?", (pid, r)).rowcount
                           for r in ids)
            return sum(con.execute("INSERT INTO marks (pool_id, record_id, mark, set_utc) VALUES (?, ?, ?, ?) "
                                   "ON CONFLICT(pool_id, record_id) DO UPDATE SET mark=excluded.mark, "
                                   "set_utc=excluded.set_utc WHERE marks.mark != excluded.mark",
                                   (pid, r, mark, stamp)).rowcount for r in ids)

    # ------------------------------------------------------------------ the working subset of a pool
    def working_subset(self, pool: dict) -> Optional[tuple[np.ndarray, str]]:
        """``(sorted pool rows, origin)`` of ``pool``'s autosaved working subset (the unnamed one the app is
        working on), or None when there is none or the stored one does not fit the pool (it is then dropped)."""
        pid = pool_id(pool)
        with self._connect() as con:
            row = con.execute("SELECT origin, rows, indices, sha256 FROM working WHERE pool_id = ?",
                              (pid,)).fetchone()
        if row is None:
            return None
        blob = bytes(row["indices"])
        idx = np.frombuffer(blob, dtype="<i8").astype(np.int64) if len(blob) % 8 == 0 else None
        if idx is None or hashlib.sha256(blob).hexdigest() != row["sha256"] or len(idx) != row["rows"] \
                or len(idx) == 0 or idx[0] < 0 or idx[-1] >= int(pool["rows"]) or np.any(np.diff(idx) <= 0):
            self.clear_working_subset(pool)
            return None
        return idx, str(row["origin"])

    def set_working_subset(self, pool: dict, indices: Any, origin: str) -> None:
        """Keep ``indices`` (pool rows) as ``pool``'s working subset, replacing the last one; empty clears it."""
        idx = np.unique(np.asarray(indices, dtype=np.int64))
        if len(idx) == 0:
            self.clear_working_subset(pool)
            return
        if idx[0] < 0 or idx[-1] >= int(pool["rows"]):
            raise SiftError(f"working subset rows must be in 0..{int(pool['rows']) - 1}")
        blob = idx.astype("<i8").tobytes()
        with self._write() as con:
            self._upsert_pool(con, pool)
            con.execute("INSERT INTO working (pool_id, origin, rows, indices, sha256, set_utc) VALUES "
                        "(?, ?, ?, ?, ?, ?) ON CONFLICT(pool_id) DO UPDATE SET origin=excluded.origin, "
                        "rows=excluded.rows, indices=excluded.indices, sha256=excluded.sha256, "
                        "set_utc=excluded.set_utc",
                        (pool_id(pool), str(origin), len(idx), blob, hashlib.sha256(blob).hexdigest(), now_utc()))

    def clear_working_subset(self, pool: dict) -> bool:
        """Drop ``pool``'s working subset; True when there was one."""
        with self._write() as con:
            return con.execute("DELETE FROM working WHERE pool_id = ?", (pool_id(pool),)).rowcount > 0

    @staticmethod
    def _upsert_pool(con: sqlite3.Connection, pool: dict) -> None:
        stamp = now_utc()
        con.execute("INSERT INTO pools (id, sha256, load_options, name, path, format, shape, rows, first_seen, "
                    "last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                    "name=excluded.name, path=excluded.path, last_seen=excluded.last_seen",
                    (pool_id(pool), pool["sha256"], json.dumps(pool.get("load_options") or {}, sort_keys=True),
                     pool.get("name"), pool.get("path"), pool.get("format"), pool.get("shape"),
                     int(pool["rows"]), stamp, stamp))

    def pools(self) -> list[dict]:
        """Every pool the catalogue has seen, with its number of stored runs."""
        with self._connect() as con:
            rows = con.execute("SELECT pools.*, COUNT(runs.id) AS runs FROM pools LEFT JOIN runs "
                               "ON runs.pool_id = pools.id GROUP BY pools.id ORDER BY pools.last_seen").fetchall()
        return [dict(row) for row in rows]

    def sweep(self, min_age_s: float = ORPHAN_AGE_S) -> int:
        """Remove run folders without a catalogue row (left by a process killed between its arrays and its row)
        older than ``min_age_s``; returns how many were removed."""
        with self._connect() as con:
            known = {row[0] for row in con.execute("SELECT uid FROM runs")}
        removed = 0
        for folder in (self.root / "runs").iterdir():
            if folder.name in known or not folder.is_dir():
                continue
            if time.time() - folder.stat().st_mtime >= min_age_s:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed

    def integrity(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` result ("ok" for a sound catalogue)."""
        with self._connect() as con:
            return str(con.execute("PRAGMA integrity_check").fetchone()[0])

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _id(run_id: Any) -> int:
        try:
            return int(str(run_id).strip().lstrip("#"))
        except ValueError:
            raise SiftError(f"a run id is a number (python -m core runs list shows them), got {run_id!r}") from None

    def _record(self, row: sqlite3.Row, arrays: bool) -> RunRecord:
        folder = self.root / "runs" / row["uid"]
        if arrays:
            try:
                indices = np.load(folder / "order.npy", allow_pickle=False)
                gains = np.load(folder / "gains.npy", allow_pickle=False)
            except (OSError, ValueError) as exc:
                raise SiftError(f"run {row['id']}: its arrays in {folder} cannot be read ({exc})") from None
            if _order_digest(indices) != row["order_sha256"]:
                raise SiftError(f"run {row['id']}: {folder / 'order.npy'} does not match the catalogue")
        else:
            indices, gains = np.zeros(0, np.int64), np.zeros(0)
        pool = {"sha256": row["sha256"], "name": row["pool_name"], "path": row["path"], "format": row["format"],
                "shape": row["shape"], "rows": row["rows"], "load_options": json.loads(row["load_options"])}
        record = RunRecord(method=row["method"], params=json.loads(row["params"]), seed=row["seed"],
                           budget=row["budget"], indices=indices, gains=gains, pool=pool,
                           features=json.loads(row["features"]), seconds=row["seconds"], origin=row["origin"],
                           name=row["name"], kind=row["kind"], info=json.loads(row["info"]),
                           created_utc=row["created_utc"], id=row["id"], picks=int(row["picks"]))
        return record


def open_workspace(root: Union[None, str, Path] = None) -> Workspace:
    """The workspace at ``root`` (default ``$SIFT_HOME`` or ``~/.sift``), created on first use; array folders
    orphaned by a killed writer more than an hour ago are removed (:meth:`Workspace.sweep`)."""
    ws = Workspace(root)
    try:
        ws.sweep()
    except OSError:  # a folder removed meanwhile by another process: nothing to do
        pass
    return ws
