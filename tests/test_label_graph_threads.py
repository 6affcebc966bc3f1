"""The label vocabulary is embedded with one torch thread (core.label_graph.one_torch_thread): the vectors are the
ones the default threads give, the thread count is restored, and a cached vocabulary loads no torch at all."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from core.label_graph import LabelGraph, one_torch_thread


def vocabulary(fixtures_dir, k=96):
    data = json.loads((fixtures_dir / "mig_t0.6.json").read_text())
    return sorted({t for p in data["inputs"]["pool"] for t in p["labels"]})[:k]


def test_one_thread_gives_the_same_vectors_and_restores_the_count(fixtures_dir):
    import torch

    from core.embed import encode_chunk, load_model

    labels = vocabulary(fixtures_dir)
    model = load_model()
    before = torch.get_num_threads()
    default = encode_chunk(model, labels, batch_size=32)
    with one_torch_thread():
        assert torch.get_num_threads() == 1
        single = encode_chunk(model, labels, batch_size=32)
    assert torch.get_num_threads() == before
    assert np.array_equal(single, default)


def test_graph_from_a_cached_vocabulary_imports_no_torch(fixtures_dir, tmp_path):
    labels = vocabulary(fixtures_dir, 40)
    first = LabelGraph.from_labels(labels, threshold=0.6, cache_dir=tmp_path)  # embeds and caches
    code = ("import sys, json; from core.label_graph import LabelGraph; "
            f"g = LabelGraph.from_labels(json.loads({json.dumps(json.dumps(labels))}), threshold=0.6, "
            f"cache_dir={str(tmp_path)!r}); "
            "print(json.dumps({'torch': 'torch' in sys.modules, 'edges': g.n_edges}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"torch": False, "edges": first.n_edges}
