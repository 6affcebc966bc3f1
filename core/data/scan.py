"""One streaming pass over parsed records: check each one (shape, tags, quality, id) and keep only columns.

:class:`Scan` consumes what a reader yields (``(line, value, offset)`` or a Problem), detects the shape from the
first ``DETECT_SAMPLE`` records when asked, and for every record that passes keeps its line, row ordinal, byte
offset, id, first instruction, response length, tag codes, quality and category code, then lets the dict go
(unless ``keep_dicts``: formats whose records cannot be read back by offset). Messages and the order in which
errors win are those of the former two-pass loader: a record's shape/tags/quality problem beats any id problem,
which beats an unreadable line further on; lenient problems come out sorted by line.

Optional columns are found from the fields of *all* records (``_resolve_fields`` in core.data.pool). When the
field map is not given it is guessed from the first ``DETECT_SAMPLE`` records; if the whole file's fields give
another one, :attr:`Scan.redo` holds it and the caller runs the pass again with it (so the result never depends
on the guess).
"""

from __future__ import annotations

import math
from array import array
from typing import Any, Callable, Iterable, Mapping, Optional

from core.data.problems import Problem, RecordProblem
from core.data.shapes import Shape, describe, detect_shape, get_path, get_shape, parse_quality, parse_tags

#: Records read before the shape is detected (and the optional columns guessed).
DETECT_SAMPLE = 1000


class Scan:
    """State and results of one pass; see the module docstring. Run with :meth:`run`, then read the attributes."""

    def __init__(self, *, shape: Optional[Shape], fieldmap: Any, resolve: Callable[[Shape, Mapping], Any],
                 lenient: bool, text_cells: bool, max_chars: int, keep_dicts: bool,
                 decode_cell: Callable[[dict, str], None], as_label: Callable[[Any], str]) -> None:
        self.shape, self.fieldmap, self.resolve = shape, fieldmap, resolve
        self.guessed = fieldmap is None
        self.lenient, self.text_cells, self.max_chars, self.keep_dicts = lenient, text_cells, max_chars, keep_dicts
        self.decode_cell, self.as_label = decode_cell, as_label
        self.fields: dict[str, None] = {}        # keys of every record read (up to a fatal unreadable line)
        self.kept_fields: dict[str, None] = {}   # keys of the kept records
        self.n_dicts = 0
        self.parse_problems: list[Problem] = []
        self.check_problems: list[Problem] = []
        self.id_problems: list[Problem] = []
        self.quality_problems: list[Problem] = []
        self.pending: Optional[Problem] = None   # strict: the first unreadable line (reading stopped there)
        self.fatal: Optional[Problem] = None     # strict: the first record failing its checks
        self.id_fatal: Optional[Problem] = None  # strict: the first id problem
        self.detect_failed = False
        self.redo: Any = None
        # kept columns
        self.lines, self.ordinals, self.offsets = array("q"), array("q"), array("q")
        self.ids: Optional[list[str]] = None
        self.instructions: list[str] = []
        self.response_chars = array("q")
        self.tag_vocab: dict[str, int] = {}
        self.tag_indptr, self.tag_codes = array("q", [0]), array("i")
        self.has_tags = False
        self.quality = array("d")
        self.has_quality = False
        self.cat_vocab: dict[str, int] = {}
        self.cat_codes = array("i")
        self.records: Optional[list[dict]] = [] if keep_dicts else None
        self._buffer: list[tuple] = []
        self._process: Optional[Callable[..., bool]] = None
        self._keys_only = False

    # -- driving ----------------------------------------------------------------------------------------
    def run(self, items: Iterable[Any]) -> None:
        """Consume ``items`` (``(line, value, offset)`` tuples or Problems) to the end or a fatal problem."""
        lenient, fields, buffer = self.lenient, self.fields, self._buffer
        last: tuple = ()
        ordinal = -1
        n_dicts = 0
        for item in items:
            ordinal += 1
            if type(item) is tuple:
                line, value, offset = item
                if type(value) is dict:
                    n_dicts += 1
                    keys = tuple(value)
                    if keys != last:
                        fields.update(dict.fromkeys(keys))
                        last = keys
                    if self._keys_only:
                        continue
                    process = self._process
                    if process is not None:
                        if not process(line, offset, ordinal, value, keys):
                            break
                        continue
                    buffer.append((line, offset, ordinal, value, keys))
                    if len(buffer) >= DETECT_SAMPLE and not self._start():
                        break
                    continue
                problem = Problem(line, None, f"expected a JSON object (one record), got {describe(value)}")
            else:
                problem = item
            if not lenient:
                self.pending = problem
                break
            self.parse_problems.append(problem)
        self.n_dicts = n_dicts
        if self._process is None and not self._keys_only and buffer:
            self._start()
        if self.guessed and self.fieldmap is not None and not self.detect_failed:
            final = self.resolve(self.shape, fields)
            if final != self.fieldmap:
                self.redo = final

    def _start(self) -> bool:
        """Shape and field map from the buffered records, then check them; False when reading can stop."""
        buffer, self._buffer = self._buffer, []
        if self.shape is None:
            detected = detect_shape([b[3] for b in buffer])
            if detected is None:
                self.detect_failed = True
                self._keys_only = True  # the message lists every field of the file
                return True
            self.shape = get_shape(detected)
        if self.fieldmap is None:
            self.fieldmap = self.resolve(self.shape, self.fields)
        self._process = self._make_process()
        for line, offset, ordinal, value, keys in buffer:
            if not self._process(line, offset, ordinal, value, keys):
                return False
            if self._keys_only:
                break
        return True

    def _fail(self) -> bool:
        """Strict mode found its error: stop, or (field map still a guess) read on for the fields only."""
        if self.guessed:
            self._keys_only = True
            return True
        return False

    # -- one record -------------------------------------------------------------------------------------
    def _make_process(self) -> Callable[..., bool]:
        shape, fm = self.shape, self.fieldmap
        check, instruction, response = shape.check, shape.instruction, shape.response
        lenient, tc, max_chars = self.lenient, self.text_cells, self.max_chars
        nested = shape.nested if tc else ()
        decode_cell, as_label = self.decode_cell, self.as_label
        tf, qf, idf, cf = fm.tags, fm.quality, fm.id, fm.category
        native_tags = tf is None and shape.native_tags
        native_quality = qf is None and shape.native_quality
        shape_tags, shape_quality = shape.tags, shape.quality
        check_problems, id_problems, quality_problems = self.check_problems, self.id_problems, self.quality_problems
        lines, ordinals, offsets = self.lines.append, self.ordinals.append, self.offsets.append
        instructions, response_chars = self.instructions.append, self.response_chars.append
        tag_vocab, tag_codes, tag_indptr = self.tag_vocab, self.tag_codes, self.tag_indptr
        tag_code = tag_vocab.__getitem__
        quality = self.quality.append
        cat_vocab, cat_codes = self.cat_vocab, self.cat_codes.append
        records = self.records.append if self.records is not None else None
        kept_fields = self.kept_fields
        track_tags = tf is not None or native_tags
        if tf is not None:
            self.has_tags = True
        if qf is not None:
            self.has_quality = True
        ids: Optional[list[str]] = [] if idf is not None else None
        self.ids = ids
        seen: dict[str, int] = {}
        state = {"last": ()}
        nan = math.nan

        def process(line: int, offset: int, ordinal: int, r: dict, keys: tuple) -> bool:
            try:
                for field in nested:
                    decode_cell(r, field)
                check(r, max_chars)
                tags = None if tf is None else parse_tags(r[tf] if tf in r else get_path(r, tf), text_cells=tc,
                                                         field=tf, allow_dicts=False)
                if qf is None:
                    q = None
                else:
                    q = r[qf] if qf in r else get_path(r, qf)
                    if type(q) is not float:  # a float is its own value: parse_quality returns float(q)
                        q = parse_quality(q, text_cells=tc, field=qf)
            except RecordProblem as exc:
                problem = Problem(line, exc.field, exc.reason)
                if not lenient:
                    self.fatal = problem
                    return self._fail()
                check_problems.append(problem)
                return True
            if self.id_fatal is not None:
                return True  # strict: an id problem is waiting; only a check problem before it could win
            key = None
            if idf is not None:
                value = r[idf] if idf in r else get_path(r, idf)
                reason = None
                if type(value) is str and value:  # the common case: a non-empty text id
                    key = value
                    if key in seen:
                        reason = f"duplicate id {key!r}: also on line {seen[key]}"
                    else:
                        seen[key] = line
                elif value is None or value == "":
                    reason = f"missing id while other records have one; give every record a unique '{idf}'"
                elif isinstance(value, (dict, list, bool)):
                    reason = f"an id must be text or a number, got {describe(value)}"
                else:
                    key = value if isinstance(value, str) else str(value)
                    if key in seen:
                        reason = f"duplicate id {key!r}: also on line {seen[key]}"
                    else:
                        seen[key] = line
                if reason is not None:
                    problem = Problem(line, idf, reason)
                    if not lenient:
                        self.id_fatal = problem
                        return True
                    id_problems.append(problem)
                    return True
            if lenient and qf is not None and not math.isfinite(q):
                quality_problems.append(Problem(line, qf, f"no valid quality value (null, empty, NaN or infinite; "
                                                          f"got {q!r}); selectors that rank by quality cannot use it"))
                return True
            # kept: its columns
            lines(line)
            ordinals(ordinal)
            offsets(offset)
            if ids is not None:
                ids.append(key)
            instructions(instruction(r))
            response_chars(len(response(r)))
            if track_tags:
                if native_tags:
                    tags = shape_tags(r)
                    if not self.has_tags and get_path(r, "annotation.instag"):
                        self.has_tags = True
                if tags:
                    before = len(tag_codes)
                    try:
                        tag_codes.extend(map(tag_code, tags))
                    except KeyError:  # a tag not seen before: drop the codes extended so far, then add them
                        del tag_codes[before:]
                        for t in tags:
                            code = tag_vocab.get(t)
                            if code is None:
                                code = tag_vocab[t] = len(tag_vocab)
                            tag_codes.append(code)
                tag_indptr.append(len(tag_codes))
            if qf is not None:
                quality(q)
            elif native_quality:
                v = shape_quality(r)
                if v is None:
                    quality(nan)
                else:
                    quality(v)
                    self.has_quality = True
            if cf is not None:
                value = r[cf] if cf in r else get_path(r, cf)
                label = value if type(value) is str else as_label(value)
                code = cat_vocab.get(label)
                if code is None:
                    code = cat_vocab[label] = len(cat_vocab)
                cat_codes(code)
            if keys != state["last"]:
                kept_fields.update(dict.fromkeys(keys))
                state["last"] = keys
            if records is not None:
                records(r)
            return True

        return process

    # -- results ----------------------------------------------------------------------------------------
    def problems(self) -> list[Problem]:
        """Every problem in the order the former loader listed them (before its sort by line)."""
        return self.parse_problems + self.check_problems + self.id_problems + self.quality_problems

    @property
    def n_kept(self) -> int:
        return len(self.lines)
