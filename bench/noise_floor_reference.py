"""NumPy peer of bench/noise-floor.ts: the PIE count of every split of a permutation test, same algorithm.

Usage: /usr/bin/python3 bench/noise_floor_reference.py POOLED.npy SIDES.npy N_CLASSES TIE OUT_DIR

POOLED.npy holds the pooled models' labels as a (models, examples) uint8 array, SIDES.npy the pooled indices of
side A of every split as (splits, side size) int32 (split 0 is the observed one). Per example, the pooled class
counts; examples whose leader no split can overturn are skipped; per split, side A's counts by one np.bincount,
side B's as the pooled counts minus side A's, both argmaxes with the tie rule ('max': largest tied class).
Writes OUT_DIR/counts.bin (int32 per split) and prints one JSON line with the versions and the seconds
(loading excluded).
"""
import json
import os
import platform
import sys
import time

import numpy as np


def argmax_tie(counts: np.ndarray, tie: str) -> np.ndarray:
    if tie == 'max':
        return counts.shape[1] - 1 - np.argmax(counts[:, ::-1], axis=1)
    return np.argmax(counts, axis=1)


def main() -> None:
    pooled_path, sides_path, n_classes, tie, out_dir = sys.argv[1:6]
    n_classes = int(n_classes)
    pooled = np.load(pooled_path).astype(np.int64)
    sides = np.load(sides_path)
    total, n = pooled.shape
    a = sides.shape[1]

    start = time.perf_counter()
    counts = np.zeros((n, n_classes), dtype=np.int32)
    rows = np.arange(n)
    for m in range(total):
        np.add.at(counts, (rows, pooled[m]), 1)
    ordered = np.sort(counts, axis=1)
    contested = ordered[:, -1] - max(a, total - a) <= ordered[:, -2] if n_classes > 1 else np.zeros(n, dtype=bool)
    labels = pooled[:, contested]
    pooled_counts = counts[contested]
    nc = labels.shape[1]
    offsets = (np.arange(nc) * n_classes)[None, :]
    split_counts = np.empty(sides.shape[0], dtype=np.int32)
    for s in range(sides.shape[0]):
        side = labels[sides[s]]
        side_counts = np.bincount((side + offsets).ravel(), minlength=nc * n_classes).reshape(nc, n_classes)
        other = pooled_counts - side_counts
        split_counts[s] = int(np.count_nonzero(argmax_tie(side_counts, tie) != argmax_tie(other, tie)))
    seconds = time.perf_counter() - start

    split_counts.tofile(os.path.join(out_dir, 'counts.bin'))
    print(json.dumps({
        'python': platform.python_version(),
        'numpy': np.__version__,
        'seconds': seconds,
        'contested': int(nc),
    }))


if __name__ == '__main__':
    main()
