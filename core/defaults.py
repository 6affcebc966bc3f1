"""The documented defaults of the settings the app and the CLI share, defined once.

``core.cli.options`` builds every command's options from these, and the app imports the same names, so a default
changes in one place. Only plain constants live here (no imports), so any module may import it.
"""

from __future__ import annotations

#: Sentence-transformers model of the pool embeddings and label embeddings (bundled offline, see core.embed).
DEFAULT_MODEL = "all-MiniLM-L6-v2"
#: Text embedded per record: the user turns ("instruction") or user and assistant turns.
VIEWS = ("instruction", "instruction+response")
DEFAULT_VIEW = "instruction"
#: Chat turns read per record: the first exchange or all of them.
TURNS = ("first", "all")
DEFAULT_TURNS = "first"
#: Record shape of a pool file ("auto": detected, see core.data.shapes).
DEFAULT_SHAPE = "auto"
#: Where labels come from: data tags if any else automatic tags ("auto"), the data's tags, automatic labels,
#: zero-shot tags of a vocabulary, or no labels.
LABEL_SOURCES = ("auto", "data", "auto_tags", "zero_shot", "none")
DEFAULT_LABELS = "auto"
#: Label-graph threshold mode: "auto" picks T from the model's label similarities (core.label_graph); a cosine
#: such as MIG's official 0.9 is one option away.
DEFAULT_THRESHOLD_MODE = "auto"
#: Seed of every selector that draws at random (0 to 2**32 - 1).
DEFAULT_SEED = 42
#: Encoder batch size, and how many texts one on-disk embedding chunk holds (a multiple of the batch size, so
#: chunking never changes which texts share a batch). The first chunk is one batch, so progress (count, rate,
#: ETA) is reported within seconds.
DEFAULT_BATCH_SIZE = 64
DEFAULT_CHUNK_SIZE = 512
#: What runs the model for the pool embeddings (core.embed_backends): sentence-transformers on torch (the reference),
#: ONNX Runtime fp32 (fused; same vectors to cosine 1.000000, 1.86x torch), or ONNX Runtime int8 (2.56x, min cosine
#: 0.98, picks move: opt-in). "auto" (the default) is onnx for the bundled model when onnxruntime is installed and
#: torch for any other model (core.embed.resolve_backend).
BACKENDS = ("auto", "torch", "onnx", "onnx-int8")
DEFAULT_BACKEND = "auto"
#: Where the model runs: "auto" is CUDA when torch sees a GPU, else the CPU.
DEVICES = ("auto", "cpu", "cuda")
DEFAULT_DEVICE = "auto"
