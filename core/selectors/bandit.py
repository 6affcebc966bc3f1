"""Cluster bandit: k-means arms played with UCB1, the EQUAL / Quad family.

* EQUAL (Zhang et al. 2025, "EQUAL: Efficient Scalable Data Extraction Framework for Instruction Tuning",
  ICML 2025, arXiv 2505.12250; code ZZZZZccccc123/EQUAL ``mab.py``): reward = 1 - optimal-transport distance
  between an arm's probe and a reference set of the target task, minus a constant (0.12); every probed item
  is kept.
* Quad (Zhang et al. 2024, "Harnessing Diversity for Important Data Selection in Pretraining Large Language
  Models", arXiv 2409.16986; code iTheresaApocalypse/Quad): reward = mean influence of the probe minus a
  threshold; only arms with a positive reward keep their data. Here quality stands in for influence.

Loop (both papers): every round rank the arms by ``S_j / T_j + c * sqrt(2 ln N / (T_j + 1))`` (N = all
updates so far; an arm never updated scores 0 + bonus; the first round takes arms 0, 1, ... as both codes do),
take the next ``probe_size`` items (10) of each of the ``top_arms`` (50) best arms, score each probe, and add
its reward to the arm and to every neighbouring arm (``T += 1`` each). Items inside an arm are visited nearest
to the centroid first (EQUAL's ``dist-to-centroid`` files) or in seeded random order.

Defaults and simplifications (each stated so the UI can show it):

* ``c = 0.001`` (EQUAL; Quad uses 1e-4); ``top_arms = 50``, ``probe_size = 10`` (both papers).
* Arms: k-means with ``int(sqrt(N / 2))`` clusters by default (the papers use 1,000 and 9,873 clusters on
  millions of documents).
* Neighbours: clusters whose mean vectors are within squared L2 distance 0.2 (both papers' threshold). The
  papers add a covariance term (a Frechet distance); here only the means, which for unit embeddings is about
  ``2 (1 - cos)`` between centroid directions. Neighbour ``b`` of arm ``a`` receives
  ``share * (1 - d_ab / 0.2) * reward`` (Quad's linear fall-off; EQUAL gives neighbours the full reward).
* ``reward="ot"``: ``1 - W - ot_offset`` with W the exact OT cost (POT ``ot.emd2``, uniform weights) under the
  cosine cost ``1 - cos`` between the probe and ``Features.reference`` (EQUAL uses IPOT on Euclidean cost;
  exact EMD on the small probe x reference problem is cheap and has no tuning). ``ot_offset = 0.12`` (EQUAL).
* ``reward="quality"``: mean min-max-scaled quality of the probe minus the pool's ``quality_threshold``
  quantile of that scaled quality (0.5: arms better than the median earn a positive reward).
* ``keep="auto"``: the OT reward keeps every probe (EQUAL), the quality reward only probes with a positive
  reward (Quad). If the arms run dry before the budget, the rejected probes fill it, best reward first
  (``info["filled"]``).

``Selection.info`` holds ``reward`` (the reward in use, with its formula) and ``trace``: one entry
``{step, arm, reward, picked}`` per arm pull, in order (fill entries carry ``"filled": True``), so the picks of
the trace, concatenated, are the selection. Gains are the reward of the pull that took each item.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from core.errors import SiftError, check_budget
from core.features import EMBEDDINGS, QUALITY, REFERENCE, Features, Progress
from core.params import Param
from core.selection import Selection
from core.selectors._common import (auto_clusters, check_matrix, check_vector, embeddings_of, kmeans, minmax,
                                    quality_of, report)
from core.vectors import unit_rows

NAME = "bandit"
LABEL = "Cluster bandit (EQUAL / Quad)"
SUMMARY = ("UCB1 over k-means clusters: probe the most promising clusters, reward them by closeness to a "
           "reference set (OT) or by quality, share rewards with neighbouring clusters.")
CITATION = ("EQUAL: Zhang et al. 2025, arXiv 2505.12250; Quad: Zhang et al. 2024, Harnessing Diversity for "
            "Important Data Selection in Pretraining LLMs, arXiv 2409.16986")
NEEDS = (EMBEDDINGS, QUALITY)  # for the default reward; reward="ot" needs REFERENCE instead of QUALITY
USES_SEED = True
USES_REFERENCE = True  # reward='ot' reads Features.reference
TAKES_INCLUDE = False
TAKES_QUOTAS = False
PARAMS = [
    Param("reward", "quality", str, "quality: mean probe quality minus a threshold (Quad-style); "
          "ot: 1 - OT distance to the reference set (EQUAL)", choices=("quality", "ot")),
    Param("n_clusters", 0, int, "arms (k-means clusters); 0 = int(sqrt(N / 2))", low=0),
    Param("top_arms", 50, int, "arms probed per round", low=1),
    Param("probe_size", 10, int, "items taken from each probed arm per round", low=1),
    Param("c", 0.001, float, "UCB exploration weight (EQUAL 0.001, Quad 0.0001)", low=0.0),
    Param("neighbor_threshold", 0.2, float, "arms whose mean vectors are closer (squared L2) share rewards",
          low=0.0),
    Param("share", 1.0, float, "factor on the reward passed to neighbouring arms", low=0.0, high=1.0),
    Param("ot_offset", 0.12, float, "constant subtracted from 1 - OT (EQUAL)"),
    Param("quality_threshold", 0.5, float, "quantile of pool quality a probe must beat for a positive reward",
          low=0.0, high=1.0),
    Param("keep", "auto", str, "which probes enter the selection: auto (ot: all, quality: positive), all, positive",
          choices=("auto", "all", "positive")),
    Param("order", "centroid", str, "order of items inside an arm: nearest the centroid first, or random",
          choices=("centroid", "random")),
]


def needs_for(params: dict) -> tuple:
    """The inputs the bandit needs under ``params`` (the reward decides quality vs reference)."""
    return (EMBEDDINGS, REFERENCE) if params.get("reward", "quality") == "ot" else (EMBEDDINGS, QUALITY)


def select(X: np.ndarray, budget: int, *, reward: str = "quality", quality: Optional[np.ndarray] = None,
           reference: Optional[np.ndarray] = None, n_clusters: int = 0, top_arms: int = 50, probe_size: int = 10,
           c: float = 0.001, neighbor_threshold: float = 0.2, share: float = 1.0, ot_offset: float = 0.12,
           quality_threshold: float = 0.5, keep: str = "auto", order: str = "centroid", seed: int = 42,
           labels: Optional[np.ndarray] = None, progress: Optional[Progress] = None) -> Selection:
    """Run the cluster bandit on rows ``X`` until ``budget`` items are taken.

    ``labels`` may pass a precomputed clustering (one arm id per row) instead of k-means.
    """
    Xn = unit_rows(check_matrix(X, LABEL))
    n = Xn.shape[0]
    budget = check_budget(budget, n)
    score_probe, formula = _reward_fn(reward, Xn, quality, reference, ot_offset, quality_threshold)
    keep_positive = keep == "positive" or (keep == "auto" and reward == "quality")
    if labels is None:
        labels, _ = kmeans(Xn, auto_clusters(n, n_clusters), seed=seed, progress=progress)
    labels = np.asarray(labels, dtype=np.int64)
    if labels.shape != (n,):
        raise SiftError(f"labels must give one arm per row ({n}), got shape {labels.shape}")
    arms, means = _arm_members(Xn, labels, order, seed)
    k = len(arms)
    weight = neighbour_weights(means, neighbor_threshold, share)
    S, T, total = np.zeros(k), np.zeros(k), 0
    cursor = np.zeros(k, dtype=np.int64)
    sizes = np.array([m.size for m in arms])
    picks, gains, trace, rejected = [], [], [], []
    step = 0
    while len(picks) < budget and (cursor < sizes).any():
        avg = np.divide(S, T, out=np.zeros(k), where=T > 0)
        ucb = avg + c * np.sqrt(2.0 * np.log(max(total, 1)) / (T + 1.0))
        ucb[cursor >= sizes] = -np.inf
        chosen = [a for a in np.argsort(-ucb, kind="stable")[:top_arms] if np.isfinite(ucb[a])]
        for a in chosen:
            probe = arms[a][cursor[a]:cursor[a] + probe_size]
            cursor[a] += probe.size
            r = float(score_probe(probe))
            S += weight[a] * r
            touched = weight[a] > 0
            T += touched
            total += int(touched.sum())
            take = [] if keep_positive and r <= 0 else probe[: budget - len(picks)].tolist()
            if keep_positive and r <= 0:
                rejected.append((r, int(a), probe.tolist()))
            picks.extend(take)
            gains.extend([r] * len(take))
            trace.append({"step": step, "arm": int(a), "reward": r, "picked": [int(i) for i in take]})
            if len(picks) >= budget:
                break
        step += 1
        report(progress, len(picks) / budget, f"bandit: round {step}, {len(picks):,} / {budget:,} picked")
    filled = 0
    if len(picks) < budget:  # arms ran dry with keep=positive: best rejected probes first
        for r, a, probe in sorted(rejected, key=lambda t: -t[0]):
            take = probe[: budget - len(picks)]
            picks.extend(take)
            gains.extend([r] * len(take))
            filled += len(take)
            trace.append({"step": step, "arm": a, "reward": r, "picked": take, "filled": True})
            if len(picks) >= budget:
                break
    info = {"reward": reward, "reward_formula": formula, "trace": trace, "rounds": step, "n_arms": k,
            "keep": "positive" if keep_positive else "all", "filled": filled,
            "cluster": labels[np.array(picks, dtype=np.int64)].tolist()}
    return Selection(np.array(picks, dtype=np.int64), np.array(gains), NAME, info=info)


def run(features: Features, budget: int, *, progress: Optional[Progress] = None, reward: str = "quality",
        seed: int = 42, **params) -> Selection:
    """Registry entry point: quality from ``features.quality``, the reference from ``features.reference``."""
    X = embeddings_of(features, LABEL)
    features.require(needs_for({"reward": reward}), f"{LABEL} with reward '{reward}'")
    quality = quality_of(features, LABEL) if reward == "quality" else None
    return select(X, budget, reward=reward, quality=quality, reference=features.reference, seed=seed,
                  progress=progress, **params)


def _reward_fn(reward: str, Xn: np.ndarray, quality, reference, ot_offset: float, quantile: float):
    """(probe -> reward, formula text) for the chosen reward."""
    if reward == "quality":
        if quality is None:
            raise SiftError("the bandit's quality reward needs a quality score per record")
        qn = minmax(check_vector(quality, Xn.shape[0], "quality"))
        bar = float(np.quantile(qn, quantile))
        return (lambda probe: qn[probe].mean() - bar,
                f"mean min-max quality of the probe - {bar:.4f} (pool quantile {quantile})")
    if reward == "ot":
        if reference is None:
            raise SiftError("the bandit's OT reward needs a reference set (examples of the target task)")
        R = unit_rows(check_matrix(reference, "reference set"))
        if R.shape[1] != Xn.shape[1]:
            raise SiftError(f"reference embeddings have {R.shape[1]} dimensions, the pool {Xn.shape[1]}")
        import ot

        b = np.full(R.shape[0], 1.0 / R.shape[0])

        def ot_reward(probe: np.ndarray) -> float:
            M = np.maximum(1.0 - Xn[probe].astype(np.float64) @ R.T.astype(np.float64), 0.0)
            a = np.full(len(probe), 1.0 / len(probe))
            return 1.0 - float(ot.emd2(a, b, M)) - ot_offset

        return ot_reward, f"1 - EMD(probe, reference; cost 1 - cos) - {ot_offset}"
    raise SiftError(f"unknown bandit reward {reward!r}; use 'quality' or 'ot'")


def neighbour_weights(means: np.ndarray, threshold: float = 0.2, share: float = 1.0) -> np.ndarray:
    """(k, k) reward-sharing weights: 1 on the diagonal, ``share * (1 - d / threshold)`` for arms whose mean
    vectors are within squared L2 distance ``d < threshold`` (Quad's fall-off), else 0."""
    means = np.asarray(means, dtype=np.float64)
    sq = (means ** 2).sum(axis=1)
    dist = np.maximum(sq[:, None] + sq[None, :] - 2.0 * means @ means.T, 0.0)
    weight = np.where(dist < threshold, share * (1.0 - dist / max(threshold, 1e-12)), 0.0)
    np.fill_diagonal(weight, 1.0)
    return weight


def _arm_members(Xn: np.ndarray, labels: np.ndarray, order: str, seed: int):
    """(members of every non-empty cluster, their mean vectors); members nearest the mean first, or shuffled."""
    rng = np.random.RandomState(seed)
    arms, means = [], []
    for cid in np.unique(labels):
        m = np.flatnonzero(labels == cid)
        centre = Xn[m].astype(np.float64).mean(axis=0)
        if order == "random":
            m = m[rng.permutation(m.size)]
        else:
            d = ((Xn[m].astype(np.float64) - centre) ** 2).sum(axis=1)
            m = m[np.argsort(d, kind="stable")]
        arms.append(m)
        means.append(centre)
    return arms, np.stack(means)
