"""Record shapes: how to recognise, check and read each supported layout of an instruction record.

A shape never changes a record: it only checks types (raising :class:`RecordProblem` with the field at fault)
and reads views out of it: the conversation turns, the first instruction and response, and for the MIG/Tulu
layout the InsTag tags and the DEITA score.

Supported shapes (``SHAPES``):

- ``alpaca``: ``instruction``, optional ``input``, ``output``.
- ``sharegpt``: ``conversations``: ``[{from, value}]``, ``from`` in human/user/gpt/assistant/system.
- ``openai``: ``messages``: ``[{role, content}]`` (content may be a list of ``{type: text, text}`` parts).
- ``mig``: ``dialogs`` turns plus optional ``annotation.instag.content`` and ``annotation.deita`` scores
  (the MIG/Tulu annotated layout of yichengchen24/xsample).
- ``prompt_response``: ``prompt``/``response`` (or ``completion``), or ``question``/``answer``.
- ``columns``: fields chosen by the user, ``columns={"instruction": ..., "response": ..., "input": ...}``.

Turn-based shapes accept either ``{from, value}`` or ``{role, content}`` turns.
"""

from __future__ import annotations

import json
import math
from typing import Any, Mapping, Optional, Sequence

from core.data.problems import RecordProblem

USER, ASSISTANT, SYSTEM, TOOL = "user", "assistant", "system", "tool"
ROLES = {"human": USER, "user": USER, "gpt": ASSISTANT, "assistant": ASSISTANT, "chatgpt": ASSISTANT,
         "bing": ASSISTANT, "bard": ASSISTANT, "model": ASSISTANT, "system": SYSTEM, "tool": TOOL,
         "function": TOOL, "observation": TOOL, "ipython": TOOL}
#: Field names the ``columns`` mapping understands.
COLUMN_KEYS = ("instruction", "input", "response", "id", "tags", "quality", "category", "embedding")


def describe(value: Any) -> str:
    """A short plain-words name for a JSON value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"text ({value[:30]!r}{'...' if len(value) > 30 else ''})"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_ABSENT = object()


def _lookup(record: Mapping, path: str) -> Any:
    """``record[path]``, else the value at the dotted path (``"annotation.deita"``), else ``_ABSENT``."""
    if path in record:
        return record[path]
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _ABSENT
        value = value[part]
    return value


def get_path(record: Mapping, path: str) -> Any:
    """``record[path]``, or a dotted path into nested objects (``"annotation.deita"``); None when absent."""
    value = _lookup(record, path)
    return None if value is _ABSENT else value


def has_path(record: Mapping, path: str) -> bool:
    """True when ``path`` (plain or dotted) exists in ``record``."""
    return _lookup(record, path) is not _ABSENT


def check_text(value: Any, field: str, max_chars: int, *, required: bool = True) -> None:
    """Raise RecordProblem unless ``value`` is a string no longer than ``max_chars`` (None allowed if optional)."""
    if type(value) is not str:
        if value is None and not required:
            return
        raise RecordProblem(field, f"expected text, got {describe(value)}")
    if len(value) > max_chars:
        raise RecordProblem(field, f"text is {len(value):,} characters long, over the limit of {max_chars:,} "
                                   f"(raise max_text_chars to accept it)")


class Shape:
    """Base shape: subclasses define ``matches``, ``check`` and ``turns`` (list of (role, text))."""

    name = ""
    summary = ""

    def matches(self, record: Mapping) -> bool:
        raise NotImplementedError

    def check(self, record: Mapping, max_chars: int) -> None:
        raise NotImplementedError

    def turns(self, record: Mapping) -> list[tuple[str, str]]:
        raise NotImplementedError

    def instruction(self, record: Mapping) -> str:
        """The first user turn."""
        for role, text in self.turns(record):
            if role == USER:
                return text
        return ""

    def response(self, record: Mapping) -> str:
        """The first assistant turn after the first user turn ('' when there is none)."""
        seen_user = False
        for role, text in self.turns(record):
            if role == USER:
                seen_user = True
            elif role == ASSISTANT and seen_user:
                return text
        return ""

    def tags(self, record: Mapping) -> Optional[list[str]]:
        """Tags carried by the shape itself (MIG only); None for shapes without native tags."""
        return None

    def quality(self, record: Mapping) -> Optional[float]:
        """A quality score carried by the shape itself (MIG only); None when absent."""
        return None

    native_tags = False
    native_quality = False
    #: Fields holding lists/objects; in CSV files they are stored as JSON text and decoded on load.
    nested: tuple[str, ...] = ()


class Alpaca(Shape):
    name, summary = "alpaca", "instruction / input / output"

    def matches(self, record: Mapping) -> bool:
        return "instruction" in record and ("output" in record or "input" in record)

    def check(self, record: Mapping, max_chars: int) -> None:
        instruction, output, extra = record.get("instruction"), record.get("output"), record.get("input")
        if (type(instruction) is str and type(output) is str and len(instruction) <= max_chars
                and len(output) <= max_chars and (extra is None or (type(extra) is str and len(extra) <= max_chars))):
            return  # the common case, valid; anything else takes the checks below for their message
        for field in ("instruction", "output"):
            if field not in record:
                raise RecordProblem(field, f"missing required field '{field}' (alpaca shape)")
            check_text(record[field], field, max_chars)
        check_text(record.get("input"), "input", max_chars, required=False)

    def instruction(self, record: Mapping) -> str:
        extra = record.get("input")
        return record["instruction"] + "\n\n" + extra if extra else record["instruction"]

    def response(self, record: Mapping) -> str:
        return record["output"]

    def turns(self, record: Mapping) -> list[tuple[str, str]]:
        return [(USER, self.instruction(record)), (ASSISTANT, record["output"])]


class Turns(Shape):
    """Shapes holding a list of turns under ``key``."""

    key = ""

    @property
    def nested(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.key,)

    def matches(self, record: Mapping) -> bool:
        return self.key in record

    def check(self, record: Mapping, max_chars: int) -> None:
        if self.key not in record:
            raise RecordProblem(self.key, f"missing required field '{self.key}' ({self.name} shape)")
        turns = record[self.key]
        if not isinstance(turns, list):
            raise RecordProblem(self.key, f"expected a list of turns, got {describe(turns)}")
        if not turns:
            raise RecordProblem(self.key, "the conversation has no turns")
        has_user = False
        for i, turn in enumerate(turns):
            where = f"{self.key}[{i}]"
            if not isinstance(turn, Mapping):
                raise RecordProblem(where, f"expected a turn object, got {describe(turn)}")
            speaker_key, text_key = ("from", "value") if "from" in turn else ("role", "content")
            speaker = turn.get(speaker_key)
            if speaker_key not in turn:
                raise RecordProblem(where, "a turn needs 'from' and 'value' (or 'role' and 'content')")
            if not isinstance(speaker, str) or speaker.lower() not in ROLES:
                raise RecordProblem(f"{where}.{speaker_key}", f"unknown speaker {speaker!r}; expected one of "
                                    "human/user, gpt/assistant, system")
            if text_key not in turn:
                raise RecordProblem(f"{where}.{text_key}", f"missing required field '{text_key}'")
            content = turn[text_key]
            if isinstance(content, list):
                content = _join_parts(content, f"{where}.{text_key}")
            elif content is None and ROLES[speaker.lower()] in (ASSISTANT, TOOL):
                content = ""
            check_text(content, f"{where}.{text_key}", max_chars)
            has_user = has_user or ROLES[speaker.lower()] == USER
        if not has_user:
            raise RecordProblem(self.key, "the conversation has no user/human turn")

    def turns(self, record: Mapping) -> list[tuple[str, str]]:
        out = []
        for turn in record[self.key]:
            speaker_key, text_key = ("from", "value") if "from" in turn else ("role", "content")
            content = turn.get(text_key)
            if isinstance(content, list):
                content = _join_parts(content, text_key)
            out.append((ROLES[turn[speaker_key].lower()], content or ""))
        return out


def _join_parts(parts: list, field: str) -> str:
    """OpenAI content parts: the text of every ``{type: text, text}`` part, joined by newlines."""
    texts = []
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, Mapping) and isinstance(part.get("text"), str):
            texts.append(part["text"])
        elif not (isinstance(part, Mapping) and part.get("type") not in (None, "text")):
            raise RecordProblem(field, f"content parts must be text or {{type, text}} objects, got {describe(part)}")
    return "\n".join(texts)


class ShareGPT(Turns):
    name, summary, key = "sharegpt", "conversations: [{from, value}]", "conversations"


class OpenAI(Turns):
    name, summary, key = "openai", "messages: [{role, content}]", "messages"


class MIG(Turns):
    """MIG/Tulu annotated layout: ``dialogs`` + ``annotation.instag`` / ``annotation.deita``.

    A record without annotations is kept (tags [], quality NaN); the MIG selector decides to skip it,
    as the official loader does.
    """

    name, key = "mig", "dialogs"
    summary = "dialogs + annotation.instag.content / annotation.deita scores"
    native_tags = native_quality = True
    nested = ("dialogs", "annotation")  # type: ignore[assignment]

    def check(self, record: Mapping, max_chars: int) -> None:
        super().check(record, max_chars)
        note = record.get("annotation")
        if not note:
            return
        if not isinstance(note, Mapping):
            raise RecordProblem("annotation", f"expected an object, got {describe(note)}")
        instag = note.get("instag")
        if instag:
            if not isinstance(instag, Mapping) or "content" not in instag:
                raise RecordProblem("annotation.instag", "expected an object with a 'content' list of tags")
            check_tags(instag["content"], "annotation.instag.content", text_cells=False, allow_dicts=True)
        deita = note.get("deita")
        if deita:
            field = "annotation.deita"
            if not isinstance(deita, Mapping):
                raise RecordProblem(field, f"expected an object, got {describe(deita)}")
            q, c = deita.get("quality_scores"), deita.get("complexity_scores")
            for name, seq in (("quality_scores", q), ("complexity_scores", c)):
                if not isinstance(seq, list) or not seq:
                    raise RecordProblem(f"{field}.{name}", f"expected a non-empty list of numbers, got "
                                                           f"{describe(seq)}")
                for v in seq:
                    if isinstance(v, bool) or not isinstance(v, (int, float)):
                        raise RecordProblem(f"{field}.{name}", f"expected numbers, found {describe(v)}")
            if len(q) != len(c):
                raise RecordProblem(field, f"quality_scores has {len(q)} rounds but complexity_scores has "
                                           f"{len(c)}")

    def tags(self, record: Mapping) -> Optional[list[str]]:
        note = record.get("annotation") or {}
        instag = note.get("instag") or {}
        return parse_tags(instag.get("content"), text_cells=False)

    def quality(self, record: Mapping) -> Optional[float]:
        """DEITA score: mean over rounds of quality_r x complexity_r (as the official MIG loader)."""
        deita = (record.get("annotation") or {}).get("deita")
        if not deita:
            return None
        q, c = deita["quality_scores"], deita["complexity_scores"]
        return sum(a * b for a, b in zip(q, c)) / len(q)


class PromptResponse(Shape):
    name, summary = "prompt_response", "prompt / response (or completion), or question / answer"
    _pairs = (("prompt", ("response", "completion")), ("question", ("answer",)))

    def _keys(self, record: Mapping) -> tuple[str, Optional[str]]:
        for ask, answers in self._pairs:
            if ask in record:
                return ask, next((a for a in answers if a in record), None)
        return "prompt", None

    def matches(self, record: Mapping) -> bool:
        return "prompt" in record or "question" in record

    def check(self, record: Mapping, max_chars: int) -> None:
        ask, answer = self._keys(record)
        if ask not in record:
            raise RecordProblem("prompt", "missing required field 'prompt' (or 'question')")
        if answer is None:
            want = "response" if ask == "prompt" else "answer"
            raise RecordProblem(want, f"missing required field '{want}' (prompt_response shape)")
        check_text(record[ask], ask, max_chars)
        check_text(record[answer], answer, max_chars)

    def instruction(self, record: Mapping) -> str:
        return record[self._keys(record)[0]]

    def response(self, record: Mapping) -> str:
        return record[self._keys(record)[1]]

    def turns(self, record: Mapping) -> list[tuple[str, str]]:
        return [(USER, self.instruction(record)), (ASSISTANT, self.response(record))]


class Columns(Shape):
    """User-chosen fields: ``instruction`` (required), optional ``input`` and ``response`` (dotted paths ok)."""

    name, summary = "columns", "your own fields via columns={'instruction': ..., 'response': ...}"

    def __init__(self, columns: Mapping[str, str]) -> None:
        unknown = sorted(set(columns) - set(COLUMN_KEYS))
        if unknown:
            raise ValueError(f"columns has unknown keys {unknown}; known: {', '.join(COLUMN_KEYS)}")
        if "instruction" not in columns:
            raise ValueError("columns needs at least {'instruction': <field name>}")
        self.columns = dict(columns)

    def matches(self, record: Mapping) -> bool:
        return has_path(record, self.columns["instruction"])

    def check(self, record: Mapping, max_chars: int) -> None:
        for key in ("instruction", "input", "response"):
            field = self.columns.get(key)
            if field is None:
                continue
            if key == "instruction" and not has_path(record, field):
                raise RecordProblem(field, f"missing required field '{field}' (your instruction column)")
            check_text(get_path(record, field), field, max_chars, required=key == "instruction")

    def instruction(self, record: Mapping) -> str:
        text = get_path(record, self.columns["instruction"])
        extra = get_path(record, self.columns["input"]) if "input" in self.columns else None
        return text + "\n\n" + extra if extra else text

    def response(self, record: Mapping) -> str:
        field = self.columns.get("response")
        return (get_path(record, field) or "") if field else ""

    def turns(self, record: Mapping) -> list[tuple[str, str]]:
        out = [(USER, self.instruction(record))]
        if "response" in self.columns:
            out.append((ASSISTANT, self.response(record)))
        return out


_DETECT_ORDER = (MIG(), ShareGPT(), OpenAI(), Alpaca(), PromptResponse())
SHAPES = ("alpaca", "sharegpt", "openai", "mig", "prompt_response", "columns")


def get_shape(name: str, columns: Optional[Mapping[str, str]] = None) -> Shape:
    """The shape object for ``name`` (one of SHAPES)."""
    if name == "columns":
        if not columns:
            raise ValueError("shape 'columns' needs columns={'instruction': <field>, 'response': <field>}")
        return Columns(columns)
    for shape in _DETECT_ORDER:
        if shape.name == name:
            return shape
    raise ValueError(f"unknown shape {name!r}; supported: {', '.join(SHAPES)}")


def detect_shape(records: Sequence[Mapping]) -> Optional[str]:
    """The shape most of ``records`` match (ties: mig, sharegpt, openai, alpaca, prompt_response), or None."""
    votes = {shape.name: 0 for shape in _DETECT_ORDER}
    for record in records:
        for shape in _DETECT_ORDER:
            if shape.matches(record):
                votes[shape.name] += 1
                break
    best = max(votes, key=lambda k: votes[k])  # max keeps the first of equal counts: the priority order
    return best if votes[best] else None


def shape_help() -> str:
    """One line per built-in shape, for 'unknown shape' messages."""
    return "; ".join(f"{s.name} ({s.summary})" for s in _DETECT_ORDER)


def check_tags(value: Any, field: str, *, text_cells: bool, allow_dicts: bool = False) -> None:
    """Raise RecordProblem unless ``value`` is a list of tags, a comma string, or null."""
    parse_tags(value, text_cells=text_cells, field=field, allow_dicts=allow_dicts)


def parse_tags(value: Any, *, text_cells: bool = False, field: str = "tags",
               allow_dicts: bool = True) -> list[str]:
    """Tags from a list (of strings, or InsTag ``{tag, explanation}`` objects) or a comma-separated string.

    A string that looks like a JSON list (``'["a", "b"]'``, as CSV exports write lists) is parsed as one.
    Blank tags are dropped and whitespace stripped; order is kept.
    """
    if value is None:
        return []
    if type(value) is list:  # the common case, a list of plain strings: one comprehension
        out = [t.strip() for t in value if type(t) is str]
        if len(out) == len(value):
            return [t for t in out if t] if "" in out else out
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                raise RecordProblem(field, "looks like a JSON list but does not parse") from None
            if not isinstance(value, list):
                raise RecordProblem(field, f"expected a list of tags, got {describe(value)}")
        else:
            return [t.strip() for t in text.split(",") if t.strip()]
    if not isinstance(value, list):
        raise RecordProblem(field, f"tags must be a list of strings or a comma-separated string, got "
                                   f"{describe(value)}")
    out = []
    for tag in value:
        if type(tag) is not str:  # plain strings skip the (slow) typing.Mapping check
            if isinstance(tag, Mapping) and allow_dicts and isinstance(tag.get("tag"), str):
                tag = tag["tag"]
            if not isinstance(tag, str):
                raise RecordProblem(field, f"every tag must be text, found {describe(tag)}")
        tag = tag.strip()
        if tag:
            out.append(tag)
    return out


def parse_quality(value: Any, *, text_cells: bool, field: str = "quality") -> float:
    """A quality value as float (NaN when null/empty); text is accepted only from CSV cells."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        raise RecordProblem(field, "expected a number, got true/false")
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:
            raise RecordProblem(field, f"a number of about {int(value.bit_length() * 0.30103) + 1} digits, too "
                                       "large for a quality score") from None
    if isinstance(value, str) and text_cells:
        if not value.strip():
            return math.nan
        try:
            return float(value)
        except ValueError:
            raise RecordProblem(field, f"expected a number, got {describe(value)}") from None
    raise RecordProblem(field, f"expected a number, got {describe(value)}")
