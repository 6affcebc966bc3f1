"""A columnar fast path for the plain valid JSON Lines pool: pyarrow's JSON reader parses the file into columns and
the checks the scan makes per record are made on whole columns.

Only the common case is taken: an Alpaca, ShareGPT or OpenAI file (shape given, or detected from its first records
exactly as the scan does) of one JSON object per line (blank lines allowed), valid UTF-8; Alpaca: text
``instruction``/``output`` (``input`` text or null); turns: a non-empty list of ``{from, value}`` or ``{role,
content}`` objects with known speakers, text contents and a user turn; every text within the length limit; text
or whole-number ids (non-empty, unique), tags as lists of clean strings, finite numeric quality, text or
whole-number category, the optional columns at top-level fields. Anything else (a parse error, a mixed type, a
null where the scan would complain, a tag to strip, a lone surrogate, content parts, MIG annotations...) makes
:func:`try_load` return None and the caller runs the Python scan (core.data.scan), which stays the reference and
produces every message. So this module never reports a problem: it either builds the same Pool or declines.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

import numpy as np

from core.data.scan import DETECT_SAMPLE
from core.data.shapes import Shape, detect_shape, get_shape

#: Set False to always take the Python scan (tests compare both paths).
ENABLED = True
#: Bytes handed to pyarrow at a time (cut at a newline); its reader splits them into blocks over its threads.
CHUNK_BYTES = 16 << 20


#: Shapes the fast path reads (MIG's annotations and the other shapes take the scan).
SHAPES = ("alpaca", "sharegpt", "openai")


class _Decline(Exception):
    """Not the plain valid case: the Python scan decides."""


def try_load(src: Any, digest: Any, *, shape: Optional[Shape], resolve: Callable[[Shape, Mapping], Any],
             max_chars: int, detect_sample: int = DETECT_SAMPLE) -> Optional[dict]:
    """Columns of ``src`` (a plain JSON Lines Source) as the scan would keep them, or None to take the scan.

    Returns a dict: shape, fieldmap, fields, lines, offsets (int64), ids, instructions, response_lengths,
    tag_codes, quality, category_codes. ``digest`` is fed every byte (only meaningful when a dict is returned)."""
    if not ENABLED:
        return None
    try:
        import pyarrow  # noqa: F401
        import pyarrow.json  # noqa: F401
    except ImportError:  # pragma: no cover - pyarrow is pinned
        return None
    try:
        return _load(src, digest, shape, resolve, max_chars, detect_sample)
    except (_Decline, OSError):  # OSError: the scan reads again and names what failed
        return None
    finally:
        pyarrow.default_memory_pool().release_unused()  # the allocator otherwise keeps the freed chunks (~200 MB)


def _load(src: Any, digest: Any, shape: Optional[Shape], resolve: Callable, max_chars: int,
          detect_sample: int) -> dict:
    import pyarrow as pa
    import pyarrow.compute as pc

    if shape is None:
        shape = _detect(src, detect_sample)
    if shape.name not in SHAPES:
        raise _Decline
    fields: dict[str, None] = {}
    lines_parts, offsets_parts = [], []
    instructions: list[str] = []
    response_lengths = []
    line_base, fieldmap = 0, None
    with src.open() as stream:
        for base, chunk in _chunks(stream, digest):
            if not chunk.isascii():
                try:
                    chunk.decode("utf-8")
                except UnicodeDecodeError:
                    raise _Decline from None
            view = np.frombuffer(chunk, dtype=np.uint8)
            newlines = np.flatnonzero(view == 10)
            starts = np.concatenate(([0], newlines + 1))
            ends = np.concatenate((newlines, [len(chunk)]))
            if starts[-1] == len(chunk):  # the chunk ends with its newline: no line after it
                starts, ends = starts[:-1], ends[:-1]
            filled = ends > starts
            if not (view[starts[filled]] == 0x7B).all():  # every non-empty line starts with '{'
                raise _Decline
            del view
            record_lines = np.flatnonzero(filled)
            table = _parse(chunk)
            if table.num_rows != len(record_lines):
                raise _Decline
            for name in table.schema.names:
                fields.setdefault(name, None)
            if fieldmap is None:  # a guess from the first chunk; the whole file's fields must agree (checked below)
                fieldmap = resolve(shape, fields)
                optional = _Optional(fieldmap)
            texts, lengths = (_texts(table, max_chars, pc) if shape.name == "alpaca"
                              else _turn_texts(table, shape.key, max_chars, pa, pc))
            instructions.extend(texts)
            response_lengths.append(lengths)
            optional.add(table, pa, pc)
            del table
            lines_parts.append(record_lines + (line_base + 1))
            offsets_parts.append(starts[record_lines] + base)
            line_base += len(starts)
    if not instructions:
        raise _Decline  # an empty file: the scan names it
    if resolve(shape, fields) != fieldmap:
        raise _Decline  # later records bring fields that change the column guess: the scan redoes it
    out = optional.result(len(instructions))
    out.update(shape=shape, fieldmap=fieldmap, fields=list(fields), instructions=instructions,
               lines=np.concatenate(lines_parts).astype(np.int64),
               offsets=np.concatenate(offsets_parts).astype(np.int64),
               response_lengths=np.concatenate(response_lengths).astype(np.int64))
    return out


def _chunks(stream: Any, digest: Any):
    """``(byte offset, bytes)`` pieces of the stream, each ending at a newline (the last: at the end)."""
    carry, base = b"", 0
    while True:
        data = stream.read(CHUNK_BYTES)
        if digest is not None and data:
            digest.update(data)
        if not data:
            if carry:
                yield base, carry
            return
        data = carry + data if carry else data
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            carry = data
            continue
        carry = data[cut:]
        yield base, data[:cut]
        base += cut


def _detect(src: Any, sample: int) -> Shape:
    """The shape the scan detects from the first ``sample`` records (read here with orjson); decline unless
    one of SHAPES (or when one of them is not a plain JSON object)."""
    import orjson

    records = []
    with src.open() as stream:
        for raw in stream:
            if not raw.strip():
                continue
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise _Decline from None
            if type(value) is not dict:
                raise _Decline
            records.append(value)
            if len(records) >= sample:
                break
    name = detect_shape(records)
    if name not in SHAPES:
        raise _Decline
    return get_shape(name)


def _parse(chunk: bytes) -> Any:
    import pyarrow as pa
    import pyarrow.json as pj

    try:
        table = pj.read_json(pa.BufferReader(chunk), read_options=pj.ReadOptions(block_size=1 << 20))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError, ValueError):
        raise _Decline from None
    for column in table.columns:
        _check_values(column, 1, pa)
    return table


#: Nesting (lists/objects inside a record) beyond which the scan may refuse a line pyarrow reads: orjson stops at
#: 1024 levels and ``json`` at Python's recursion limit ("nested too deeply").
MAX_DEPTH = 200


def _check_values(column: Any, depth: int, pa: Any) -> None:
    """Decline on what pyarrow reads but the scan may not: nesting deeper than MAX_DEPTH, and a non-finite float
    anywhere (an integer of 4,301+ digits, which ``json`` refuses, becomes an infinite double here; NaN/Infinity
    literals, which ``json`` accepts, only cost the fast path)."""
    import pyarrow.compute as pc

    kind = column.type
    if depth > MAX_DEPTH:
        raise _Decline
    if pa.types.is_struct(kind):
        for i in range(kind.num_fields):
            _check_values(pc.struct_field(column, [i]), depth + 1, pa)
    elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
        _check_values(pc.list_flatten(column), depth + 1, pa)
    elif pa.types.is_floating(kind) and pc.any(pc.invert(pc.is_finite(column))).as_py():
        raise _Decline


def _is_text(kind: Any) -> bool:
    return str(kind) in ("string", "large_string")


def _texts(table: Any, max_chars: int, pc: Any) -> tuple[list[str], np.ndarray]:
    """First instructions (instruction + blank line + input when input is non-empty) and response lengths of one
    chunk, after the Alpaca check on columns: text instruction/output, text or null input, none over the limit."""
    names = set(table.schema.names)
    cols = {}
    for field in ("instruction", "output"):
        if field not in names:
            raise _Decline
        col = table.column(field)
        if not _is_text(col.type) or col.null_count:
            raise _Decline
        cols[field] = col
    extra = None
    if "input" in names and str(table.column("input").type) != "null":
        extra = table.column("input")
        if not _is_text(extra.type):
            raise _Decline
        cols["input"] = extra
    lengths = {f: pc.utf8_length(c) for f, c in cols.items()}
    for f, n in lengths.items():
        top = pc.max(n).as_py()
        if top is not None and top > max_chars:
            raise _Decline
    instruction = cols["instruction"]
    if extra is not None:
        joined = pc.binary_join_element_wise(instruction, extra, "\n\n")
        has_extra = pc.fill_null(pc.greater(lengths["input"], 0), False)
        instruction = pc.if_else(has_extra, joined, instruction)
    return instruction.to_pylist(), lengths["output"].to_numpy()


def _turn_texts(table: Any, key: str, max_chars: int, pa: Any, pc: Any) -> tuple[list[str], np.ndarray]:
    """First user turn and the length of the first assistant turn after it, for a list of ``{from, value}`` or
    ``{role, content}`` turns, after the scan's Turns check on columns: a non-empty list in every record, text
    speakers it knows and text contents (no null: a missing and a null field read alike here) within the limit,
    a user turn in every record. Content parts, turns mixing both key pairs and null assistant texts decline."""
    from core.data.shapes import ASSISTANT, ROLES, USER

    if key not in table.schema.names:
        raise _Decline
    col = table.column(key).combine_chunks()
    kind = col.type
    if col.null_count or not pa.types.is_list(kind) or not pa.types.is_struct(kind.value_type):
        raise _Decline
    names = {kind.value_type.field(i).name for i in range(kind.value_type.num_fields)}
    if {"from", "value"} <= names and not names & {"role", "content"}:
        speaker_key, text_key = "from", "value"
    elif {"role", "content"} <= names and "from" not in names:
        speaker_key, text_key = "role", "content"
    else:
        raise _Decline
    n = len(col)
    turns = pc.list_flatten(col)
    if turns.null_count or len(turns) == 0 or pc.min(pc.list_value_length(col)).as_py() == 0:
        raise _Decline  # an empty conversation or a null turn: the scan names it
    speakers, texts = pc.struct_field(turns, [speaker_key]), pc.struct_field(turns, [text_key])
    if not (_is_text(speakers.type) and _is_text(texts.type)) or speakers.null_count or texts.null_count:
        raise _Decline
    if pc.max(pc.utf8_length(texts)).as_py() > max_chars:
        raise _Decline
    encoded = pc.dictionary_encode(speakers)
    roles = []
    for speaker in encoded.dictionary.to_pylist():
        if speaker.lower() not in ROLES:
            raise _Decline  # an unknown speaker: the scan's message
        roles.append(ROLES[speaker.lower()])
    role = np.array(roles, dtype=object)[encoded.indices.to_numpy(zero_copy_only=False)]
    parent = pc.list_parent_indices(col).to_numpy(zero_copy_only=False)
    position = np.arange(len(parent))
    user = role == USER
    has_user, first_user = np.unique(parent[user], return_index=True)
    if len(has_user) != n:
        raise _Decline  # a conversation without a user turn
    first_user = position[user][first_user]
    answer = (role == ASSISTANT) & (position > first_user[parent])
    answered, first_answer = np.unique(parent[answer], return_index=True)
    lengths = np.zeros(n, np.int64)
    text_lengths = pc.utf8_length(texts).to_numpy(zero_copy_only=False)
    lengths[answered] = text_lengths[position[answer][first_answer]]
    return texts.take(pa.array(first_user)).to_pylist(), lengths


class _Optional:
    """The id/tags/quality/category columns, checked as the scan checks them and reduced chunk by chunk to what the
    pool keeps (Python ids, int32 codes against vocabularies in first-seen order, float64 quality), so no Arrow
    column outlives its chunk."""

    def __init__(self, fieldmap: Any) -> None:
        self.fieldmap = fieldmap
        self.ids: Optional[list[str]] = [] if fieldmap.id is not None else None
        self.seen: set[str] = set()
        self.tag_vocab: dict[str, int] = {}
        self.tag_lengths: list[np.ndarray] = []
        self.tag_codes: list[np.ndarray] = []
        self.quality: list[np.ndarray] = []
        self.cat_vocab: dict[str, int] = {}
        self.cat_codes: list[np.ndarray] = []

    def add(self, table: Any, pa: Any, pc: Any) -> None:
        fm, names, n = self.fieldmap, set(table.schema.names), table.num_rows

        def column(name: str) -> Any:
            if name in names:
                return table.column(name).combine_chunks()
            if "." in name:
                raise _Decline  # a dotted path: the scan reads it
            return pa.nulls(n)

        if fm.id is not None:
            col = column(fm.id)
            if pa.types.is_integer(col.type):  # whole-number ids: the scan's str(value), the same digits
                col = col.cast(pa.string())
            if not _is_text(col.type) or col.null_count or pc.min(pc.utf8_length(col)).as_py() == 0:
                raise _Decline  # a missing or empty id, a float or object id: the scan's message or text
            ids = col.to_pylist()
            self.seen.update(ids)
            self.ids.extend(ids)
            if len(self.seen) != len(self.ids):
                raise _Decline  # a duplicate id: the scan names both lines
        if fm.tags is not None:
            self._tags(column(fm.tags), pa, pc)
        if fm.quality is not None:
            col = column(fm.quality)
            if col.null_count or not (pa.types.is_floating(col.type) or pa.types.is_integer(col.type)):
                raise _Decline  # null (strict: NaN, lenient: a problem), text, true/false...
            values = col.to_numpy().astype(np.float64)
            if not np.isfinite(values).all():
                raise _Decline  # NaN/Infinity literals, numbers beyond float: the scan decides
            self.quality.append(values)
        if fm.category is not None:
            col = column(fm.category)
            if not (pa.types.is_null(col.type) or _is_text(col.type) or pa.types.is_integer(col.type)):
                raise _Decline  # a float, true/false or list label: the scan's text for it
            self.cat_codes.append(_codes(pc.fill_null(col.cast(pa.string()), ""), self.cat_vocab, pc))

    def _tags(self, col: Any, pa: Any, pc: Any) -> None:
        if pa.types.is_null(col.type):  # no record of the chunk has tags (null or missing): []
            self.tag_lengths.append(np.zeros(len(col), np.int64))
            return
        if not pa.types.is_list(col.type):
            raise _Decline  # a comma string, an object...: the scan parses it
        flat = pc.list_flatten(col)
        if flat.null_count:
            raise _Decline  # a null tag: the scan names it
        if pa.types.is_null(col.type.value_type):
            if len(flat):
                raise _Decline
        elif not _is_text(col.type.value_type):
            raise _Decline
        elif len(flat):
            before = len(self.tag_vocab)
            self.tag_codes.append(_codes(flat.cast(pa.string()), self.tag_vocab, pc))
            if any(not t or t.strip() != t for t in list(self.tag_vocab)[before:]):
                raise _Decline  # a tag to strip or drop: the scan does it
        self.tag_lengths.append(pc.fill_null(pc.list_value_length(col), 0).to_numpy().astype(np.int64))

    def result(self, n: int) -> dict:
        fm = self.fieldmap
        tag_codes = None
        if fm.tags is not None:
            indptr = np.zeros(n + 1, np.int64)
            np.cumsum(np.concatenate(self.tag_lengths), out=indptr[1:])
            codes = np.concatenate(self.tag_codes) if self.tag_codes else np.zeros(0, np.int32)
            if len(codes) != indptr[-1]:
                raise _Decline
            tag_codes = (list(self.tag_vocab), indptr, codes)
        quality = np.concatenate(self.quality) if fm.quality is not None else None
        cats = (list(self.cat_vocab), np.concatenate(self.cat_codes)) if fm.category is not None else None
        return {"ids": self.ids, "tag_codes": tag_codes, "quality": quality, "category_codes": cats}


def _codes(values: Any, vocab: dict[str, int], pc: Any) -> np.ndarray:
    """int32 codes of ``values`` (a string array) against ``vocab``, which grows in first-seen order (Arrow's
    dictionary of a chunk is in first-seen order within it, so adding its new entries in that order keeps the
    order over the file)."""
    encoded = pc.dictionary_encode(values)
    local = encoded.dictionary.to_pylist()
    mapping = np.empty(len(local), np.int32)
    for i, label in enumerate(local):
        code = vocab.get(label)
        if code is None:
            code = vocab[label] = len(vocab)
        mapping[i] = code
    return mapping[encoded.indices.to_numpy(zero_copy_only=False)]
