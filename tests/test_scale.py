"""Scale paths give the results of the simple paths they replace (issue 14 point 1, issue 15 point 4).

Small real inputs (the 455-record sample) checked against the straightforward computation: batched MinHash
signatures against ``datasketch.MinHash.bulk``, sorted-band near duplicates against a ``MinHashLSH`` insert/query
loop, the hash-based reference deduplication against ``np.unique``, the orjson line parser against ``json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.data import load_pool
from core.data.readers import _jsonl_lines
from core.dedup import SHINGLE, _shingles, _signatures, near_groups, normalize

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "instructions.jsonl"


@pytest.fixture(scope="module")
def sample_texts() -> list[str]:
    pool = load_pool(SAMPLE)
    return [normalize(t) for t in pool.texts(view="instruction")]


def lsh_loop_groups(norm: list[str], threshold: float = 0.8) -> np.ndarray:
    """The per-record datasketch loop: query the LSH, check exact Jaccard, insert; components by smallest index."""
    from datasketch import MinHash, MinHashLSH

    rows = [i for i, t in enumerate(norm) if t]
    sets = [_shingles(norm[i], SHINGLE) for i in rows]
    lsh = MinHashLSH(threshold=threshold - 0.15, num_perm=128)
    parent = list(range(len(norm)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    linked = set()
    for j, mh in enumerate(MinHash.bulk(sets, num_perm=128, seed=1)):
        for other in lsh.query(mh):
            a, b = sets[j], sets[other]
            if len(a & b) >= threshold * len(a | b):
                ra, rb = find(rows[j]), find(rows[other])
                parent[max(ra, rb)] = min(ra, rb)
                linked.update((rows[j], rows[other]))
        lsh.insert(j, mh)
    return np.array([find(i) if i in linked else -1 for i in range(len(norm))])


def test_batched_signatures_equal_datasketch_bulk(sample_texts):
    from datasketch import MinHash

    texts = [t for t in sample_texts if t]
    ref = np.array([m.hashvalues for m in MinHash.bulk([_shingles(t, SHINGLE) for t in texts], num_perm=128, seed=1)])
    got = _signatures(texts, shingle=SHINGLE, num_perm=128, seed=1, chunk=37)  # several chunks
    assert got.dtype == ref.dtype and np.array_equal(got, ref)


@pytest.mark.parametrize("threshold", [0.8, 0.5])
def test_near_groups_equal_the_lsh_loop(sample_texts, threshold):
    # repeated and lightly edited records so that there are groups to find at either threshold
    norm = sample_texts + sample_texts[:20] + [t + " extra words here" for t in sample_texts[20:40]] + ["", ""]
    got = near_groups(norm, threshold=threshold)
    want = lsh_loop_groups(norm, threshold)
    assert (got >= 0).sum() >= 40
    assert np.array_equal(got, want)


def test_reference_dedup_by_hash_keeps_the_distinct_rows_without_a_copy():
    from core.metrics import novelsum_metric as nm

    rng = np.random.default_rng(0)
    X = rng.standard_normal((nm.UNIQUE_SORT_MAX_ROWS + 500, 6)).astype(np.float32)
    assert np.shares_memory(nm.deduplicate_reference(X), X)  # all distinct: the array itself, no copy
    X[10] = X[3]
    X[20] = X[3]
    X[30] = 0.0
    X[31] = 0.0
    X[31, 2] = -0.0  # equal to X[30] as np.unique compares
    got = nm.deduplicate_reference(X)
    want = np.unique(X, axis=0)
    assert got.shape == want.shape == (X.shape[0] - 3, 6)
    assert np.array_equal(np.unique(got, axis=0), want)
    assert got.dtype == np.float32


def test_reference_dedup_small_is_np_unique():
    from core.metrics.novelsum_metric import deduplicate_reference

    X = np.array([[1, 2], [0, 1], [1, 2]], dtype=np.float32)
    assert np.array_equal(deduplicate_reference(X), np.unique(X, axis=0))


def test_orjson_path_gives_the_json_values_and_errors(tmp_path):
    lines = [b'\xef\xbb\xbf{"a": 123456789012345678901234567890}\n', b'{"a": -9223372036854775809, "b": -0.0}\n',
             b'{"a": NaN}\n', b'{"a": 1e400}\n', b'{"a": "\\ud800"}\n', b'{"a": "\\ud83d\\ude00", "a": 2}\n',
             b'{"a": [1, 2.5, null, true]}\n', b'[1, 2]\n', b'{"a": \n', b'\xef\xbb\xbf{"a": 1}\n', b'{"a": "\xff"}\n',
             b'   \n', b'{"x": 4.9e-324}\r\n']
    items = list(_jsonl_lines(((i + 1, 0, raw) for i, raw in enumerate(lines)), "f.jsonl"))
    for item in items:
        if isinstance(item, tuple):
            line, value = item
            raw = lines[line - 1]
            want = json.loads(raw.decode("utf-8-sig"))
            assert repr(value) == repr(want) and type(value) is type(want)
    problems = {it.line: it for it in items if not isinstance(it, tuple)}
    # lone surrogate, truncated JSON, a BOM after line 1, bad UTF-8: the json path's messages (a BOM on line 1 is
    # dropped, as before)
    assert set(problems) == {5, 9, 10, 11}
    assert "malformed JSON" in problems[9].reason and "UTF-8" in problems[11].reason
    assert [it[0] for it in items if isinstance(it, tuple)] == [1, 2, 3, 4, 6, 7, 8, 13]


def test_info_skips_near_duplicates_above_the_limit_and_says_so(monkeypatch, capsys):
    import core.dedup
    from core.cli import main

    monkeypatch.setattr(core.dedup, "INFO_NEAR_LIMIT", 100)
    assert main(["info", str(SAMPLE), "--json"]) == 0
    dups = json.loads(capsys.readouterr().out)["duplicates"]
    assert "near" not in dups["by_kind"] and "info --near" in dups["skipped"]["near"]
    assert main(["info", str(SAMPLE)]) == 0
    assert "near       not computed above 100 records" in capsys.readouterr().out
    assert main(["info", str(SAMPLE), "--json", "--near"]) == 0
    forced = json.loads(capsys.readouterr().out)["duplicates"]
    assert "near" in forced["by_kind"] and "skipped" not in forced
