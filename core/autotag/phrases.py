"""Topic-phrase candidates for automatic tags: word lists, phrase extraction, the pool vocabulary, topicality.

Topic phrases (usually 1-3 per record) follow KeyBERT-style keyphrase selection (Grootendorst 2020, KeyBERT):
candidates are 1-3-word phrases of the pool's texts made of runs of words without stop words, punctuation or
digits (:func:`candidate_phrases`), that do not start or end with a verb, adverb, generic adjective or number word
(:data:`EDGE_WORDS`), do not end with an ``-ed`` form, and, alone, are not a generic word (:data:`GENERIC_WORDS`:
"place", "number", "monday"...). Lines and clauses that recur verbatim in many distinct texts (prompt templates,
tool preambles; see :func:`boilerplate_segments`) are not read (:func:`doc_phrases`). The vocabulary keeps phrases
found in at least ``min_df`` records and at most ``max_df`` of them, the most frequent first
(:func:`candidate_vocabulary`). :func:`directive_zone` gives a record's first and last sentence, where requests
state their task; :func:`topicality` says how much closer to each other the records holding a phrase are than
random records (near 0 for words used anywhere and for first names).

This module only finds and scores candidates; embedding them and choosing each record's labels is
``core.autotag.assign``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional, Sequence

import numpy as np
import scipy.sparse as sp

#: Instruction boilerplate that is never an intent label on its own (added to scikit-learn's English stop words).
INSTRUCTION_STOP_WORDS = frozenset("""
write following given provide create generate make use using used based like need want help please tell know let
say way does did just don ll ve sure explain describe give find show include including im i'm you're it's that's
what's let's can't won't don't doesn't isn't aren't didn't today also want wants wanted need needs
really thing things lot lots maybe okay ok yes yeah hi hello thanks thank answer question questions assert
""".split())

# Phrase filters. Stop words end a phrase; edge words may sit inside one but never start or end it; generic words
# are never a tag on their own. scikit-learn's list minus the content words it holds ("system", "interest"...).
_SKLEARN_KEEP = frozenset("system fire bill interest mill cry thick thin empty front bottom top detail serious "
                          "sincere amount name side part move".split())
_NUMBER_WORDS = frozenset("""
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands million
millions billion billions dozen dozens half twice triple double once thrice first second third fourth fifth sixth
seventh eighth ninth tenth quarter quarters
""".split())
_VERB_BASES = """
ask solve calculate compute determine consider become seem appear begin continue remain bring take get go come see
look think believe feel try leave sit stand hold happen allow add spend buy pay sell meet include provide create
read learn understand follow speak remember like want expect decide choose prefer reach raise require receive
suggest explain describe identify generate produce develop improve increase reduce apply fill eat grow win lose
send tell give make find know say mean let put keep carry stay arrive teach wash rewrite convert classify summarize
summarise translate extract implement respond compare contain involve mention refer tend manage handle prepare
discuss imagine pretend assume ensure avoid enjoy notice realize realise recognize recognise suppose wonder argue
gather collect multiply subtract estimate exist belong depend affect seek obtain achieve perform consist represent
replace remove reverse accept weigh open close announce analyze analyse deliver contribute conduct enter gain
advise confirm hide inspire react earn owe borrow lend join invite attend organize organise discover explore depart
marry deserve prove reveal warn refuse deny admit agree disagree complain apologize apologise thank
""".split()
_IRREGULAR = """
went gone came saw seen thought felt took taken got gotten gave given made found knew known said told left kept
began begun brought bought sold paid met spent held stood sat ran ate eaten drank grew grown won lost broke broken
sent built led wrote written spoke spoken chose chosen became fell fallen rose drove driven flew flown caught
taught meant hit let set cut put threw thrown forgot forgotten understood hung lay laid lit shot shut slept
""".split()
_ADVERBS = """
very really quickly actually usually often always never also still just even already almost especially probably
simply finally recently currently directly exactly briefly easily certainly respectively together approximately
instead however therefore else later soon ago away back maybe perhaps quite rather pretty completely totally fully
mostly nearly highly slightly including regarding etc e.g i.e vs via per each every anyway
""".split()
_GENERIC_ADJECTIVES = """
good bad old big small large little long short high low great different various certain specific particular main
major minor simple easy hard difficult possible impossible important useful common general real true false right
wrong whole full free open next last previous following given same similar other own several many much few best
better worst worse single entire total current recent early late famous popular typical basic extra additional
available able unable likely unlikely sure correct incorrect valid invalid appropriate relevant interesting
necessary brief detailed quick slow fast faster slower longer larger smaller higher lower greater bigger less least
more most fewer nice great amazing awesome beautiful wonderful perfect fine okay ok top bottom front back left
right such distant ancient modern short-term long-term overall initial final
""".split()
_GRADABLE = """
tall heavy light cheap young strong weak warm cold hot cool deep wide thin thick rich poor close far bright dark
loud quiet soft safe busy happy sad fast slow long short high low large small big great old new easy hard early
late near smart clean dirty full empty nice fine
""".split()
_GENERIC_NOUNS = """
new act check count source time times place places person people thing things way ways part parts number numbers
amount total hand hands day days week weeks year years month months hour hours minute minutes second seconds end
side line lines point points case cases example examples result results type types kind kinds list lists text texts
sentence sentences word words input output question questions answer answers option options information value
values item items lot lots group groups level levels order form fact facts idea ideas problem problems reason
reasons term terms set sets piece pieces step steps task tasks topic topics context passage paragraph paragraphs
document documents response responses user users man woman men women guy guys someone something everything anything
nothing life use work matter issue issues situation stuff bit bits area areas detail details aspect aspects feature
features factor factors approach method methods process member members thanks hey hi hello dear sir madam yes no
lol etc others rest sort amount variety range series couple pair total sum difference average percent percentage
rate rates function functions code program programs element elements significance importance future past present
beginning year-old years-old monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december morning evening afternoon night tonight today tomorrow
yesterday weekend
""".split()


def _degrees(adjective: str) -> set[str]:
    """Comparative and superlative of an adjective (``short`` -> ``shorter``, ``shortest``; ``big`` -> ``bigger``)."""
    stem = adjective[:-1] + "i" if adjective.endswith("y") else adjective
    if adjective.endswith("e"):
        return {adjective + "r", adjective + "st"}
    if (len(adjective) <= 4 and adjective[-1] not in "aeiouwxy" and adjective[-2:-1] in tuple("aeiou")
            and adjective[-3:-2] not in "aeiou"):
        stem = adjective + adjective[-1]
    return {stem + "er", stem + "est"}


def _inflections(base: str) -> set[str]:
    """Regular inflections of a verb: ``-s``, ``-ed``, ``-ing`` (with the usual e-drop, y->i and doubling rules)."""
    out = {base, base + "s", base + "es", base + "ed", base + "d", base + "ing"}
    if base.endswith("e"):
        out |= {base[:-1] + "ing", base[:-1] + "ed"}
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        out |= {base[:-1] + "ies", base[:-1] + "ied"}
    if len(base) <= 4 and base[-1] not in "aeiouwxy" and base[-2:-1] in tuple("aeiou") and base[-3:-2] not in "aeiou":
        out |= {base + base[-1] + "ing", base + base[-1] + "ed"}
    return out


#: Words that may be inside a phrase but never start or end one (verbs that are rarely nouns, with their regular and
#: irregular forms; adverbs; generic adjectives and the comparatives / superlatives of common ones; number words).
#: Verbs that are often nouns ("list", "print", "report") are left out: "linked list" and "print statement" are good
#: tags.
EDGE_WORDS = frozenset(set().union(*(_inflections(v) for v in _VERB_BASES)) | set(_IRREGULAR) | set(_ADVERBS)
                       | set(_GENERIC_ADJECTIVES) | set().union(*(_degrees(a) for a in _GRADABLE)) | _NUMBER_WORDS)
#: Words that are never a tag on their own.
GENERIC_WORDS = frozenset(_GENERIC_NOUNS) | EDGE_WORDS
_LY_NOUNS = frozenset("family italy assembly anomaly butterfly monopoly sicily supply reply july jelly belly lily "
                      "bully rally ally holly emily poly".split())
#: Common first names (written for sift; English-language names plus names frequent in GSM8K-style word problems).
#: A candidate phrase holding one of them is dropped ("sam", "james bond"), except the ordinary words of
#: :data:`NAME_WORDS` that the pool also writes in lowercase ("mark", "bill"): a person's name says nothing about the
#: task.
FIRST_NAMES = frozenset("""
aaron abby abigail adam adrian aisha alan albert alex alexa alexander alexis alice alicia alison allison amanda amber
amelia amy andrea andrew andy angela angie anna anne annie anthony antonio april aria ariel arthur ashley austin ava
barbara barry beatrice becky ben benjamin beth betty bill billy blake bob bobby brad brady brandon brenda brian
bridget brittany brooke bruce bryan caleb cameron camila carl carla carlos carmen carol caroline carrie casey
catherine cathy charles charlie charlotte chelsea cheryl chloe chris christian christina christine christopher
cindy claire clara colin connor craig crystal cynthia daisy dale dan daniel danielle danny darren dave david dawn
dean debbie deborah denise dennis derek diana diane donald donna doris dorothy douglas dylan eddie edward eileen
elaine eleanor elena eli elijah elizabeth ella ellen emily emma eric erica erin ethan eva evan evelyn faith felix
fiona frank fred gabriel gabriella gail gary gavin george gerald gina gloria grace greg gregory hailey hannah harold
harper harry hazel heather helen henry holly howard ian isaac isabel isabella isla ivan jack jackie jackson jacob
jade jake james jamie jan jane janet janice jared jason jasmine jean jeff jeffrey jen jenna jennifer jenny jeremy
jerry jesse jessica jill jim jimmy joan joe joel john johnny jon jonathan jordan jose joseph josh joshua joy joyce
juan judy julia julian julie justin kaitlyn karen kate katherine kathleen kathy katie kayla keith kelly ken kendra
kenneth kevin kim kimberly kyle larry laura lauren leah lee leo leon liam lily linda lisa logan lori louis lucas
lucy luis luke lydia madison maggie mandy marcus margaret maria marie marilyn mario marissa mark martha martin mary
mason matt matthew maya megan melanie melissa mia michael michelle mike mila miles molly monica morgan nancy nadia
naomi natalie nathan neil nicholas nick nicole nina noah nora olivia oliver oscar owen pam pamela patricia patrick
paul paula peggy penny peter phil philip phoebe rachel ralph randy raymond rebecca regina rick ricky riley rita rob
robert robin roger ronald rose ruby russell ruth ryan sally sam samantha samuel sandra sara sarah scarlett scott
sean seth shannon sharon shawn sheila shirley simon sofia sophia sophie stacy stella stephanie stephen steve steven
susan suzanne sylvia tammy tanya tara ted teresa terry theresa thomas tim timothy tina toby todd tom tommy tony tracy
travis troy tyler valerie vanessa victor victoria vincent violet virginia walter wanda wayne wendy william willow
wyatt zach zachary zoe
""".split())
#: First names that are also ordinary words: dropped only when the pool never writes them in lowercase ("a bill",
#: "mark the answer"); every other first name is never a label (a lowercase "james" in an e-mail address is no word).
NAME_WORDS = frozenset("""
amber april bill candy crystal daisy dawn dean faith frank grace hazel holly jack jade jan joy lily mark may miles
penny robin rose ruby sally violet will willow
""".split()) & FIRST_NAMES
_DIGIT = re.compile(r"\d")
#: Code-looking lines: a line that starts like code (test lines, definitions, imports, statements), or one holding
#: code (``==``, ``->``, a call ``name(``, an index ``a[``, a final ``;``) that does not end like a sentence.
_CODE_START = re.compile(
    r"^\s*(?:assert\b|def |class \w+|import |from [\w.]+ import\b|return\b|print\s*\(|#include|using namespace|"
    r"(?:public|private|protected|static|const|let|var|function|fn|func)\s+\w|[{}]|//|/\*|>>>|\$ )")
_CODE_INLINE = re.compile(r"==|!=|=>|->|::|&&|\|\||;\s*$|\b[A-Za-z_]\w+\(|\w\[|\b\w+ = \S")
_PROSE_END = re.compile(r"[.?!:]\s*$")


def is_code_line(line: str) -> bool:
    """Whether a line is code rather than prose (see :data:`_CODE_START` and :data:`_CODE_INLINE`)."""
    if _CODE_START.search(line):
        return True
    if "=" not in line and "(" not in line and "[" not in line and ":" not in line and ";" not in line \
            and "&" not in line and "|" not in line and ">" not in line:
        return False  # no character any inline code pattern needs: prose (the common case, checked cheaply)
    return bool(_CODE_INLINE.search(line) and not _PROSE_END.search(line))


#: An identifier token: snake_case, camelCase ("getElementById", "myButton") or PascalCase with two inner capitals
#: ("ListNodeType"); one inner capital after a capital start is a name, not code ("JavaScript", "GitHub").
_IDENTIFIER = re.compile(r"_|^[a-z]+[A-Z]|[a-z][A-Z].*[a-z][A-Z]")


def is_clean_label(label: str) -> bool:
    """Whether ``label`` can be a label: no ``_``, ``(``, ``=`` or other code characters, not starting with
    ``assert``, no camelCase / snake_case identifier (checked on the label as written)."""
    return bool(label.strip()) and not re.search(r"[_()=\[\]{}<>;:/\\`|$@]", label) \
        and not label.lower().startswith("assert") and not _IDENTIFIER.search(label)
_WORD = re.compile(r"([^\W\d_][\w+#]*(?:['\-.][^\W\d_][\w+#]*)*)|\S")
_SENTENCE = re.compile(r"(?:[^.?!\n]|[.?!](?=[^\s.?!]))+[.?!]*")  # "$1.10", "node.js" stay whole
_CLAUSE = re.compile(r"(?:[^.?!:;\n]|[.?!:;](?=[^\s.?!:;]))+[.?!:;]*")


def stop_words() -> frozenset:
    """Words that end a phrase: scikit-learn's English stop words (minus content words) + instruction boilerplate."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (frozenset(ENGLISH_STOP_WORDS) - _SKLEARN_KEEP) | INSTRUCTION_STOP_WORDS


_ED_NOUNS = frozenset("bed red shed sled seed weed reed speed creed greed steed tweed hundred kindred need feed breed "
                      "bleed embed deed heed ted fred ned med wed".split())


def _is_edge(word: str, edge_words: frozenset) -> bool:
    """A word that may not start or end a phrase: listed, an ``-ly`` adverb (``family`` excepted)."""
    return word in edge_words or (len(word) >= 6 and word.endswith("ly") and word not in _LY_NOUNS)


def _is_participle(word: str) -> bool:
    """An ``-ed`` form ("loaded", "announced"): it may start a phrase ("linked list") but not end one."""
    return len(word) >= 5 and word.endswith("ed") and word not in _ED_NOUNS


def candidate_phrases(text: str, stop_words: frozenset, max_words: int = 3, *, edge_words: frozenset = frozenset(),
                      generic_words: frozenset = frozenset(), lowercase_seen: Optional[set] = None) -> set[str]:
    """1..``max_words``-word phrases of consecutive words of ``text`` (lowercased) without stop words.

    Punctuation, digits and stop words end a run of words; a phrase never starts or ends with one of
    ``edge_words`` (or an ``-ly`` adverb when ``edge_words`` is given), and a one-word phrase is never one of
    ``generic_words``; when ``edge_words`` is given, an ``-ed`` form does not end a phrase and a one-word phrase has
    at least 3 characters. Words are letters first (``c++``, ``node.js``, ``e-mail`` stay whole); ``'s`` is dropped,
    other contractions ("i've", "hadn't") and words with digits ("list1") end a run like stop words.
    ``lowercase_seen``, when given, collects the words written in lowercase in ``text`` (names never are).
    """
    out: set[str] = set()
    run: list[str] = []
    filtered = bool(edge_words)  # the -ly / -ed / length rules come with the word lists
    source = text.replace("\u2019", "'") + " ."
    for m in _WORD.finditer(source):
        token = m.group(1)
        if token and ("_" in token or (not token[1:].islower() and _IDENTIFIER.search(token))
                      or source.startswith("(", m.end())):
            token = None  # an identifier (snake_case, camelCase) or a call "name(": ends the run like a digit
        if token:
            lower = token.lower()
            if lowercase_seen is not None and token == lower:
                lowercase_seen.add(lower)
            token = lower
            if token.endswith("'s"):
                token = token[:-2]
            if len(token) > 1 and token not in stop_words and "'" not in token and not _DIGIT.search(token):
                run.append(token)
                continue
        if run:
            edge = [w in edge_words or (filtered and _is_edge(w, edge_words)) for w in run]
            last_ok = [not e and not (filtered and _is_participle(w)) for w, e in zip(run, edge)]
            for i in range(len(run)):
                if edge[i]:
                    continue
                for j in range(i, min(i + max_words, len(run))):
                    if not last_ok[j]:
                        continue
                    if j == i and (run[i] in generic_words or (filtered and len(run[i]) < 3)):
                        continue
                    out.add(" ".join(run[i:j + 1]))
            run = []
    return out


def directive_zone(text: str, max_chars: int = 300) -> str:
    """The lowercased first and last sentence of ``text`` (each at most ``max_chars``): where a request states its task.

    Alpaca-style prompts put the task first ("Summarise this passage: ..."), P3 / GSM8K-style prompts often last
    ("... How many apples are left?"), so both ends are read and the passage in between is not.
    """
    text = text.strip().lower()
    head = _SENTENCE.findall(text[:2 * max_chars])
    tail = _SENTENCE.findall(text[-2 * max_chars:]) if len(text) > 2 * max_chars else head
    head = [s.strip() for s in head if s.strip()]
    tail = [s.strip() for s in tail if s.strip()]
    if not head:
        return text[:max_chars]
    first, last = head[0][:max_chars], tail[-1][-max_chars:]
    return first if first == last or not last else first + "\n" + last


def boilerplate_segments(texts: Sequence[str], *, min_count: int = 5, share: float = 0.002,
                         min_chars: int = 12) -> set[str]:
    """Lines / clauses that recur verbatim in many different texts (prompt templates, tool preambles).

    A segment (a line, or a clause within a line, split at . ? ! : ; lowercased, spaces collapsed, at least
    ``min_chars`` long) is boilerplate when at least ``max(min_count, share * distinct texts)`` distinct texts
    contain it. Counting runs over distinct texts, so duplicated records do not make their own text boilerplate.
    """
    unique = list(dict.fromkeys(texts))
    counts: Counter = Counter()
    for text in unique:
        counts.update(_segments(text))
    threshold = max(min_count, int(share * len(unique)))
    return {s for s, c in counts.items() if c >= threshold and len(s) >= min_chars}


def _segments(text: str, max_chars: int = 1300) -> set[str]:
    """Lines of ``text`` and their clauses (split at . ? ! : ;), lowercased with spaces collapsed."""
    out = set()
    for line in text[:max_chars].lower().split("\n"):
        line = " ".join(line.split())
        if line:
            out.add(line)
            out.update(s.strip() for s in _CLAUSE.findall(line))
    out.discard("")
    return out


def _content_text(text: str, boilerplate: set[str], head: int = 1000, tail: int = 300) -> str:
    """``text`` without its code lines (:func:`is_code_line`: test lines, statements, calls) and boilerplate lines /
    clauses, cut to the first ``head`` + last ``tail`` characters (all-boilerplate texts keep their lines)."""
    if len(text) > head + tail:
        text = text[:head] + "\n" + text[-tail:]
    lines = [line for line in text.split("\n") if not is_code_line(line)]
    if not boilerplate:
        return "\n".join(lines)
    kept = []
    for line in lines:
        norm = " ".join(line.lower().split())
        if norm in boilerplate:
            continue
        clauses = _CLAUSE.findall(line)
        if len(clauses) > 1:
            line = " ".join(s for s in clauses if " ".join(s.lower().split()) not in boilerplate)
        kept.append(line)
    out = "\n".join(kept)
    return out if out.strip() else "\n".join(lines)


def doc_phrases(texts: Sequence[str], *, max_words: int = 3, boilerplate: Optional[set[str]] = None,
                zones: Optional[Sequence[str]] = None,
                lowercase_seen: Optional[set] = None) -> tuple[list[set[str]], list[set[str]]]:
    """``(phrases, directive phrases)`` of each text: candidate phrases of its content (boilerplate removed; the
    first 1,000 and last 300 characters) and the subset that occurs in its directive zone. ``lowercase_seen``
    collects the words the contents write in lowercase."""
    stop = stop_words()
    bp = boilerplate or set()
    phrases, directive = [], []
    for i, text in enumerate(texts):
        found = candidate_phrases(_content_text(text, bp), stop, max_words, edge_words=EDGE_WORDS,
                                  generic_words=GENERIC_WORDS, lowercase_seen=lowercase_seen)
        zone = zones[i] if zones is not None else directive_zone(text)
        phrases.append(found)
        directive.append(found & candidate_phrases(zone, stop, max_words, edge_words=EDGE_WORDS,
                                                   generic_words=GENERIC_WORDS))
    return phrases, directive


def candidate_vocabulary(phrase_sets: Sequence[set[str]], *, min_df: int = 2, max_df: float = 0.3,
                         max_candidates: int = 4000) -> tuple[list[str], np.ndarray]:
    """``(phrases, document frequencies)``: the ``max_candidates`` most frequent phrases in [min_df, max_df*N] docs."""
    df: Counter = Counter()
    for phrases in phrase_sets:
        df.update(phrases)
    n = len(phrase_sets)
    high = max(min_df, int(max_df * n))
    kept = [(c, p) for p, c in df.items() if min_df <= c <= high]
    if not kept and min_df > 1:
        kept = [(c, p) for p, c in df.items() if c <= high]  # tiny pools: accept phrases seen once
    kept.sort(key=lambda cp: (-cp[0], cp[1]))
    kept = kept[:max_candidates]
    return [p for _, p in kept], np.array([c for c, _ in kept], dtype=np.int64)


def topicality(occurrence: sp.csr_matrix, doc_embeddings: np.ndarray) -> np.ndarray:
    """How much closer to each other the records holding a phrase are than random records, in [about 0, 1].

    For a phrase in ``df`` records, ``m`` = squared norm of the mean of their (unit) embeddings; random records
    give about ``b = 1/df + (1 - 1/df) mu`` (``mu`` = squared norm of the pool mean). The score is
    ``(m - b) / (1 - b)``: high for topical phrases ("binary search", "haiku"), near 0 for words used in any
    context ("place", "left"). Phrases in a single record score 0.
    """
    occ = sp.csr_matrix(occurrence, dtype=np.float32)
    df = np.asarray(occ.sum(axis=0)).ravel()
    sums = np.asarray(occ.T @ doc_embeddings, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        m = (sums ** 2).sum(axis=1) / np.maximum(df, 1) ** 2
        mu = float(np.square(doc_embeddings.mean(axis=0, dtype=np.float64)).sum())
        b = 1.0 / np.maximum(df, 1) + (1 - 1.0 / np.maximum(df, 1)) * mu
        score = (m - b) / np.maximum(1 - b, 1e-9)
    score[df < 2] = 0.0
    return np.clip(score, 0.0, 1.0).astype(np.float32)
