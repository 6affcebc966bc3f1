"""Stream records out of JSON Lines, JSON arrays, CSV and Parquet files, one parsed dict at a time.

Every reader yields either ``(line, value)`` (the parsed top-level value and its 1-based line) or a
:class:`~core.data.problems.Problem` for a line that can be skipped in lenient mode. Damage that leaves the rest
of the file unreadable (a broken JSON array, a non-UTF-8 byte in a CSV, a corrupt Parquet file) raises
:class:`~core.errors.InputError` even in lenient mode. Readers feed a hashlib object so the file's SHA-256
comes for free from the same single pass.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from typing import Any, Iterator, Optional, Union

from core.data.problems import Problem
from core.data.sources import Source, decode_line, iter_lines, utf8_error
from core.errors import InputError

Item = Union[tuple[int, Any], Problem]
_SPACE = re.compile(r"[ \t\n\r]*")
_CSV_CELL_LIMIT = 2**31 - 1


def read_records(src: Source, digest: Any) -> Iterator[Item]:
    """Dispatch on ``src.fmt``; see the module docstring for what is yielded."""
    if src.fmt == "jsonl":
        return read_jsonl(src, digest)
    if src.fmt == "json":
        return read_json(src, digest)
    if src.fmt == "csv":
        return read_csv(src, digest)
    if src.fmt == "tsv":
        return read_csv(src, digest, delimiter="\t")
    if src.fmt == "parquet":
        return read_parquet(src, digest)
    raise InputError(f"unknown format {src.fmt!r}", file=src.label)


def read_jsonl(src: Source, digest: Any, *, offsets: bool = False) -> Iterator[Item]:
    """One JSON value per line; blank lines are allowed; read in blocks of BLOCK_BYTES (never all at once).

    ``offsets``: yield ``(line, value, byte_offset)`` (where the line starts in the stream) instead of pairs."""
    with src.open() as stream:
        if src.raw_opener is None:  # a plain file or upload: read in blocks (a .gz keeps its line-by-line reads)
            yield from _jsonl_blocks(stream, digest, src.label, offsets=offsets)
        else:
            yield from _jsonl_lines(iter_lines(stream, digest), src.label, offsets=offsets)


#: A line whose digits, all mapped to "0", hold a run of 19 (a number orjson might read differently from ``json``:
#: integers beyond 64 bits become floats there) takes the ``json`` path; translate + find is 5x faster than a regex.
_DIGITS_TO_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_LONG_RUN = b"0" * 19


def _jsonl_lines(lines: Iterator[tuple[int, int, bytes]], file: str, hint: str = "", *,
                 offsets: bool = False) -> Iterator[Item]:
    """Parse each line: orjson first (about twice as fast, and its key cache shares key strings across records);
    any line orjson refuses (bad UTF-8, NaN/Infinity, lone surrogates, out-of-range numbers, deep nesting, a BOM)
    or that holds a long digit run is parsed by ``json`` exactly as before, so every value and every error message
    is the ``json`` module's. ``offsets``: yield ``(line, value, byte_offset)`` triples."""
    import orjson

    fast, zeros, run = orjson.loads, _DIGITS_TO_ZERO, _LONG_RUN
    for line, offset, raw in lines:
        if raw.isspace() or not raw:
            continue
        if run not in raw.translate(zeros):
            try:
                value = fast(raw)
            except orjson.JSONDecodeError:
                pass  # the json path below gives the value or the exact error
            else:
                yield (line, value, offset) if offsets else (line, value)
                continue
        item = _json_line(line, offset, raw, file, hint)
        if offsets and type(item) is tuple:
            item = (line, item[1], offset)
        yield item


def _json_line(line: int, offset: int, raw: bytes, file: str, hint: str = "") -> Item:
    """``(line, value)`` or a Problem for one line parsed by ``json`` (the path every line orjson refuses or that
    holds a long digit run takes): the ``json`` module's values and messages."""
    try:
        text = decode_line(raw, line=line, offset=offset, file=file)
    except InputError as exc:
        return Problem(line, None, exc.reason)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return Problem(line, None, f"malformed JSON: {exc.msg} (column {exc.colno}){hint}")
    except (ValueError, RecursionError) as exc:
        return Problem(line, None, unparsable_reason(exc))
    if ("\\ud" in text or "\\uD" in text) and (bad := lone_surrogate(value)) is not None:
        return Problem(line, bad, LONE_SURROGATE)
    if type(value) is dict:
        # Share one copy of each key string across records: a third less memory on wide pools.
        intern = sys.intern
        value = {intern(k): v for k, v in value.items()}
    return line, value


#: Bytes read (and hashed) at a time by :func:`_jsonl_blocks`.
BLOCK_BYTES = 1 << 20


def _jsonl_blocks(stream: Any, digest: Any, file: str, *, offsets: bool = False,
                  block: int = BLOCK_BYTES) -> Iterator[Item]:
    """What ``_jsonl_lines(iter_lines(stream, digest), file)`` yields, read ``block`` bytes at a time.

    Each block is hashed once and split on b"\\n" in one call, and the long-digit-run test (see ``_LONG_RUN``) is
    made once per block (a run cannot cross a newline); only a block that holds one tests its lines one by one.
    A line orjson refuses goes to :func:`_json_line` with its newline, exactly the bytes ``iter_lines`` gives."""
    import orjson

    fast, error, zeros, run = orjson.loads, orjson.JSONDecodeError, _DIGITS_TO_ZERO, _LONG_RUN
    number, offset = 0, 0
    parts: list[bytes] = []  # the start of a line that continues in the next block
    newline, final = b"\n", False
    while not final:
        data = stream.read(block)
        if data:
            if digest is not None:
                digest.update(data)
            if b"\n" not in data:  # inside one long line: keep the pieces, join them once
                parts.append(data)
                continue
            if parts:
                parts.append(data)
                data, parts = b"".join(parts), []
            pieces = data.split(b"\n")
            tail = pieces.pop()
            if tail:
                parts.append(tail)
        else:  # end of the stream: the last line has no newline
            if not parts:
                return
            data = b"".join(parts)
            pieces, newline, final = [data], b"", True
        check = run in data.translate(zeros)
        for raw in pieces:
            number += 1
            start = offset
            offset += len(raw) + len(newline)
            if not raw or raw.isspace():
                continue
            if not (check and run in raw.translate(zeros)):
                try:
                    value = fast(raw)
                except error:
                    pass  # the json path gives the value or the exact error
                else:
                    yield (number, value, start) if offsets else (number, value)
                    continue
            item = _json_line(number, start, raw + newline, file)
            yield (number, item[1], start) if offsets and type(item) is tuple else item


def read_json(src: Source, digest: Any) -> Iterator[Item]:
    """A JSON array of records (read whole: JSON arrays cannot be streamed line by line).

    A ``.json`` file that starts with ``{`` is read as JSON Lines, the common mislabelled case.
    """
    with src.open() as stream:
        data = stream.read()
    digest.update(data)
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = start + exc.start
        line_start = data.rfind(b"\n", 0, pos) + 1
        exc.start, exc.object = pos - line_start, data[line_start:pos + 1]
        raise utf8_error(exc, file=src.label, line=data.count(b"\n", 0, pos) + 1, line_offset=line_start) from None
    del data
    pos = _SPACE.match(text, 0).end()
    if pos == len(text):
        return
    if text[pos] == "{":
        import io

        hint = " (this .json file starts with '{', so it was read as JSON Lines: one object per line)"
        yield from _jsonl_lines(iter_lines(io.BytesIO(text.encode("utf-8"))), src.label, hint)
        return
    if text[pos] != "[":
        raise InputError("expected a JSON array of records ('[ {...}, {...} ]')",
                         file=src.label, line=text.count("\n", 0, pos) + 1)
    decoder = json.JSONDecoder()
    has_escapes = "\\ud" in text or "\\uD" in text
    line, last = 1, 0
    pos = _SPACE.match(text, pos + 1).end()
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        line += text.count("\n", last, pos)
        last = pos
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(f"malformed JSON: {exc.msg} (column {exc.colno}); a broken JSON array cannot be "
                             f"skipped, fix the file or use JSON Lines", file=src.label, line=exc.lineno) from None
        except (ValueError, RecursionError) as exc:
            raise InputError(unparsable_reason(exc) + "; a broken JSON array cannot be skipped, fix the file or "
                             "use JSON Lines", file=src.label, line=line + text.count("\n", last, pos)) from None
        if has_escapes and (bad := lone_surrogate(value)) is not None:
            yield Problem(line, bad, LONE_SURROGATE)
        else:
            yield line, value
        pos = _SPACE.match(text, end).end()
        if pos < len(text) and text[pos] == ",":
            pos = _SPACE.match(text, pos + 1).end()
            continue
        if pos < len(text) and text[pos] == "]":
            rest = _SPACE.match(text, pos + 1).end()
            if rest != len(text):
                raise InputError("extra data after the closing ']'", file=src.label,
                                 line=text.count("\n", 0, rest) + 1)
            return
        found = "the end of the file" if pos >= len(text) else repr(text[pos])
        raise InputError(f"malformed JSON: expected ',' or ']' after a record, found {found}", file=src.label,
                         line=text.count("\n", 0, pos) + 1)


def read_csv(src: Source, digest: Any, delimiter: str = ",") -> Iterator[Item]:
    """Rows of a CSV (``delimiter="\\t"``: TSV) with a header line, as dicts of strings; each row is reported at
    its first file line.

    Quoted cells may span lines. Empty header names become ``Unnamed: <i>`` (what pandas writes for an index).
    """
    if csv.field_size_limit() < _CSV_CELL_LIMIT:
        # The csv module's 131,072-character default would reject long texts before the shape check could name
        # the field and its size (see max_text_chars); this process-wide setting only ever grows.
        csv.field_size_limit(_CSV_CELL_LIMIT)
    with src.open() as stream:
        lines = iter_lines(stream, digest)
        text_lines = (decode_line(raw, line=n, offset=off, file=src.label) for n, off, raw in lines)
        reader = csv.reader(text_lines, delimiter=delimiter)
        header = None
        while True:
            before = reader.line_num
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                msg = str(exc)
                raise InputError(f"unreadable CSV: {msg}", file=src.label, line=reader.line_num) from None
            if not row:
                continue
            if header is None:
                header = [name if name != "" else f"Unnamed: {i}" for i, name in enumerate(row)]
                seen: dict[str, int] = {}
                for i, name in enumerate(header):
                    if name in seen:
                        raise InputError(f"the header names column '{name}' twice (columns {seen[name] + 1} and "
                                         f"{i + 1})", file=src.label, line=before + 1)
                    seen[name] = i
                continue
            if len(row) != len(header):
                yield Problem(before + 1, None, f"row has {len(row)} cells but the header has {len(header)}")
                continue
            yield before + 1, dict(zip(header, row))


#: Reason given for a string holding half of a UTF-16 surrogate pair (valid JSON, but not encodable text).
LONE_SURROGATE = ("text holds a lone surrogate escape (e.g. \"\\ud800\"): half of a UTF-16 pair, not a character; "
                  "it cannot be tokenized or written as UTF-8")


def unparsable_reason(exc: BaseException) -> str:
    """Plain words for what ``json.loads`` refuses beyond syntax: deep nesting, over-long integers."""
    if isinstance(exc, RecursionError):
        return "malformed JSON: nested too deeply (lists/objects inside each other beyond Python's recursion limit)"
    msg = str(exc)
    if "digits" in msg:
        return f"malformed JSON: an integer is too long ({msg.split(';')[0]})"
    return f"malformed JSON: {msg}"


def lone_surrogate(value: Any) -> Optional[str]:
    """The top-level field (or "(record)") whose text or key holds a lone surrogate, else None.

    Only called on lines whose text contains a ``\\ud`` escape, so the common path pays one substring test.
    """
    stack = [(None, value)]
    while stack:
        top, v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return top if top is not None else "(record)"
        elif isinstance(v, dict):
            for k, item in v.items():
                name = k if top is None else top
                try:
                    k.encode("utf-8")
                except UnicodeEncodeError:
                    return "(a field name)" if top is None else top
                stack.append((name, item))
        elif isinstance(v, list):
            stack.extend((top, item) for item in v)
    return None


def read_parquet(src: Source, digest: Any, batch_rows: int = 8192) -> Iterator[Item]:
    """Rows of a Parquet file in batches; the "line" of a row is its 1-based row number."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with src.open() as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    with src.open() as stream:
        try:
            table = pq.ParquetFile(stream)
            row = 0
            for batch in table.iter_batches(batch_size=batch_rows):
                for record in batch.to_pylist():
                    row += 1
                    yield row, record
        except (pa.ArrowException, OSError) as exc:
            raise InputError(f"not a readable Parquet file: {exc}", file=src.label) from None
