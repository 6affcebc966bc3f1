"""One set of options for every command, and their validation before any slow work.

Every command that reads a pool takes the pool options (``--shape``, ``--columns``, ``--lenient``); every command
that builds features takes the embedding options (``--embeddings FILE.npy``, ``--model``, ``--view``, ``--turns``,
``--batch-size``, ``--no-cache``, ``--backend``, ``--device``) and the label options (``--labels``, ``--valid-tags``,
``--tag-vocab``, ``--threshold``). Defaults come from ``core.defaults`` (the app imports the same names).
:func:`check_options` parses and checks them all (files exist and are readable, an ``.npy`` header has the right
shape, the output folder exists and is writable, the threshold is valid) in well under a second, before a model is
loaded, so a typo never costs an embedding run. :func:`pool_from` and :func:`features_from` turn the options into
the core calls every command shares.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from core.defaults import (BACKENDS, DEFAULT_BACKEND, DEFAULT_BATCH_SIZE, DEFAULT_DEVICE, DEFAULT_MODEL, DEFAULT_SHAPE,
                           DEFAULT_TURNS, DEFAULT_VIEW, DEVICES, LABEL_SOURCES, TURNS, VIEWS)
from core.errors import InputError, SiftError

POOL_FILE_HELP = "pool file (.jsonl, .ndjson, .json, .csv, .tsv, .parquet; .gz for the text formats)"


def add_pool_options(p: argparse.ArgumentParser, *, file_optional: bool = False) -> None:
    """The pool FILE and how it is read: ``--shape``, ``--columns``, ``--lenient``."""
    p.add_argument("file", nargs="?" if file_optional else None, default=None, help=POOL_FILE_HELP)
    p.add_argument("--shape", default=DEFAULT_SHAPE,
                   help="record shape: auto (default), alpaca, sharegpt, openai, mig, prompt_response, columns")
    p.add_argument("--columns", default=None, metavar="KEY=FIELD,...",
                   help="map your own fields, e.g. instruction=q,response=a,tags=labels,quality=score,id=qid")
    p.add_argument("--lenient", action="store_true",
                   help="skip bad lines (and records without a valid quality value) and list them instead of stopping")


def add_embedding_options(p: argparse.ArgumentParser, *, view_help: str = "text embedded per record",
                          given: bool = True) -> None:
    """Which text is embedded with which model: ``--model``, ``--view``, ``--turns``, ``--batch-size``,
    ``--no-cache``, ``--backend``, ``--device`` and (``given``) ``--embeddings FILE.npy`` for precomputed vectors."""
    p.add_argument("--model", default=None,
                   help=f"sentence-transformers model name or path (default: {DEFAULT_MODEL})")
    p.add_argument("--view", default=DEFAULT_VIEW, choices=VIEWS, help=f"{view_help} (default: {DEFAULT_VIEW})")
    p.add_argument("--turns", default=DEFAULT_TURNS, choices=TURNS, help=f"chat turns used (default: {DEFAULT_TURNS})")
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
                   help=f"encoder batch size (default: {DEFAULT_BATCH_SIZE})")
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor write the embedding cache (recompute everything)")
    p.add_argument("--backend", default=DEFAULT_BACKEND, choices=BACKENDS,
                   help="what runs the model for the pool's vectors: auto (onnx for the bundled model, torch for "
                        "any other), torch (reference), onnx (ONNX Runtime, same "
                        "vectors, fused: about 1.8x torch), onnx-int8 (about 2.5x, min cosine 0.98 to fp32, it "
                        "changes the picks: opt-in, see benchmarks/README.md) "
                        f"(default: {DEFAULT_BACKEND})")
    p.add_argument("--device", default=DEFAULT_DEVICE, choices=DEVICES,
                   help=f"auto: CUDA when torch sees a GPU, else the CPU (default: {DEFAULT_DEVICE})")
    if given:
        p.add_argument("--embeddings", default=None, metavar="FILE.npy",
                       help="precomputed (n, d) vectors of the pool, one row per record in file order (no model is run)")
    else:
        p.set_defaults(embeddings=None)


def add_label_options(p: argparse.ArgumentParser, *, default_help: str = "auto when a selector or report needs "
                                                                         "labels, else none",
                      threshold: bool = True) -> None:
    """Where labels come from and how the label graph is built: ``--labels``, ``--valid-tags``, ``--tag-vocab``,
    ``--threshold``."""
    p.add_argument("--labels", default=None, choices=LABEL_SOURCES,
                   help="label source: auto (data tags if any, else automatic), data, auto_tags (automatic labels), "
                        f"zero_shot (closest tags of --tag-vocab), none (default: {default_help})")
    p.add_argument("--valid-tags", default=None, metavar="F", help="JSON list of allowed tags (others are dropped)")
    p.add_argument("--tag-vocab", default=None, metavar="F",
                   help="JSON list of tags for --labels zero_shot (e.g. InsTag's valid_tag_path.json); each record "
                        "gets up to 3 tags with cosine >= 0.35 and within 0.15 of its best (core.autotag.zero_shot)")
    if threshold:
        p.add_argument("--threshold", default=None, metavar="T",
                       help="label-graph threshold: 'auto' (default: picked from the label similarities of the "
                            "model, see core.label_graph.auto_threshold) or a cosine, e.g. 0.9 (MIG's official value)")
    else:
        p.set_defaults(threshold=None)


def add_feature_options(p: argparse.ArgumentParser, **label_kwargs: Any) -> None:
    """Pool, embedding and label options: everything a command that builds features takes."""
    add_pool_options(p)
    add_embedding_options(p)
    add_label_options(p, **label_kwargs)


def parse_columns(text: Optional[str]) -> Optional[dict]:
    """``"instruction=q,response=a"`` -> ``{"instruction": "q", "response": "a"}`` (None for None)."""
    if not text:
        return None
    out = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise SiftError(f"--columns expects KEY=FIELD pairs separated by commas, got {part!r}")
        out[key.strip()] = value.strip()
    return out


def npy_header(path: str, option: str) -> tuple[tuple[int, ...], Any]:
    """``(shape, dtype)`` of an ``.npy`` file from its header alone (no data read, nothing unpickled)."""
    import numpy as np

    p = Path(path)
    if p.suffix.lower() != ".npy":
        raise InputError(f"{option} expects a .npy file", file=path)
    try:
        with p.open("rb") as fh:
            version = np.lib.format.read_magic(fh)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read(fh)
    except OSError as exc:
        raise InputError(f"cannot read {option}: {exc.strerror or exc}", file=path) from None
    except (ValueError, SyntaxError, TypeError) as exc:
        raise InputError(f"{option} is not a valid .npy file: {exc}", file=path) from None
    if dtype.hasobject or not (np.issubdtype(dtype, np.floating) or np.issubdtype(dtype, np.integer)):
        raise InputError(f"{option} must be numeric, got dtype {dtype}", file=path)
    if len(shape) != 2 or shape[0] == 0 or shape[1] == 0:
        raise InputError(f"{option} must be a 2-d array (rows, dimensions), got shape {shape}", file=path)
    return tuple(shape), dtype


def check_readable(path: Optional[str], option: str) -> None:
    """A file given by ``option`` exists and can be read."""
    if path is None:
        return
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{option}: no such file", file=path)
    if not os.access(p, os.R_OK):
        raise InputError(f"{option}: the file is not readable (permission denied)", file=path)


def check_output(path: Optional[str], suffixes: Sequence[str], option: str = "--out") -> None:
    """``path`` ends in one of ``suffixes`` and its folder exists and is writable (checked now, not after the work)."""
    if path is None:
        return
    p = Path(path)
    if suffixes and p.suffix.lower() not in suffixes:
        raise SiftError(f"{option} must end in {' or '.join(suffixes)}, got {path!r}")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise SiftError(f"cannot write {path}: the folder {folder} does not exist")
    if p.is_dir():
        raise SiftError(f"cannot write {path}: it is a folder")
    # Create (and remove) a temporary file where the output will go: unlike os.access this also catches
    # read-only mounts and ACLs, and for root. Named like atomic_write's, so a leftover is cleaned like one.
    import tempfile

    from core.fileio import TMP_PREFIX, TMP_SUFFIX

    try:
        fd, probe = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{p.name}.{os.getpid()}.", suffix=TMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise SiftError(f"cannot write {path}: the folder {folder} is not writable ({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(probe)


def check_options(args: argparse.Namespace, *, out_suffixes: Sequence[str] = ()) -> None:
    """Parse and check every shared option on ``args`` before any slow work (no model is loaded here).

    Sets ``args.columns_map`` (the parsed ``--columns``) and ``args.graph_threshold`` (the parsed ``--threshold``,
    None when not given). Raises SiftError / InputError (exit 2) naming the option and file.
    """
    args.columns_map = parse_columns(getattr(args, "columns", None))
    batch_size = getattr(args, "batch_size", DEFAULT_BATCH_SIZE)
    if batch_size < 1:
        raise SiftError(f"--batch-size must be a positive integer, got {batch_size}")
    backend = getattr(args, "backend", DEFAULT_BACKEND)
    if backend not in ("torch", "auto"):  # auto falls back to torch without onnxruntime
        import importlib.util

        if importlib.util.find_spec("onnxruntime") is None:
            raise SiftError(f"--backend {backend} needs onnxruntime (pip install -r requirements.txt), "
                            "or use --backend torch")
    threshold = getattr(args, "threshold", None)
    args.graph_threshold = None
    if threshold is not None:
        from core.label_graph import parse_threshold

        args.graph_threshold = parse_threshold(threshold)
    if getattr(args, "file", None) is not None:
        check_readable(args.file, "the pool file")
    if getattr(args, "embeddings", None) is not None:
        check_readable(args.embeddings, "--embeddings")
        npy_header(args.embeddings, "--embeddings")
    for option in ("valid_tags", "tag_vocab"):
        value = getattr(args, option, None)
        if value is not None:
            from core.labels import load_whitelist

            check_readable(value, "--" + option.replace("_", "-"))
            load_whitelist(value)  # a bad JSON list fails now, not after the embedding
    reference = getattr(args, "reference", None)
    if reference is not None:
        check_readable(reference, "--reference")
        if Path(reference).suffix.lower() == ".npy":
            npy_header(reference, "--reference")
    if getattr(args, "subset", None) is not None:
        check_readable(args.subset, "--subset")
    check_output(getattr(args, "out", None), out_suffixes)


def pool_from(args: argparse.Namespace) -> Any:
    """The pool named by the options (``--shape``, ``--columns``, ``--lenient``), its skipped lines listed."""
    from core.data import load_pool

    columns = getattr(args, "columns_map", None)
    if columns is None:
        columns = parse_columns(getattr(args, "columns", None))
    pool = load_pool(args.file, shape=args.shape, columns=columns, lenient=getattr(args, "lenient", False))
    report_problems(pool)
    if getattr(args, "embeddings", None) is not None:
        shape, _ = npy_header(args.embeddings, "--embeddings")
        if shape[0] != len(pool):
            raise InputError(f"--embeddings has {shape[0]:,} rows but the pool has {len(pool):,} records "
                             "(one row per record, in file order)", file=args.embeddings)
    return pool


def report_problems(pool: Any, limit: int = 20) -> None:
    """Under ``--lenient``: say on stderr how many lines were skipped and list the first ``limit``."""
    from core.errors import terminal_safe

    if not pool.problems:
        return
    print(f"lenient: skipped {len(pool.problems):,} line(s) of {pool.name}:", file=sys.stderr)
    for problem in pool.problems[:limit]:
        print(f"  {terminal_safe(problem, keep_newlines=False)}", file=sys.stderr)
    if len(pool.problems) > limit:
        print(f"  ... and {len(pool.problems) - limit:,} more (python -m core info FILE --lenient --json lists all)",
              file=sys.stderr)


def label_source(requested: Optional[str], need_labels: bool) -> str:
    """The label source to build: the user's choice, else auto when labels are needed, else none."""
    if requested is not None:
        return requested
    return "auto" if need_labels else "none"


def backend_options(args: argparse.Namespace) -> dict:
    """``backend`` and ``device`` for ``core.embed.embed_texts`` from ``--backend`` / ``--device``."""
    return {"backend": getattr(args, "backend", DEFAULT_BACKEND), "device": getattr(args, "device", DEFAULT_DEVICE)}


def features_from(args: argparse.Namespace, pool: Any, *, labels: str, need_embeddings: bool = True,
                  need_graph: bool = True) -> Any:
    """Features of ``pool`` from the shared options; the pool is embedded only when ``need_embeddings`` (or the
    labels need it), precomputed vectors (``--embeddings``, an ``embedding`` column) are read when given, and the
    label graph is built only when ``need_graph``."""
    from core.cli.progress import ProgressBar
    from core.pipeline import build_features

    kwargs: dict = dict(model=args.model, view=args.view, turns=args.turns, labels=labels,
                        valid_tags=getattr(args, "valid_tags", None), tag_vocab=getattr(args, "tag_vocab", None),
                        embeddings=getattr(args, "embeddings", None), need_embeddings=need_embeddings,
                        need_graph=need_graph,
                        batch_size=getattr(args, "batch_size", DEFAULT_BATCH_SIZE),
                        use_cache=not getattr(args, "no_cache", False), **backend_options(args))
    kwargs["store"] = kwargs["use_cache"]  # labels and label graph kept in the workspace, as the app does
    threshold = getattr(args, "graph_threshold", None)
    if threshold is None and getattr(args, "threshold", None) is not None:
        from core.label_graph import parse_threshold

        threshold = parse_threshold(args.threshold)
    if threshold is not None:
        kwargs["graph_threshold"] = threshold
    with ProgressBar("features", stream=sys.stderr) as bar:
        features = build_features(pool, progress=bar, **kwargs)
        if getattr(args, "reference", None):
            features.reference = load_reference(args, progress=bar)
    return features


def load_reference(args: argparse.Namespace, progress=None) -> Any:
    """Embeddings of ``--reference``: an ``.npy`` array of vectors, or a pool file embedded like the pool."""
    path = args.reference
    if Path(path).suffix.lower() == ".npy":
        from core.embed import load_precomputed

        return load_precomputed(path, None)
    from core.data import load_pool
    from core.embed import embed_texts

    ref = load_pool(path)
    return embed_texts(ref.texts(view=args.view, turns=args.turns), args.model or DEFAULT_MODEL,
                       batch_size=getattr(args, "batch_size", DEFAULT_BATCH_SIZE), progress=progress,
                       use_cache=not getattr(args, "no_cache", False), **backend_options(args))
