"""NumPy/SciPy peer of bench/analysis.ts: modal labels with scipy.stats.mode and a PIE comparison.

Usage: /usr/bin/python3 bench/analysis_reference.py BASELINE.npy COMPRESSED.npy OUT_DIR

Each .npy holds one population as a (models, examples) integer array. Writes OUT_DIR/baseline_modal.bin,
OUT_DIR/compressed_modal.bin (the modal labels, raw, in the input dtype) and OUT_DIR/is_pie.bin (uint8),
and prints one JSON line with the versions and timings (seconds, loading excluded).
scipy.stats.mode breaks ties towards the smallest label, like pie-audit's tieBreak 'min'.
"""
import json
import os
import platform
import sys
import time

import numpy as np
import scipy
from scipy import stats


def modal(population: np.ndarray) -> np.ndarray:
    return stats.mode(population, axis=0, keepdims=False).mode


def main() -> None:
    baseline_path, compressed_path, out_dir = sys.argv[1:4]
    baseline = np.load(baseline_path)
    compressed = np.load(compressed_path)

    start = time.perf_counter()
    baseline_modal = modal(baseline)
    modal_seconds = time.perf_counter() - start

    start = time.perf_counter()
    b = modal(baseline)
    c = modal(compressed)
    is_pie = b != c
    n_pies = int(is_pie.sum())
    pie_seconds = time.perf_counter() - start

    baseline_modal.astype(baseline.dtype).tofile(os.path.join(out_dir, 'baseline_modal.bin'))
    c.astype(compressed.dtype).tofile(os.path.join(out_dir, 'compressed_modal.bin'))
    is_pie.astype(np.uint8).tofile(os.path.join(out_dir, 'is_pie.bin'))
    print(json.dumps({
        'python': platform.python_version(),
        'numpy': np.__version__,
        'scipy': scipy.__version__,
        'modal_seconds': modal_seconds,
        'pie_seconds': pie_seconds,
        'n_pies': n_pies,
    }))


if __name__ == '__main__':
    main()
