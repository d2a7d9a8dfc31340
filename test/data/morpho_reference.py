"""Reference morphometrics for test/data/morpho-mnist.test.ts, written from Morpho-MNIST's definitions
(Castro et al. 2019) with NumPy/SciPy at the images' own resolution. Usage: morpho_reference.py IDX COUNT."""
import json
import sys

import numpy as np
from scipy import ndimage

path, count = sys.argv[1], int(sys.argv[2])
raw = np.fromfile(path, dtype=np.uint8, offset=16)[: count * 784].reshape(count, 28, 28)
images = (raw.astype(np.float32) / np.float32(255)).astype(np.float64)
rows = []
for img in images:
    lo, hi = img.min(), img.max()
    binary = img >= lo + (hi - lo) * 0.5
    dist = ndimage.distance_transform_edt(np.pad(binary, 1))
    # Ridge: foreground pixels no closer to the background than any 4-neighbour.
    c = dist[1:-1, 1:-1]
    ridge = (c > 0) & (c >= dist[:-2, 1:-1]) & (c >= dist[2:, 1:-1]) & (c >= dist[1:-1, :-2]) & (c >= dist[1:-1, 2:])
    thickness = 2 * c[ridge].mean()
    y, x = np.mgrid[0:28, 0:28].astype(np.float64)
    m00 = img.sum()
    cx, cy = (x * img).sum() / m00, (y * img).sum() / m00
    u11 = (x * y * img).sum() / m00 - cx * cy
    u02 = (y * y * img).sum() / m00 - cy * cy
    shear = u11 / u02
    locs = np.arange(28)
    hcdf = np.array([((x + 0.5 < t + shear * (y - cy)) * img).sum() for t in locs]) / m00
    vcdf = np.array([((y < t) * img).sum() for t in locs]) / m00
    left, right = np.interp([0.01, 0.99], hcdf, locs)
    top, bottom = np.interp([0.01, 0.99], vcdf, locs)
    rows.append([float(binary.sum()), float(thickness), float(np.arctan(-shear)), float(right - left), float(bottom - top)])
json.dump(rows, sys.stdout)
