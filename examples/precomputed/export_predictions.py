"""Train small NumPy MLPs on the UCI 8x8 digits, prune them by magnitude, save test predictions as .npy.

This stands in for "another framework": any tool that can write one label (or probability row) per
test example works the same way. Run from the repository root:

    /usr/bin/python3 examples/precomputed/export_predictions.py

It writes examples/precomputed/preds/<level>/seed-<k>.npy (int32 labels, one per test example),
labels.npy (true labels) and images.npy (the 8x8 test images, for thumbnails). The digit 9 is made
rare in training (15% kept) so compression has a long-tail class to forget. Deterministic.
"""
import gzip
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LEVELS = [0.0, 0.5, 0.8, 0.95]
SEEDS = [1, 2, 3, 4, 5]
RARE_DIGIT, RARE_KEEP = 9, 0.15

with gzip.open(os.path.join(ROOT, "data", "digits.csv.gz"), "rt") as f:
    table = np.loadtxt(f, delimiter=",")
x_all = (table[:, :64] / 16.0).astype(np.float32)
y_all = table[:, 64].astype(np.int64)

split = np.random.default_rng(0).permutation(len(y_all))
test_idx, train_idx = split[:600], split[600:]
rare = train_idx[y_all[train_idx] == RARE_DIGIT]
drop = set(np.random.default_rng(1).permutation(rare)[int(round(len(rare) * RARE_KEEP)):].tolist())
train_idx = np.array([i for i in train_idx if i not in drop])
x_train, y_train = x_all[train_idx], y_all[train_idx]
x_test, y_test = x_all[test_idx], y_all[test_idx]


def init(seed):
    rng = np.random.default_rng(seed)
    w1 = rng.normal(0, np.sqrt(2 / 64), (64, 64)).astype(np.float32)
    w2 = rng.normal(0, np.sqrt(2 / 64), (64, 10)).astype(np.float32)
    return [w1, np.zeros(64, np.float32), w2, np.zeros(10, np.float32)]


def forward(params, x):
    w1, b1, w2, b2 = params
    h = np.maximum(0, x @ w1 + b1)
    z = h @ w2 + b2
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return h, p / p.sum(axis=1, keepdims=True)


def train(params, epochs, seed, lr, masks=None):
    rng = np.random.default_rng(seed)
    onehot = np.eye(10, dtype=np.float32)[y_train]
    for _ in range(epochs):
        order = rng.permutation(len(y_train))
        for start in range(0, len(order), 32):
            b = order[start:start + 32]
            h, p = forward(params, x_train[b])
            dz = (p - onehot[b]) / len(b)
            w1, b1, w2, b2 = params
            dw2, db2 = h.T @ dz, dz.sum(0)
            dh = (dz @ w2.T) * (h > 0)
            dw1, db1 = x_train[b].T @ dh, dh.sum(0)
            for q, g in zip(params, [dw1, db1, dw2, db2]):
                q -= lr * g
            if masks is not None:
                params[0] *= masks[0]
                params[2] *= masks[1]
    return params


def magnitude_masks(params, sparsity):
    masks = []
    for w in (params[0], params[2]):
        k = int(round(w.size * sparsity))
        threshold = np.sort(np.abs(w), axis=None)[k - 1] if k > 0 else -1
        masks.append((np.abs(w) > threshold).astype(np.float32))
    return masks


out = os.path.join(HERE, "preds")
for seed in SEEDS:
    base = train(init(seed), epochs=30, seed=seed, lr=0.1)
    for level in LEVELS:
        params = [p.copy() for p in base]
        masks = magnitude_masks(params, level)
        params[0] *= masks[0]
        params[2] *= masks[1]
        params = train(params, epochs=3, seed=seed + 100, lr=0.02, masks=masks)
        preds = forward(params, x_test)[1].argmax(1).astype(np.int32)
        folder = os.path.join(out, f"{level:g}")
        os.makedirs(folder, exist_ok=True)
        np.save(os.path.join(folder, f"seed-{seed}.npy"), preds)
        print(f"level {level:g} seed {seed}: top-1 {np.mean(preds == y_test):.3f}")
np.save(os.path.join(HERE, "labels.npy"), y_test.astype(np.int32))
np.save(os.path.join(HERE, "images.npy"), x_test.reshape(-1, 8, 8, 1))
