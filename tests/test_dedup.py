"""core.dedup: exact, near-duplicate and template groups, the keep-one rule, ``--dedup`` and ``info`` counts."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from core.cli import main
from core.dedup import find_duplicates, normalize, pool_duplicates, select_deduplicated
from core.errors import SiftError
from core.features import Features

PREAMBLE = ("toolformer: enabled\ntoolformer access: calendar\nA calendar tool. Use it to look up dates, weekdays "
            "and holidays. Input should be a date question in natural language.\ncalendar(query)\n")
QUESTIONS = ["Which weekday is the 4th of July 2031?", "When is Easter in 2027?",
             "How many days until the winter solstice?", "Is 2032 a leap year?",
             "What date is the second Monday of October 2030?", "Which holidays fall in May in France?"]
DISTINCT = ["Write a haiku about autumn leaves falling on a quiet pond.",
            "Explain how a hash map resolves collisions with open addressing.",
            "List three causes of the French Revolution and explain each briefly.",
            "Translate 'good morning, how are you' into Spanish and German.",
            "What is the derivative of x cubed plus two x?",
            "Describe the water cycle for a ten year old student.",
            "Give me a packing list for a two week hiking trip in Norway.",
            "Summarise the plot of Moby Dick in three sentences."]
LONG = ("Please read the following paragraph about the migration of arctic terns and then write a short summary "
        "of the main points, including the distances they travel each year, the routes they take between the "
        "poles, and the reasons scientists give for this remarkable behaviour.")


def _texts():
    """Distinct texts, an exact duplicate pair (case/punctuation differ), a near-duplicate pair, a template set."""
    texts = list(DISTINCT)
    texts += ["Write a HAIKU about autumn leaves, falling on a quiet pond!"]  # exact duplicate of 0 once normalised
    texts += [LONG, LONG + " Thank you so much."]  # near duplicates (a polite ending added)
    texts += [PREAMBLE + q for q in QUESTIONS]  # template group of 6
    return texts


def test_normalize_collapses_case_punctuation_and_space_but_keeps_digits():
    assert normalize("  Hello,   WORLD!!\n\tfoo_bar ") == "hello world foo bar"
    assert normalize("add 2 and 3") != normalize("add 2 and 4")


def test_groups_exact_near_and_template_but_not_distinct_texts():
    texts = _texts()
    d = find_duplicates(texts)
    n = len(texts)
    assert d.n == n
    tmpl = list(range(n - len(QUESTIONS), n))
    # the exact pair
    assert d.group[0] >= 0 and d.group[0] == d.group[len(DISTINCT)] and d.kinds[d.group[0]] == "exact"
    # the near pair
    a, b = len(DISTINCT) + 1, len(DISTINCT) + 2
    assert d.group[a] >= 0 and d.group[a] == d.group[b] and d.kinds[d.group[a]] == "near"
    # the templated set is one group and reports the preamble that repeats
    g = d.group[tmpl[0]]
    assert g >= 0 and all(d.group[i] == g for i in tmpl) and d.kinds[g] == "template"
    assert d.sizes[g] == len(QUESTIONS)
    assert d.template[g].startswith("toolformer: enabled\ntoolformer access: calendar")
    assert "calendar(query)" in d.template[g] and QUESTIONS[0] not in d.template[g]
    # the other distinct texts are in no group
    assert all(d.group[i] == -1 for i in range(1, len(DISTINCT)))
    assert d.n_groups == 3 and d.dropped == 1 + 1 + len(QUESTIONS) - 1
    assert d.by_kind["template"] == {"groups": 1, "records": len(QUESTIONS)}


def test_kinds_can_be_switched_off_and_template_needs_min_size():
    texts = _texts()
    only_exact = find_duplicates(texts, kinds=("exact",))
    assert only_exact.n_groups == 1 and set(only_exact.by_kind) == {"exact"}
    few = find_duplicates([PREAMBLE + q for q in QUESTIONS[:3]] + DISTINCT, kinds=("template",))
    assert few.n_groups == 0  # 3 records share the preamble, below the default minimum of 5
    three = find_duplicates([PREAMBLE + q for q in QUESTIONS[:3]] + DISTINCT, kinds=("template",),
                            template_min_size=3)
    assert three.n_groups == 1 and three.sizes[0] == 3
    with pytest.raises(SiftError):
        find_duplicates(texts, kinds=("fuzzy",))


def test_keep_one_rule_prefers_real_quality_then_file_order():
    texts = [PREAMBLE + q for q in QUESTIONS] + DISTINCT
    plain = find_duplicates(texts)
    assert plain.representative.tolist() == [0]  # no quality: the first in file order
    q = np.full(len(texts), np.nan)
    q[3] = 5.0
    q[1] = 4.0
    rated = find_duplicates(texts, quality=q)
    assert rated.representative.tolist() == [3]
    tied = np.zeros(len(texts))
    assert find_duplicates(texts, quality=tied).representative.tolist() == [0]  # ties: file order
    keep = rated.keep()
    assert 3 in keep and not set(keep) & {0, 1, 2, 4, 5}
    assert len(keep) == len(texts) - rated.dropped


def test_select_deduplicated_maps_picks_back_to_pool_ids_and_never_two_of_one_group():
    texts = _texts()
    d = find_duplicates(texts)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(len(texts), 8)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    feats = Features(n=len(texts), embeddings=X, texts=texts, quality=np.arange(len(texts), dtype=float))
    budget = len(d.keep())
    sel = select_deduplicated("kcenter", feats, budget, d)
    assert sorted(sel.indices.tolist()) == d.keep().tolist()
    groups = [int(d.group[i]) for i in sel.indices if d.group[i] >= 0]
    assert len(groups) == len(set(groups)) == d.n_groups
    assert sel.info["dedup"]["dropped"] == d.dropped
    with pytest.raises(SiftError):
        select_deduplicated("kcenter", feats, budget + 1, d)


@pytest.fixture(scope="module")
def dup_pool(tmp_path_factory):
    root = tmp_path_factory.mktemp("dedup")
    texts = _texts()
    path = root / "pool.jsonl"
    path.write_text("".join(json.dumps({"id": f"d{i:02d}", "instruction": t, "input": "",
                                        "output": f"answer {i}"}) + "\n" for i, t in enumerate(texts)))
    return path, texts


def test_cli_select_dedup_drops_duplicates_and_records_them(dup_pool, tmp_path, capsys):
    path, texts = dup_pool
    d = find_duplicates(texts)
    budget = len(texts) - d.dropped
    out = tmp_path / "picked.jsonl"
    assert main(["select", str(path), "--method", "random", "--budget", str(budget), "--dedup", "-o", str(out)]) == 0
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert sorted(ids) == sorted(f"d{i:02d}" for i in d.keep())
    manifest = json.loads(out.with_name("picked.manifest.json").read_text())
    blob = json.dumps(manifest)
    assert '"dropped": %d' % d.dropped in blob and '"template_chars"' in blob
    # without --dedup the whole pool is a candidate: the same budget is allowed one more, with --dedup it is not
    assert main(["select", str(path), "--method", "random", "--budget", str(budget + 1), "-o", str(out)]) == 0
    assert main(["select", str(path), "--method", "random", "--budget", str(budget + 1), "--dedup",
                 "-o", str(out)]) == 2


def test_cli_info_reports_duplicate_counts(dup_pool, capsys):
    path, _ = dup_pool
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    dups = info["duplicates"]
    assert dups["by_kind"]["exact"] == {"groups": 1, "records": 2}
    assert dups["by_kind"]["template"] == {"groups": 1, "records": len(QUESTIONS)}
    assert dups["dropped"] == 1 + 1 + len(QUESTIONS) - 1
    assert main(["info", str(path)]) == 0
    text = capsys.readouterr().out
    assert "template   1 groups, 6 records" in text


def test_sample_data_groups_are_real_duplicates(sample_path):
    from core.data import load_pool

    pool = load_pool(sample_path)
    d = pool_duplicates(pool)
    norm = [normalize(t) for t in pool.instructions]
    for g in range(d.n_groups):
        if d.kinds[g] == "exact":
            assert len({norm[i] for i in d.members(g)}) == 1


def test_pool_mixed_toolformer_templates_are_groups(pool_mixed_path):
    from core.data import load_pool

    pool = load_pool(pool_mixed_path)
    source = [json.loads(line)["source"] for line in open(pool_mixed_path, encoding="utf-8")]
    d = pool_duplicates(pool, kinds=("template",))
    tool = [i for i, s in enumerate(source) if s == "gpteacher_toolformer"]
    grouped = [i for i in tool if d.group[i] >= 0]
    assert len(grouped) >= 0.9 * len(tool)
    tool_groups = Counter(int(d.group[i]) for i in grouped)
    assert len(tool_groups) >= 10  # many distinct preambles, not one blob
    for g in tool_groups:
        assert d.template[g].startswith("toolformer: enabled\ntoolformer access:")
    kept_tool = sum(1 for i in d.keep() if source[i] == "gpteacher_toolformer")
    assert kept_tool < 0.05 * len(tool)


def test_normalize_all_equals_normalize_per_text_in_and_across_batches():
    """The batched normaliser gives normalize() of each text: ASCII batches, non-ASCII and NUL-holding texts alike,
    whatever the batch size (NUL is the batch separator, so a text holding one must take the per-text path)."""
    import random

    from core.dedup import normalize_all

    rng = random.Random(7)
    alphabet = "aZ09 \t\n\r\x0b\x0c\x1c\x00!_.,-éÅＡ\u2028ß"
    for _ in range(300):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(0, 40))]
        if rng.random() < 0.5:
            texts = [t.encode("ascii", "ignore").decode("ascii") for t in texts]
        expected = [normalize(t) for t in texts]
        for chunk in (1, 3, 8192):
            assert normalize_all(texts, chunk=chunk) == expected
    assert normalize_all(["  Hello,   WORLD!!\n\tfoo_bar ", "", "a\x00b", "Ｈｉ!"]) == \
        ["hello world foo bar", "", "a b", "hi"]


def test_groups_of_one_relation_match_the_merged_graph():
    """With one relation linked (exact only, template only) the groups are that relation's own, numbered in file
    order: the path that skips the graph gives what the connected components give."""
    texts = _texts() + [DISTINCT[2].upper()]
    exact = find_duplicates(texts, kinds=["exact"])
    assert exact.group.tolist() == [0, -1, 1, -1, -1, -1, -1, -1, 0] + [-1] * 8 + [1]
    template = find_duplicates(texts, kinds=["template"])
    assert template.group.tolist() == [-1] * 11 + [0] * 6 + [-1]
    both = find_duplicates(texts, kinds=["exact", "template"])
    assert both.group.tolist() == [0, -1, 1, -1, -1, -1, -1, -1, 0] + [-1] * 2 + [2] * 6 + [1]
