"""Probability files at ImageNet scale for bench/probabilities-scale.ts, and their NumPy reference.

generate DIR LEVELS MODELS_PER_LEVEL N CLASSES: seeded softmax rows (float32 .npy, one file per model) and labels.npy;
    each level's models are noisier around a shared per-example logit vector, so compression moves some examples.
reference DIR LEVELS MODELS_PER_LEVEL: reads the files model by model (never all at once) and prints JSON: each model's
    top-5 accuracy (true class among the 5 most probable, ties to the smaller class index) and, per compressed level,
    the mean taxicab distance between the level's and the baseline's mean probability vectors and the top 16 examples
    by it (descending distance, then ascending index).
"""
import json
import os
import sys

import numpy as np


def path(d, level, m):
    return os.path.join(d, f"level{level}_model{m:03d}.npy")


def generate(d, levels, models, n, classes):
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(16)
    labels = rng.integers(0, classes, n).astype(np.int64)
    np.save(os.path.join(d, "labels.npy"), labels)
    base = rng.standard_normal((n, classes), dtype=np.float32)
    base[np.arange(n), labels] += 4.0
    for level in range(levels):
        for m in range(models):
            logits = base + rng.standard_normal((n, classes), dtype=np.float32) * np.float32(0.8 + 0.6 * level)
            logits -= logits.max(axis=1, keepdims=True)
            np.exp(logits, out=logits)
            logits /= logits.sum(axis=1, keepdims=True)
            np.save(path(d, level, m), logits.astype(np.float32))


def top5(p, labels):
    py = p[np.arange(len(labels)), labels][:, None]
    classes = np.arange(p.shape[1])[None, :]
    above = (p > py) | ((p == py) & (classes < labels[:, None]))
    return float((above.sum(axis=1) < 5).mean())


def reference(d, levels, models):
    labels = np.load(os.path.join(d, "labels.npy"))
    top = []
    means = []
    for level in range(levels):
        total = None
        for m in range(models):
            p = np.load(path(d, level, m))
            top.append(top5(p, labels))
            total = p.astype(np.float64) if total is None else total + p
        means.append(total / models)
    out = {"numpy": np.__version__, "top5": top, "levels": []}
    for level in range(1, levels):
        dist = np.abs(means[level] - means[0]).sum(axis=1)
        order = np.lexsort((np.arange(len(dist)), -dist))[:16]
        out["levels"].append({"meanDistance": float(dist.mean()), "top": order.tolist(), "distances": dist[order].tolist()})
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], *map(int, sys.argv[3:7]))
    else:
        reference(sys.argv[2], *map(int, sys.argv[3:5]))
