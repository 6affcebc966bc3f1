"""Embedding backends: sentence-transformers on torch (the reference) or the same model run by ONNX Runtime.

The ONNX graph is exported locally, once, from the model's own weights: the whole sentence-transformers module
stack (Transformer, then the model's Pooling and Normalize modules, as listed in its ``modules.json``) is traced
with ``torch.onnx.export``, so pooling and normalisation are the model's own code, not a re-implementation.
Tokenisation is the model's own too (``SentenceTransformer.preprocess``: same tokenizer, ``max_seq_length`` and
truncation). No hub is asked: ``optimum-onnx`` (what sentence-transformers' ``backend="onnx"`` needs) requires
transformers < 4.58, below the pinned 5.x, so it is not used.

For BERT-like models the trace uses the model's eager attention code (same arithmetic as SDPA) so that ONNX
Runtime's transformer optimiser (``onnxruntime.transformers.optimizer.optimize_model``, model_type bert) fuses every
layer's attention, the embedding LayerNorm, SkipLayerNorm and BiasGelu into its CPU kernels (fp32: cosine 1.000000
to torch); other models keep the plain trace. ``OnnxEncoder`` forms batches by a token budget, longest first in
tokens (``TOKENS_PER_ROW``): texts are truncated at the model's ``max_seq_length`` exactly as torch does.

Backends (``BACKENDS``):
- ``torch``: ``SentenceTransformer.encode``; the reference, and what ``auto`` (the default) runs for any model
  other than the bundled one (``core.embed.resolve_backend``).
- ``onnx``: the fused fp32 export run by ONNX Runtime; agrees with torch to cosine 1.000000 (benchmarks/README.md);
  what ``auto`` runs for the bundled default model.
- ``onnx-int8``: that export with dynamic int8 quantisation of its MatMul weights (``onnxruntime.quantization``,
  signed, per channel; the fused attention stays fp32). Faster, but its vectors differ from fp32 (min cosine about
  0.98-0.99 on pool texts) enough to move half the selectors' picks, so it is opt-in and cached under its own key.

Exports live under ``<cache_dir>/onnx/<model key>/`` and are written atomically (a temporary folder renamed into
place), so a crash never leaves a half-written model and concurrent first uses do not clash.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import numpy as np

from core.defaults import BACKENDS, DEFAULT_BACKEND, DEFAULT_DEVICE, DEVICES
from core.errors import SiftError

__all__ = ["BACKENDS", "DEFAULT_BACKEND", "DEFAULT_DEVICE", "DEVICES", "OnnxEncoder", "check_backend", "export_dir",
           "export_onnx", "gpu_visible", "load_encoder", "onnx_threads", "resolve_device"]
# Threads for ONNX Runtime's intra-op pool. None: the benchmark's choice for this 2-core machine (see
# benchmarks/README.md, "Embedding backends"); an explicit number overrides it (SIFT_ONNX_THREADS too).
DEFAULT_ONNX_THREADS: Optional[int] = None
#: Padded tokens per batch row in ``OnnxEncoder.batches`` (budget = batch_size * this), and the most rows a batch
#: of short texts may grow to (a multiple of batch_size).
TOKENS_PER_ROW = 64  # 64 beat 128 (and 128 beat 256, fixed batches) in CPU seconds: benchmarks/README.md
MAX_ROWS_FACTOR = 4
_EXPORT_FORMAT = "v2"  # bump when the export recipe changes: old exports are then ignored (v2: eager + fused)
_OPSET = 17
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
#: Hugging Face model types whose graph ONNX Runtime's BERT optimiser fuses (the encoder layout of BERT).
_FUSABLE = ("bert", "roberta", "xlm-roberta", "mpnet", "electra")
_FUSION_OPT_LEVEL = 1  # the optimiser's own fusions only; the session applies its graph optimisations at load
#: Operator types whose weights the int8 mode quantises.
_INT8_OPS = ("MatMul",)


def check_backend(backend: str) -> str:
    """``backend`` if it is one of ``BACKENDS``, else a SiftError naming the choices."""
    if backend not in BACKENDS:
        raise SiftError(f"unknown embedding backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return backend


def resolve_device(device: str = DEFAULT_DEVICE) -> str:
    """``auto`` becomes ``cuda`` when torch sees a GPU, else ``cpu``; other names pass through (checked)."""
    if not isinstance(device, str) or not device:
        raise SiftError(f"device must be a name such as {', '.join(DEVICES)}, got {device!r}")
    if device == "auto":
        return "cuda" if gpu_visible() else "cpu"
    return device


#: Device files a CUDA (NVIDIA) or ROCm (AMD, which torch also names cuda) driver creates.
GPU_DRIVER_FILES = ("/proc/driver/nvidia/version", "/dev/nvidia0", "/dev/nvidiactl", "/dev/kfd")


def gpu_visible(driver_files: Sequence[str] = GPU_DRIVER_FILES) -> bool:
    """True when torch sees a GPU, asked without importing torch where that cannot be the case.

    Importing torch costs seconds and memory that a cached embedding or label vocabulary never needs, so torch is
    asked only when it is already imported or when one of ``driver_files`` exists (a GPU driver is loaded)."""
    import sys

    if "torch" not in sys.modules and not any(os.path.exists(f) for f in driver_files):
        return False
    import torch

    return bool(torch.cuda.is_available())


def onnx_threads(threads: Optional[int] = None) -> int:
    """Intra-op threads for ONNX Runtime: ``threads``, else ``$SIFT_ONNX_THREADS``, else the measured default.

    The default is 1 when the machine is busy (1-minute load average above the number of cores) and all cores
    otherwise: on 2 shared cores one thread beat two at load 13-15, two won at load 1-1.8 (1.91x one thread for
    the fused fp32 export at load 1.0-1.5, a load the benchmark itself makes; benchmarks/README.md).
    """
    if threads is None and os.environ.get("SIFT_ONNX_THREADS"):
        try:
            threads = int(os.environ["SIFT_ONNX_THREADS"])
        except ValueError:
            raise SiftError(f"SIFT_ONNX_THREADS must be a positive integer, got {os.environ['SIFT_ONNX_THREADS']!r}")
    if threads is None:
        threads = DEFAULT_ONNX_THREADS
    if threads is None:
        cores = os.cpu_count() or 1
        try:
            busy = os.getloadavg()[0] > cores
        except OSError:  # no load average on this platform
            busy = False
        return 1 if busy else cores
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise SiftError(f"ONNX threads must be a positive integer, got {threads!r}")
    return threads


def _model_key(model_path: str) -> str:
    """A key for a model folder: its path plus the size and mtime of its files (a changed model re-exports)."""
    digest = hashlib.sha256(f"{_EXPORT_FORMAT}|{_OPSET}|{Path(model_path).resolve()}".encode())
    root = Path(model_path)
    if root.is_dir():
        for f in sorted(root.rglob("*")):
            if f.is_file():
                st = f.stat()
                digest.update(f"|{f.relative_to(root)}:{st.st_size}:{int(st.st_mtime)}".encode())
    return digest.hexdigest()[:16]


def export_dir(model_path: str, cache_dir: Union[str, Path]) -> Path:
    """The folder holding ``model.onnx`` (fp32) and ``model-int8.onnx`` for the model at ``model_path``."""
    return Path(cache_dir) / "onnx" / _model_key(model_path)


def _sentence_graph(st_model: Any) -> Any:
    """The sentence-transformers module stack as one traceable module: token ids in, sentence embedding out."""
    import torch

    class SentenceGraph(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            features = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
            return self.model(features)["sentence_embedding"]

    return SentenceGraph(st_model).eval()


def _check_exportable(st_model: Any) -> None:
    """Only text models built of Transformer (+ Pooling, Normalize, Dense) modules are exported; others refuse."""
    names = [type(m).__name__ for m in st_model]
    allowed = {"Transformer", "Pooling", "Normalize", "Dense"}
    if not names or names[0] != "Transformer" or not set(names) <= allowed:
        raise SiftError(f"the ONNX backend supports Transformer/Pooling/Normalize/Dense models; this one is {names}; "
                        "use --backend torch")


def _atomic_dir_write(target: Path, build: Any) -> None:
    """Run ``build(tmp_dir)`` in a fresh temporary folder beside ``target``, then move each file into place."""
    target.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=target))
    try:
        build(tmp)
        for f in tmp.iterdir():
            os.replace(f, target / f.name)  # atomic per file; a reader opens only the final names
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _eager_attention(st_model: Any) -> Any:
    """A context manager that switches the model's Hugging Face attention to the plain ("eager") code while it is
    traced: the SDPA kernel traces into a masked-softmax graph (Where/IsNaN) that ONNX Runtime's attention fusion
    does not recognise, the eager one into the MatMul-Softmax-MatMul pattern it fuses. Same arithmetic."""
    from contextlib import contextmanager

    @contextmanager
    def switch() -> Any:
        auto = getattr(st_model[0], "auto_model", None)
        before = getattr(getattr(auto, "config", None), "_attn_implementation", None)
        changed = False
        if auto is not None and before not in (None, "eager") and hasattr(auto, "set_attn_implementation"):
            try:
                auto.set_attn_implementation("eager")
                changed = True
            except Exception:  # noqa: BLE001 - a model without the switch is traced as it is
                changed = False
        try:
            yield
        finally:
            if changed:
                auto.set_attn_implementation(before)

    return switch()


def _fuse_for_cpu(st_model: Any, source: Path, target: Path) -> bool:
    """Write ONNX Runtime's BERT-fused graph of ``source`` to ``target`` (fused Attention, EmbedLayerNormalization,
    SkipLayerNormalization and BiasGelu kernels; fp32, no precision change) and return True, or return False when
    the model is not BERT-like or the fusion found no attention to fuse (the plain export is then used)."""
    config = getattr(getattr(st_model[0], "auto_model", None), "config", None)
    if getattr(config, "model_type", None) not in _FUSABLE or not hasattr(config, "num_attention_heads"):
        return False
    import logging

    from onnxruntime.transformers.optimizer import optimize_model

    quiet = logging.getLogger("onnxruntime.transformers")
    level, quiet.level = quiet.level, logging.ERROR
    try:
        fused = optimize_model(str(source), model_type="bert", num_heads=int(config.num_attention_heads),
                               hidden_size=int(config.hidden_size), opt_level=_FUSION_OPT_LEVEL)
        stats = fused.get_fused_operator_statistics()
        if stats.get("Attention", 0) != int(config.num_hidden_layers):
            return False
        fused.save_model_to_file(str(target))
    finally:
        quiet.level = level
    return True


def export_onnx(st_model: Any, model_path: str, cache_dir: Union[str, Path], *, int8: bool = False) -> Path:
    """The path of the fp32 (or int8) ONNX export of ``st_model``, exporting it once if it is not cached yet.

    The fp32 graph is the eager-attention trace of the module stack, fused for the CPU by ONNX Runtime's
    transformer optimiser when the model is BERT-like (``_fuse_for_cpu``); the int8 graph quantises that graph's
    MatMul weights (``_quantize``)."""
    folder = export_dir(model_path, cache_dir)
    fp32 = folder / "model.onnx"
    if not fp32.exists():
        _check_exportable(st_model)
        import torch

        features = st_model.preprocess(["an example sentence", "a second, longer example sentence to pad"])
        args = tuple(features[name] for name in _INPUTS)
        dynamic = {name: {0: "batch", 1: "tokens"} for name in _INPUTS}
        dynamic["sentence_embedding"] = {0: "batch"}
        graph = _sentence_graph(st_model)

        def build(tmp: Path) -> None:
            import warnings

            traced = tmp / "traced.onnx"
            with torch.no_grad(), warnings.catch_warnings(), _eager_attention(st_model):
                warnings.simplefilter("ignore")  # the tracer's notes on shape-dependent Python branches
                torch.onnx.export(graph, args, str(traced), dynamo=False, input_names=list(_INPUTS),
                                  output_names=["sentence_embedding"], dynamic_axes=dynamic, opset_version=_OPSET)
            if not _fuse_for_cpu(st_model, traced, tmp / "model.onnx"):
                os.replace(traced, tmp / "model.onnx")
            else:
                traced.unlink()

        try:
            _atomic_dir_write(folder, build)
        except SiftError:
            raise
        except Exception as exc:  # noqa: BLE001 - an export failure becomes one clear message
            raise SiftError(f"could not export the model to ONNX: {exc}; use --backend torch") from exc
    if not int8:
        return fp32
    q8 = folder / "model-int8.onnx"
    if not q8.exists():
        _atomic_dir_write(folder, lambda tmp: _quantize(fp32, tmp / "model-int8.onnx"))
    return q8


def _quantize(fp32: Path, target: Path) -> None:
    """Dynamic int8 quantisation of the MatMul weights of ``fp32`` (signed, per output channel), written to
    ``target``. Per-channel scales: per-tensor ones gave min cosine 0.89 to torch on pool_mixed texts, per-channel
    0.98 at the same speed (benchmarks/README.md). The fused Attention kernels stay fp32 (QAttention is not used)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=list(_INT8_OPS), nodes_to_exclude=None,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


class OnnxEncoder:
    """A sentence encoder with the subset of ``SentenceTransformer.encode``'s interface that sift uses.

    ``st_model`` supplies tokenisation (its own ``preprocess``); the exported graph computes the embedding.
    """

    def __init__(self, st_model: Any, onnx_path: Path, *, device: str = "cpu", threads: Optional[int] = None) -> None:
        import onnxruntime as ort

        self.st_model = st_model
        self.onnx_path = Path(onnx_path)
        self.threads = onnx_threads(threads)
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        providers = ["CPUExecutionProvider"]
        if device.startswith("cuda"):
            if "CUDAExecutionProvider" not in ort.get_available_providers():
                raise SiftError("device cuda asked for the ONNX backend, but this onnxruntime has no CUDA provider "
                                "(install onnxruntime-gpu, or use --backend torch)")
            providers.insert(0, "CUDAExecutionProvider")
        self.session = ort.InferenceSession(str(self.onnx_path), sess_options=options, providers=providers)
        self.input_names = [i.name for i in self.session.get_inputs()]
        self.dim = int(self.session.get_outputs()[0].shape[-1])
        self.tokens_per_row, self.max_rows_factor = TOKENS_PER_ROW, MAX_ROWS_FACTOR

    def get_sentence_embedding_dimension(self) -> int:
        """The embedding width (as SentenceTransformer names it)."""
        return self.dim

    def token_counts(self, texts: Sequence[str]) -> np.ndarray:
        """Tokens per text after the model's truncation (``max_seq_length``), from the model's own tokenizer."""
        tokenizer = self.st_model.tokenizer
        limit = self.st_model.max_seq_length
        ids = tokenizer(list(texts), truncation=True, max_length=limit, padding=False)["input_ids"]
        return np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))

    def batches(self, texts: Sequence[str], batch_size: int) -> list[np.ndarray]:
        """Positions of ``texts`` grouped into batches, longest (in tokens) first: every batch holds at most
        ``batch_size * TOKENS_PER_ROW`` padded tokens (so short texts share bigger batches, long ones smaller) and
        at most ``MAX_ROWS_FACTOR * batch_size`` texts."""
        counts = self.token_counts(texts)
        order = np.argsort(-counts, kind="stable")
        budget = batch_size * self.tokens_per_row
        cap = max(1, batch_size * self.max_rows_factor)
        out, start = [], 0
        while start < len(order):
            width = int(counts[order[start]])  # the longest text of the batch sets its padded width
            rows = int(min(cap, max(1, budget // max(width, 1)), len(order) - start))
            out.append(order[start:start + rows])
            start += rows
        return out

    def encode(self, texts: Sequence[str], batch_size: int = 32, convert_to_numpy: bool = True,
               normalize_embeddings: bool = False, show_progress_bar: bool = False, **_: Any) -> np.ndarray:
        """A float32 (n, d) array in the input order; batches are formed by token count, longest first (less
        padding; ``batches``). A text's vector does not depend on its batch (padding is masked)."""
        texts = list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        for idx in self.batches(texts, batch_size):
            features = self.st_model.preprocess([texts[i] for i in idx])
            feed = {name: features[name].numpy().astype(np.int64, copy=False) for name in self.input_names}
            out[idx] = self.session.run(None, feed)[0]
        if normalize_embeddings:  # the graph already ends in the model's Normalize module when it has one
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            out /= np.maximum(norms, 1e-12)
        return out


@lru_cache(maxsize=4)
def load_encoder(model_path: str, backend: str = DEFAULT_BACKEND, device: str = DEFAULT_DEVICE,
                 cache_dir: Optional[str] = None, threads: Optional[int] = None) -> Any:
    """A cached encoder for the model at ``model_path``: a SentenceTransformer (``torch``) or an OnnxEncoder.

    ``device`` may be ``auto`` (CUDA when torch sees a GPU). ONNX exports go under ``cache_dir`` (core.embed passes
    sift's cache folder; this module never imports core.embed, so the two form no import circle). Raises SiftError when the backend is unknown or onnxruntime is not installed.
    """
    check_backend(backend)
    if backend == "auto":
        raise SiftError("backend auto is resolved by core.embed.resolve_backend before an encoder is loaded")
    device = resolve_device(device)
    from sentence_transformers import SentenceTransformer

    if backend == "torch":
        return SentenceTransformer(model_path, device=device)
    try:
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        raise SiftError(f"--backend {backend} needs onnxruntime (pip install -r requirements.txt); "
                        "or use --backend torch") from exc
    if cache_dir is None:  # the caller (core.embed.load_model) passes sift's cache folder
        raise SiftError(f"--backend {backend} needs a cache folder for its ONNX export")
    st_model = SentenceTransformer(model_path, device="cpu")  # tokenisation and the export read it on the CPU
    path = export_onnx(st_model, model_path, cache_dir, int8=backend == "onnx-int8")
    return OnnxEncoder(st_model, path, device=device, threads=threads)
