"""Quality per record, the s_i of MIG (arXiv 2504.13835) and of the quality-aware baselines.

Sources, in order: DEITA scores (Liu et al. 2023, arXiv 2312.15685) in the MIG/Tulu format, where, as in the
official MIG loader, s_i = mean over dialogue rounds of quality_r x complexity_r (``Pool.quality`` computes it);
a quality column; else a heuristic **proxy**, flagged as such so the UI can say so. The proxy is no substitute for
a quality model; it only ranks obviously weak responses below substantive ones (empty, very short, refusals,
parroting the instruction, cut off mid-sentence, stuck in a loop):

    length     = min(1, log(1 + words) / log(1 + 60))   # saturates at ~60 words: beyond a paragraph, more words
                                                         # are not evidence of a better answer (measured: with a
                                                         # 200-word saturation, quality top-k took 61 % of its
                                                         # picks from the source with the longest answers)
    relevance  = share of the instruction's content words found in the response (0.5 when it has none):
                 an answer that ignores the question scores low
    copy       = 1 if the response is mostly the instruction's own words (>= 90 % of its words, >= 5 words)
    refusal    = 1 if the response opens with a refusal or "as an AI language model" boilerplate
    truncated  = 1 if a code fence (```) is left open, or prose of >= 20 words that is not code ends on a letter
                 or on , ; : ( - (a reply cut off mid-sentence; shorter replies are often labels like "B")
    repetition = max(ramp(repeated word trigrams, 0.3 -> 0.7), ramp(repeated lines of >= 4 words, 0.2 -> 0.6)),
                 ramp(x, a -> b) = clip((x - a) / (b - a), 0, 1): ordinary text repeats few trigrams (99th
                 percentile ~0.3 on a mixed pool, parallel lists), a generation stuck in a loop repeats most
    proxy      = 1 + 9 * (0.5 length + 0.5 relevance) * (1 - 0.6 refusal) * (1 - 0.5 copy)
                       * (1 - 0.4 truncated) * (1 - 0.6 repetition)                          in [1, 10]

Provenance travels with the numbers: :func:`quality_column` names the exported column ``quality`` for quality
from the data and ``quality_proxy`` for the proxy. The loader (``core.data.pool``) reads only ``quality`` or
``score`` columns as quality, never ``quality_proxy``, so a re-loaded export of a proxy run has no quality and
gets the proxy again (source "proxy"), whether or not its manifest came along. A column the user maps to
quality explicitly (``columns={"quality": "quality_proxy"}``) keeps the source "proxy" when its name says proxy.
:func:`quality_warning` is the one rule for warning that a quality-driven selector runs on the proxy.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from core.errors import SiftError, InputError

if TYPE_CHECKING:  # types only
    from core.data.pool import Pool
    from core.features import Features

QUALITY_SOURCES = ("deita", "column", "proxy")
_WORD = re.compile(r"[a-z0-9']+")
_REFUSAL = re.compile(
    r"^\W*(i'?m sorry|i am sorry|sorry, (but )?i|i (cannot|can't|can not|won't|am unable|am not able|'m unable)|"
    r"as an ai( language model)?|i do not have (the ability|access)|i don't have (the ability|access))",
    re.IGNORECASE)
_BOILERPLATE = re.compile(r"as an ai( language)? model|i am an ai\b|i'm an ai\b", re.IGNORECASE)
_STOP = frozenset("""a an the and or but if of to in on at by for with from as is are was were be been it its this that
these those what which who whom how why when where do does did can could would should will shall may might must i you
he she we they me my your our their them his her not no yes so than then there here about into over under please
write give tell explain describe""".split())
#: Response length (words) at which the length reward saturates.
LENGTH_SATURATION_WORDS = 60
_LOG_SATURATION = math.log1p(LENGTH_SATURATION_WORDS)
#: Weight of length against relevance in the proxy's base score.
LENGTH_WEIGHT = 0.5
#: Prose shorter than this is never called truncated (short answers are often labels: "positive", "B").
TRUNCATION_MIN_WORDS = 20
#: (start, width) of the linear ramps from "varied" (0) to "degenerate" (1) repetition.
REPEAT_TRIGRAM_RAMP = (0.3, 0.4)
REPEAT_LINE_RAMP = (0.2, 0.4)
_MID_SENTENCE = re.compile(r"[^\W\d_]|[,;:(\-]")  # ends on a letter or a connective mark
_CODE = re.compile(r"[{};=]|\n[ \t]{2,}\S|\bdef |\breturn\b|</?[a-z]+>")


@dataclass
class QualityResult:
    """Quality values (float64, one per record), where they came from, and a note for the UI."""

    values: np.ndarray
    source: str
    note: str = ""

    @property
    def is_proxy(self) -> bool:
        return self.source == "proxy"


def proxy_components(instruction: str, response: str) -> dict[str, float]:
    """The components of the proxy for one record (see the module docstring), each in [0, 1].

    Keys: ``words`` (count), ``length``, ``relevance``, ``copy``, ``refusal``, ``truncated``, ``repetition``.
    """
    words = _WORD.findall(response.lower())
    n = len(words)
    if not n:
        return {"words": 0.0, "length": 0.0, "relevance": 0.0, "copy": 0.0, "refusal": 0.0, "truncated": 0.0,
                "repetition": 0.0}
    length = min(1.0, math.log1p(n) / _LOG_SATURATION)
    instr_words = set(_WORD.findall(instruction.lower()))
    asked = {w for w in instr_words if w not in _STOP and len(w) > 1}
    said = set(words)  # the response's distinct words, found once (content words are a subset)
    relevance = len(asked & said) / len(asked) if asked else 0.5
    copy = n >= 5 and sum(w in instr_words for w in words) >= 0.9 * n
    refusal = bool(_REFUSAL.search(response[:200]) or _BOILERPLATE.search(response[:300]))
    return {"words": float(n), "length": length, "relevance": relevance, "copy": float(copy),
            "refusal": float(refusal), "truncated": float(_truncated(response, n)),
            "repetition": _repetition(response, words)}


def _truncated(response: str, n_words: int) -> bool:
    """An unbalanced code fence, or prose of >= TRUNCATION_MIN_WORDS words that stops mid-sentence."""
    if response.count("```") % 2:
        return True
    if n_words < TRUNCATION_MIN_WORDS or _CODE.search(response):
        return False
    tail = response.rstrip()
    return bool(tail) and bool(_MID_SENTENCE.search(tail[-1]))


def _repetition(response: str, words: Sequence[str]) -> float:
    """0 for varied text, rising to 1 as repeated word trigrams or repeated lines take over."""
    grams = len(words) - 2
    tri = 1.0 - len(set(zip(words, words[1:], words[2:]))) / grams if grams >= 10 else 0.0
    lines = [line.strip().lower() for line in response.splitlines() if len(line.split()) >= 4]
    dup_lines = 1.0 - len(set(lines)) / len(lines) if len(lines) >= 3 else 0.0
    ramp = lambda x, lo, width: min(1.0, max(0.0, (x - lo) / width))  # noqa: E731
    return max(ramp(tri, *REPEAT_TRIGRAM_RAMP), ramp(dup_lines, *REPEAT_LINE_RAMP))


def proxy_score(instruction: str, response: str) -> float:
    """The heuristic proxy of one record (formula in the module docstring), in [1, 10]."""
    c = proxy_components(instruction, response)
    if not c["words"]:
        return 1.0
    value = ((LENGTH_WEIGHT * c["length"] + (1 - LENGTH_WEIGHT) * c["relevance"])
             * (1 - 0.6 * c["refusal"]) * (1 - 0.5 * c["copy"]) * (1 - 0.4 * c["truncated"])
             * (1 - 0.6 * c["repetition"]))
    return 1.0 + 9.0 * value


def proxy_quality(instructions: Sequence[str], responses: Sequence[str]) -> np.ndarray:
    """Proxy quality for aligned instruction/response lists (float64)."""
    if len(instructions) != len(responses):
        raise SiftError("need one response per instruction for the quality proxy")
    return np.array([proxy_score(i or "", r or "") for i, r in zip(instructions, responses)], dtype=np.float64)


def quality_for(pool: Pool) -> QualityResult:
    """Quality of every record of ``pool``: DEITA (MIG format), a quality column, or the documented proxy.

    Raises InputError naming the first record whose given quality is NaN or infinite.
    """
    if len(pool) == 0:
        raise SiftError("the pool is empty: no records to score")
    given = pool.quality
    if given is not None:
        values = np.asarray(given, dtype=np.float64).reshape(-1)
        if values.shape[0] != len(pool):
            raise SiftError(f"quality has {values.shape[0]} values for {len(pool)} records")
        bad = np.flatnonzero(~np.isfinite(values))
        field = getattr(getattr(pool, "fieldmap", None), "quality", None)
        source = given_quality_source(pool)
        if bad.size:
            raise InputError(f"record {pool.ids[bad[0]]!r} (row {bad[0] + 1}) has no valid quality value; "
                             f"{bad.size} records in all. Fill them, drop them, or remove the quality column "
                             "to use the heuristic proxy", field=getattr(getattr(pool, "fieldmap", None), "quality",
                                                                         None) or "quality",
                             file=getattr(pool, "name", None),
                             line=int(pool.lines[bad[0]]) if getattr(pool, "lines", None) is not None else None)
        note = {"deita": "DEITA quality x complexity, averaged over rounds",
                "proxy": f"heuristic proxy values from the column {field!r} (an earlier export), not a quality "
                         "model"}.get(source, "quality column from the data")
        return QualityResult(values, source, note)
    values = proxy_quality(pool.instructions, pool.responses)
    return QualityResult(values, "proxy", "heuristic proxy (response length, relevance, refusals), not a quality "
                                           "model: add a quality column or DEITA scores for real quality")



#: Name of the exported quality column, by source: the proxy never travels under the name ``quality``.
PROXY_COLUMN = "quality_proxy"


def is_proxy_column(name: str) -> bool:
    """True for a column name that holds proxy quality (``quality_proxy``, or ``sift_quality_proxy`` on a clash)."""
    return str(name).lower().rsplit(".", 1)[-1].endswith(PROXY_COLUMN)


def quality_column(source: str) -> str:
    """The export column name for quality from ``source``: "quality_proxy" for the proxy, else "quality"."""
    if source not in QUALITY_SOURCES:
        raise SiftError(f"quality source must be one of {', '.join(QUALITY_SOURCES)}, got {source!r}")
    return PROXY_COLUMN if source == "proxy" else "quality"


def given_quality_source(pool: Pool) -> str | None:
    """Source of the quality ``pool`` carries itself, without computing the proxy: "deita", "column", "proxy"
    (a column whose name says proxy, mapped explicitly) or None when it has none."""
    if pool.quality is None:
        return None
    field = getattr(getattr(pool, "fieldmap", None), "quality", None)
    if field is not None and is_proxy_column(field):
        return "proxy"
    return "deita" if getattr(pool, "shape", None) == "mig" else "column"


def quality_source(features: Features) -> str | None:
    """Where ``features.quality`` came from ("deita", "column", "proxy"), or None when it has no quality."""
    if getattr(features, "quality", None) is None:
        return None
    result = getattr(features, "extra", {}).get("quality")
    if isinstance(result, QualityResult):
        return result.source
    return "proxy" if getattr(features, "quality_is_proxy", False) else "column"


def quality_warning(needs: Sequence[str], features: Features, what: str = "this selector") -> str | None:
    """A warning when a run that needs quality (``"quality" in needs``) would use the heuristic proxy, else None.

    ``needs`` is a selector's ``spec.required(params)``; the CLI prints the warning to stderr, the Selection page
    shows it, and ``core.selectors.run`` records ``quality_source`` in the run's info.
    """
    if "quality" not in needs or quality_source(features) != "proxy":
        return None
    return (f"{what} ranks by quality, and this pool has no quality column or DEITA scores: it runs on the "
            "heuristic proxy (length, relevance, refusals, truncation, repetition), not a quality model. "
            "Add a 'quality' column for real quality.")
