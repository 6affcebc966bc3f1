"""``python -m core embed FILE``: embed a pool once (cached on disk per chunk) and optionally save the vectors.

The cache keeps every finished chunk, so an interrupted run resumes with the missing chunks only; progress shows
the count, the rate and the time left (core.embed.embed_texts).
"""

from __future__ import annotations

import argparse
import sys
import time

from core.cli.options import add_embedding_options, add_pool_options, backend_options, check_options, pool_from
from core.cli.progress import ProgressBar


def add_parser(sub: "argparse._SubParsersAction") -> None:
    p = sub.add_parser("embed", help="embed a pool with sentence-transformers (cached on disk per chunk)")
    add_pool_options(p)
    add_embedding_options(p, given=False)
    p.add_argument("-o", "--out", default=None, help="also save the (n, d) float32 array to this .npy file")
    p.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                   help="encode the missing chunks as a Ray Data job (core.embed_ray) and write them to the same "
                        "cache; ADDRESS of a running cluster (HEAD:6379, auto), none: a local Ray")
    p.add_argument("--ray-actors", type=int, default=None, metavar="N",
                   help="with --ray: number of actors, one model and one CPU each (default: the cluster's CPUs)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.defaults import DEFAULT_MODEL
    from core.embed import cache_path, cached_chunks, embed_texts, save_npy
    from core.errors import SiftError

    if args.out is not None and Path(args.out).suffix.lower() != ".npy":  # as numpy.save names it
        args.out = args.out + ".npy"
    check_options(args, out_suffixes=(".npy",))
    if args.ray is None and args.ray_actors is not None:
        raise SiftError("--ray-actors needs --ray")
    if args.ray is not None and args.no_cache:
        raise SiftError("--ray writes the embedding cache: drop --no-cache")
    if args.ray_actors is not None and args.ray_actors < 1:
        raise SiftError(f"--ray-actors must be a positive integer, got {args.ray_actors}")
    model = args.model or DEFAULT_MODEL
    pool = pool_from(args)
    texts = pool.texts(view=args.view, turns=args.turns)
    done, total = (0, 0) if args.no_cache else cached_chunks(texts, model, batch_size=args.batch_size,
                                                                  **backend_options(args))
    start = time.perf_counter()
    with ProgressBar("embedding") as bar:
        if args.ray is not None:
            from core.embed_ray import embed_texts_ray

            X = embed_texts_ray(texts, model, address=args.ray or None, concurrency=args.ray_actors,
                                batch_size=args.batch_size, progress=bar, **backend_options(args))
        else:
            X = embed_texts(texts, model, batch_size=args.batch_size, progress=bar, use_cache=not args.no_cache,
                            **backend_options(args))
    seconds = time.perf_counter() - start
    where = "" if args.ray is None else f"; on Ray at {args.ray}" if args.ray else "; on a local Ray"
    print(f"{len(pool):,} records ({pool.shape}), model {model} ({args.backend}{where}), view {args.view}/{args.turns}")
    origin = ("computed, cache not used" if args.no_cache else "cache hit" if total and done == total
              else f"computed {total - done:,} of {total:,} chunks ({done:,} were cached)")
    print(f"embeddings: {X.shape[0]:,} x {X.shape[1]} float32, {origin} in {seconds:.1f} s"
          + ("" if args.no_cache else f"; cache: {cache_path(texts, model, **backend_options(args))}"))
    if args.out:
        save_npy(args.out, X)
        print(f"saved {args.out}", file=sys.stderr)
    return 0
