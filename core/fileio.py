"""Atomic file writes that follow the user's umask.

Every file sift writes (exports, manifests, caches, the workspace's arrays) goes through :func:`atomic_write`:
the bytes land in a hidden temporary file in the target folder, which is renamed over the target only once
complete, so a crash or ``kill -9`` never leaves a half-written file under the real name. The temporary file is
removed when the write fails or is interrupted (SIGTERM too, once the CLI turns it into SystemExit); after a
``kill -9`` it stays, named ``.<target>.<pid>.<random>.tmp``, is never read as the target, and
:func:`remove_stale_temporaries` deletes it once its process is gone. ``tempfile.mkstemp``
creates files with mode 0600; the finished file is given the mode a plain ``open()`` would have given it
(0666 minus the umask), so exports are as readable as any other file the user writes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Iterable, Optional, Union

from core.errors import SiftError

#: Prefix and suffix of the temporary files, so leftovers of a killed process can be recognised and removed.
TMP_PREFIX, TMP_SUFFIX = ".", ".tmp"


def umask_mode(base: int = 0o666) -> int:
    """The mode ``open()`` would give a new file: ``base`` minus the process umask (read without changing it
    for longer than two calls)."""
    mask = os.umask(0)
    os.umask(mask)
    return base & ~mask


def atomic_write(path: Union[str, Path], data: Union[bytes, Iterable[bytes]], digest: Optional[Any] = None) -> None:
    """Write ``data`` (bytes, or an iterable of byte chunks) to ``path`` through a temporary file in the same
    folder and an atomic rename, so no half-written file is ever left. ``digest`` (a hashlib object) is fed
    every byte written. The file gets the umask's mode. A missing or unwritable folder raises SiftError naming it."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise SiftError(f"cannot write {path}: the folder {folder} does not exist")
    chunks = (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{path.name}.{os.getpid()}.", suffix=TMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise SiftError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                if digest is not None:
                    digest.update(chunk)
                fh.write(chunk)
        os.chmod(tmp, umask_mode())
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise SiftError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def remove_stale_temporaries(folder: Union[str, Path], *, max_age: float = 3600.0) -> int:
    """Delete temporary files that :func:`atomic_write` left in ``folder`` when its process was killed: those
    whose writer process no longer runs, or (no pid in the name) older than ``max_age`` seconds. Returns how many
    were removed; files that cannot be removed are left alone."""
    import time

    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if not (name.startswith(TMP_PREFIX) and name.endswith(TMP_SUFFIX)) or not entry.is_file(follow_symlinks=False):
            continue
        parts = name[len(TMP_PREFIX):-len(TMP_SUFFIX)].split(".")
        pid = int(parts[-2]) if len(parts) >= 3 and parts[-2].isdigit() else None
        try:
            stale = (not _process_alive(pid)) if pid is not None else \
                time.time() - entry.stat(follow_symlinks=False).st_mtime > max_age
            if stale:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed
