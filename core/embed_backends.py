"""Embedding backends: sentence-transformers on torch (the reference) or the same model run by ONNX Runtime.

The ONNX graph is exported locally, once, from the model's own weights: the whole sentence-transformers module
stack (Transformer, then the model's Pooling and Normalize modules, as listed in its ``modules.json``) is traced
with ``torch.onnx.export``, so pooling and normalisation are the model's own code, not a re-implementation.
Tokenisation is the model's own too (``SentenceTransformer.preprocess``: same tokenizer, ``max_seq_length`` and
truncation). No hub is asked: ``optimum-onnx`` (what sentence-transformers' ``backend="onnx"`` needs) requires
transformers < 4.58, below the pinned 5.x, so it is not used.

Backends (``BACKENDS``):
- ``torch``: ``SentenceTransformer.encode``; the default and the reference.
- ``onnx``: the fp32 export run by ONNX Runtime; agrees with torch to cosine ~1 (benchmarks/README.md).
- ``onnx-int8``: the export with dynamic int8 quantisation of its weights (``onnxruntime.quantization``, signed,
  per channel); 1.5-1.6x faster than torch on an idle CPU, but vectors differ (min cosine 0.96 to fp32 on pool_mixed) enough to change a
  quarter to three quarters of MIG/NovelSelect/k-center picks, so it is opt-in and cached under its own key.

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
           "export_onnx", "load_encoder", "onnx_threads", "resolve_device"]
# Threads for ONNX Runtime's intra-op pool. None: the benchmark's choice for this 2-core machine (see
# benchmarks/README.md, "Embedding backends"); an explicit number overrides it (SIFT_ONNX_THREADS too).
DEFAULT_ONNX_THREADS: Optional[int] = None
_EXPORT_FORMAT = "v1"  # bump when the export recipe changes: old exports are then ignored
_OPSET = 17
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


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
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def onnx_threads(threads: Optional[int] = None) -> int:
    """Intra-op threads for ONNX Runtime: ``threads``, else ``$SIFT_ONNX_THREADS``, else the measured default.

    The default is 1 when the machine is busy (1-minute load average above half the cores) and all cores
    otherwise: on 2 shared cores one thread beat two under load, two won when idle (benchmarks/README.md).
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
            busy = os.getloadavg()[0] > cores / 2
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


def export_onnx(st_model: Any, model_path: str, cache_dir: Union[str, Path], *, int8: bool = False) -> Path:
    """The path of the fp32 (or int8) ONNX export of ``st_model``, exporting it once if it is not cached yet."""
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

            with torch.no_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the tracer's notes on shape-dependent Python branches
                torch.onnx.export(graph, args, str(tmp / "model.onnx"), dynamo=False, input_names=list(_INPUTS),
                                  output_names=["sentence_embedding"], dynamic_axes=dynamic, opset_version=_OPSET)

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
        def build_q8(tmp: Path) -> None:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            # per-channel signed weights: per-tensor scales gave min cosine 0.89 to torch on pool_mixed texts,
            # per-channel 0.98 at the same speed (benchmarks/README.md)
            quantize_dynamic(str(fp32), str(tmp / "model-int8.onnx"), weight_type=QuantType.QInt8, per_channel=True)

        _atomic_dir_write(folder, build_q8)
    return q8


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

    def get_sentence_embedding_dimension(self) -> int:
        """The embedding width (as SentenceTransformer names it)."""
        return self.dim

    def encode(self, texts: Sequence[str], batch_size: int = 32, convert_to_numpy: bool = True,
               normalize_embeddings: bool = False, show_progress_bar: bool = False, **_: Any) -> np.ndarray:
        """A float32 (n, d) array in the input order; batches are formed longest first (less padding)."""
        texts = list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), batch_size):
            idx = order[start:start + batch_size]
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
