"""The records of a JSON Lines pool, read back on demand from their byte offsets instead of kept in memory.

Loading a JSON Lines file keeps columns (texts, ids, tag codes, quality, ...) and the byte offset of each record's
line; :class:`LazyRecords` re-parses a line when a record dict is asked for (export, the record view, search,
``--where``), with the same parser as the load, so a record reads back exactly as it was validated. Before reading
it checks the file is the one loaded (same size and modification time), else it raises InputError.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, BinaryIO, Callable, Iterator, Optional

import numpy as np

from core.errors import InputError

from orjson import loads as _orjson_loads

#: Parsed records kept per pool (shared with its subsets) so asking twice gives the same dict back.
CACHE_RECORDS = 4096


class LazyRecords(Sequence):
    """Read-only sequence of record dicts parsed from ``offsets`` of the stream ``opener`` gives.

    ``lines`` (1-based file lines, for messages), ``label`` (the file as messages name it), ``stamp``
    ((size, mtime_ns) of the file at load; None for uploads, whose bytes cannot change).
    """

    def __init__(self, opener: Callable[[], BinaryIO], offsets: np.ndarray, lines: np.ndarray, label: str,
                 stamp: Optional[tuple[int, int]], *, _shared: Optional[dict] = None) -> None:
        self._opener, self._offsets, self._lines, self._label, self._stamp = opener, offsets, lines, label, stamp
        self._shared = _shared if _shared is not None else _Shared()

    # -- sequence protocol ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self._offsets.shape[0])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._read(int(k)) for k in range(*i.indices(len(self)))]
        k = int(i)  # numpy integers too
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(f"record {i} out of range for {len(self)} records")
        return self._read(k)

    def __iter__(self) -> Iterator[dict]:
        """Every record in order, read with a handle of its own (sequential reads where offsets increase)."""
        from core.data.readers import _jsonl_lines

        if not len(self):
            return
        with self._opener() as handle:
            self._check(handle)

            def raw_lines() -> Iterator[tuple[int, int, bytes]]:
                position = -1
                for offset, line in zip(self._offsets.tolist(), self._lines.tolist()):
                    if offset != position:
                        handle.seek(offset)
                    raw = handle.readline()
                    position = offset + len(raw)
                    yield line, offset, raw

            for item in _jsonl_lines(raw_lines(), self._label):
                yield self._checked(item)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (Sequence, list)) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # mutable-looking sequence: unhashable like a list

    def __deepcopy__(self, memo: dict) -> list:
        """A snapshot: the records as a list of independent dicts."""
        import copy

        return [copy.deepcopy(r, memo) for r in self]

    def __reduce__(self) -> tuple:  # pickling (and copy.copy) give the records as a plain list
        return list, (list(self),)

    def __repr__(self) -> str:
        return f"LazyRecords({self._label!r}, {len(self)} records read from their byte offsets)"

    def take(self, rows: np.ndarray) -> "LazyRecords":
        """The records at ``rows`` (in that order), sharing this sequence's file handle and cache."""
        return LazyRecords(self._opener, self._offsets[rows], self._lines[rows], self._label, self._stamp,
                           _shared=self._shared)

    # -- reading ----------------------------------------------------------------------------------------
    def _handle(self) -> BinaryIO:
        shared = self._shared
        if shared.handle is None:
            shared.handle = self._opener()
        return shared.handle

    def _check(self, handle: BinaryIO) -> None:
        if self._stamp is None:
            return
        st = os.fstat(handle.fileno())
        if (st.st_size, st.st_mtime_ns) != self._stamp:
            raise InputError("the file changed after it was loaded (its size or modification time differ); "
                             "load it again", file=self._label)

    def _read(self, k: int) -> dict:
        offset = int(self._offsets[k])
        shared = self._shared
        record = shared.cache.get(offset)
        if record is not None:
            return record
        from core.data.readers import _DIGITS_TO_ZERO, _LONG_RUN, _jsonl_lines

        line = int(self._lines[k])
        with shared.lock:
            handle = self._handle()
            self._check(handle)
            handle.seek(offset)
            raw = handle.readline()
        record = None
        if _LONG_RUN not in raw.translate(_DIGITS_TO_ZERO):  # the loader's fast path, taken the same way
            try:
                record = _orjson_loads(raw)
            except ValueError:
                record = None
        if type(record) is not dict:  # anything else: exactly the loader's per-line parse
            items = list(_jsonl_lines(iter([(line, offset, raw)]), self._label))
            record = self._checked(items[0] if len(items) == 1 else None, line)
        cache = shared.cache
        if len(cache) >= CACHE_RECORDS:
            cache.popitem(last=False)
        cache[offset] = record
        return record

    def _checked(self, item: Any, line: Optional[int] = None) -> dict:
        """The record of a re-parsed line, or InputError when the line no longer holds a record."""
        if isinstance(item, tuple) and type(item[1]) is dict:
            return item[1]
        where = item.line if item is not None and not isinstance(item, tuple) else line
        raise InputError("this line no longer holds the record that was loaded; load the file again",
                         file=self._label, line=where)

    def close(self) -> None:
        """Close the file handle (it is reopened if a record is asked for again)."""
        self._shared.close()


class _Shared:
    """What a pool's records and its subsets share: the open handle, its lock and the parsed-record cache."""

    def __init__(self) -> None:
        self.cache: OrderedDict[int, dict] = OrderedDict()
        self.lock = threading.Lock()
        self.handle: Optional[BinaryIO] = None

    def close(self) -> None:
        with self.lock:
            handle, self.handle = self.handle, None
        if handle is not None:
            handle.close()

    def __del__(self) -> None:  # the last sequence sharing the handle is gone: close it (no ResourceWarning)
        handle = self.handle
        if handle is not None:
            handle.close()
