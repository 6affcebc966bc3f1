"""core.embed's cooperative cancel: ``should_stop`` is asked before each chunk; a True stops the run with
EmbeddingCancelled after the chunks already finished (which are cached), and the next run computes only the rest."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core import embed

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "instructions.jsonl"
TEXTS = sorted((json.loads(line)["instruction"] for line in SAMPLE.read_text().splitlines()), key=len)[:28]
BATCH, CHUNK = 4, 8  # one chunk of 4, then 3 chunks of 8


def _chunks(cache_dir) -> int:
    return embed.cached_chunks(TEXTS, batch_size=BATCH, chunk_size=CHUNK, cache_dir=cache_dir)[0]


def test_should_stop_cancels_after_the_current_chunk_and_the_next_run_resumes(tmp_path):
    asked = []

    def stop_after_two() -> bool:
        asked.append(_chunks(tmp_path))
        return len(asked) > 2  # the third question: two chunks are done

    with pytest.raises(embed.EmbeddingCancelled) as err:
        embed.embed_texts(TEXTS, cache_dir=tmp_path, batch_size=BATCH, chunk_size=CHUNK, should_stop=stop_after_two)
    assert asked == [0, 1, 2]  # asked before each chunk, with every earlier chunk already written
    assert _chunks(tmp_path) == 2 and (err.value.done, err.value.total) == (4 + 8, len(TEXTS))
    assert "cancelled after 12 of 28 texts" in str(err.value)

    messages = []
    X = embed.embed_texts(TEXTS, cache_dir=tmp_path, batch_size=BATCH, chunk_size=CHUNK,
                          progress=lambda f, m: messages.append(m), should_stop=lambda: False)
    assert any(m.startswith("Resuming: 12 of 28 texts cached, 2 chunk(s) to go") for m in messages)
    assert _chunks(tmp_path) == 4
    fresh = embed.embed_texts(TEXTS, batch_size=BATCH, chunk_size=CHUNK, use_cache=False)
    assert np.array_equal(X, fresh)
