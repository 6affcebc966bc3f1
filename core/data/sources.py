"""Open what the user gave us (a path, an upload, raw bytes) as a binary stream, without modifying it.

A source is resolved once into a :class:`Source`: its display name, its path (None for uploads), the file
format taken from the extension, and a way to open a fresh binary stream. Nothing here writes anywhere.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Optional

from core.errors import InputError

#: File extension -> format name understood by the readers.
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv",
              ".parquet": "parquet", ".pq": "parquet"}
FORMATS = ("jsonl", "json", "csv", "tsv", "parquet")
#: Compressed variants read transparently (stdlib gzip); hashes are of the decompressed content.
GZIP_EXTENSIONS = (".jsonl.gz", ".ndjson.gz", ".json.gz", ".csv.gz", ".tsv.gz")


@dataclass
class Source:
    """A resolved input: ``name`` (file name), ``label`` (how messages name it: the path as given, or the upload's
    name), ``path`` (None for uploads) and ``fmt`` (see FORMATS)."""

    name: str
    label: str
    path: Optional[Path]
    fmt: str
    opener: Callable[[], BinaryIO]
    size: Optional[int] = None
    raw_opener: Optional[Callable[[], BinaryIO]] = None

    def open(self) -> BinaryIO:
        """A new binary stream positioned at the start (read-only for files; decompressed for ``.gz``)."""
        return self.opener()

    def sha256(self, chunk: int = 1 << 20) -> str:
        """Hex SHA-256 of the bytes, read in chunks (the data is never held twice)."""
        digest = hashlib.sha256()
        with self.open() as stream:
            for block in iter(lambda: stream.read(chunk), b""):
                digest.update(block)
        return digest.hexdigest()


def is_gzip(name: str) -> bool:
    """True for the compressed names read transparently (``.jsonl.gz``, ``.json.gz``, ``.csv.gz``, ...)."""
    return name.lower().endswith(GZIP_EXTENSIONS)


def format_of(name: str) -> Optional[str]:
    """The format implied by a file name's extension (``.gz`` looks at the one before), or None when unknown."""
    if is_gzip(name):
        name = name[:-3]
    return EXTENSIONS.get(Path(name).suffix.lower())


def _gzip_opener(opener: Callable[[], BinaryIO]) -> Callable[[], BinaryIO]:
    import gzip

    return lambda: gzip.GzipFile(fileobj=opener(), mode="rb")


def resolve_source(source: Any, *, name: Optional[str] = None, fmt: Optional[str] = None) -> Source:
    """Resolve ``source`` (str/Path, bytes, or a file-like object such as Streamlit's UploadedFile).

    Uploads are read with ``getvalue()`` when available (so the caller's stream position is untouched),
    else with ``read()``; ``name`` overrides the object's own ``name`` (needed for raw bytes).
    """
    if isinstance(source, (str, Path)):
        path = Path(source).expanduser()
        display = str(source)
        if not path.exists():
            raise InputError("file not found", file=display)
        if path.is_dir():
            raise InputError("is a folder, not a data file", file=display)
        kind = _pick_format(fmt, path.name, display)
        try:
            open(path, "rb").close()
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}", file=display) from None
        raw = lambda: open(path, "rb")  # noqa: E731
        if is_gzip(path.name):
            return Source(name=name or path.name, label=display, path=path, fmt=kind, opener=_gzip_opener(raw),
                          size=path.stat().st_size, raw_opener=raw)
        return Source(name=name or path.name, label=display, path=path, fmt=kind, opener=raw,
                      size=path.stat().st_size)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        display = name or "<bytes>"
    elif hasattr(source, "getvalue") or hasattr(source, "read"):
        display = name or getattr(source, "name", None) or "<upload>"
        if hasattr(source, "getvalue"):
            data = source.getvalue()
        else:
            start = source.tell() if hasattr(source, "seekable") and source.seekable() else None
            data = source.read()
            if start is not None:
                source.seek(start)
        if isinstance(data, str):
            raise InputError("expected a binary upload (bytes), got text; open the file in 'rb' mode", file=display)
        data = bytes(data)
    else:
        raise InputError(f"cannot read a {type(source).__name__}; give a path, bytes or an uploaded file")
    kind = _pick_format(fmt, display, display)
    raw_bytes = lambda: io.BytesIO(data)  # noqa: E731
    if is_gzip(display):
        return Source(name=Path(display).name, label=display, path=None, fmt=kind, opener=_gzip_opener(raw_bytes),
                      size=len(data), raw_opener=raw_bytes)
    return Source(name=Path(display).name, label=display, path=None, fmt=kind, opener=raw_bytes, size=len(data))


def _pick_format(fmt: Optional[str], filename: str, display: str) -> str:
    if fmt is not None:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}; supported: {', '.join(FORMATS)}", file=display)
        return fmt
    kind = format_of(filename)
    if kind is None:
        raise InputError(f"cannot tell the format from the extension {Path(filename).suffix or '(none)'!r}; "
                         f"supported: {', '.join(sorted(EXTENSIONS))} (and .gz of the text formats)", file=display)
    return kind


def iter_lines(stream: BinaryIO, digest: Optional[Any] = None) -> Iterator[tuple[int, int, bytes]]:
    """Yield ``(line_number, byte_offset, raw_line)`` splitting on b"\\n" only, one line at a time.

    Splitting the bytes (not decoded text) keeps U+2028 and lone "\\r" inside a line, as JSON Lines requires.
    ``digest`` (a hashlib object) is fed every byte on the way.
    """
    offset = 0
    for number, raw in enumerate(stream, start=1):
        if digest is not None:
            digest.update(raw)
        yield number, offset, raw
        offset += len(raw)


def decode_line(raw: bytes, *, line: int, offset: int, file: str) -> str:
    """Decode one line as strict UTF-8 (a leading BOM on line 1 is dropped); name the bad byte on failure."""
    if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw, offset = raw[3:], offset + 3
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise utf8_error(exc, file=file, line=line, line_offset=offset) from None


def utf8_error(exc: UnicodeDecodeError, *, file: str, line: int, line_offset: int) -> InputError:
    """An InputError naming the offending byte, its file offset and column."""
    bad = exc.object[exc.start:exc.start + 1].hex()
    return InputError(f"byte 0x{bad} at byte offset {line_offset + exc.start} (column {exc.start + 1}) is not "
                      f"valid UTF-8; save the file as UTF-8", file=file, line=line)


def new_digest() -> Any:
    """A fresh SHA-256 hasher (kept here so readers share one choice of hash)."""
    return hashlib.sha256()
