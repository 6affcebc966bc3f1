"""Values remembered per numpy array, only while that very array lives.

A pool-sized array's derived values (its kNN density, the hash of its bytes) are costly and asked for many times
in one process (a compare's runs and random draws, a selection and its export). :class:`ArrayMemo` keeps them keyed
by what the caller chooses (e.g. the data address, shape and dtype) and holds a weak reference to an ``owner``
array: an entry is used only while that owner is alive, so memory freed and reused by another array never matches.
An array changed in place is not detected (arrays here are read, never written).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Hashable, Optional


class ArrayMemo:
    """A thread-safe map ``key -> value`` whose entries live as long as their owner array.

    ``max_entries``: at most this many entries (the oldest goes first); None keeps every live one.
    """

    def __init__(self, max_entries: Optional[int] = None) -> None:
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[weakref.ref, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, owner: Any) -> Any:
        """The value stored under ``key`` for this very ``owner``, else None."""
        with self._lock:
            hit = self._entries.get(key)
        return hit[1] if hit is not None and hit[0]() is owner else None

    def put(self, key: Hashable, owner: Any, value: Any) -> None:
        """Remember ``value`` for ``owner`` (not remembered when ``owner`` cannot be weakly referenced); entries
        whose owner has gone are dropped, then the oldest beyond ``max_entries``."""
        try:
            ref = weakref.ref(owner)
        except TypeError:
            return
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = (ref, value)
            for stale in [k for k, (r, _) in self._entries.items() if r() is None]:
                del self._entries[stale]
            if self.max_entries is not None:
                while len(self._entries) > self.max_entries:
                    del self._entries[next(iter(self._entries))]

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
