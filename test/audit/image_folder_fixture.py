"""Writes a small image test set for pie-audit's tests: class folders of PNG (RGB, gray, RGBA, palette) and JPEG
images of different sizes, and the same images converted to a tensor by hand with PIL (resize to 8x8 with PIL's
bilinear filter, /255, float32, NHWC) in torchvision ImageFolder order.

Usage: image_folder_fixture.py <out dir>   (prints the class names and labels as JSON)
"""
import json
import os
import sys

import numpy as np
from PIL import Image

out = sys.argv[1]
rng = np.random.default_rng(5)
classes = ["cat", "dog", "eel"]
paths, labels = [], []
for k, name in enumerate(classes):
    os.makedirs(os.path.join(out, "images", name, "sub"), exist_ok=True)
    for j in range(10):
        h, w = int(rng.integers(9, 40)), int(rng.integers(9, 40))
        base = np.zeros((h, w, 3))
        base[..., k] = 160  # the class tints one channel
        pixels = np.clip(base + rng.normal(60, 50, (h, w, 3)), 0, 255).astype(np.uint8)
        img = Image.fromarray(pixels, "RGB")
        kind = j % 5
        folder = os.path.join(out, "images", name, "sub" if j == 9 else "")
        if kind == 0:
            file = f"{j:02d}.jpg"
            img.save(os.path.join(folder, file), quality=90)
        elif kind == 1:
            file = f"{j:02d}.png"
            img.convert("L").save(os.path.join(folder, file))
        elif kind == 2:
            file = f"{j:02d}.png"
            img.convert("RGBA").save(os.path.join(folder, file))
        elif kind == 3:
            file = f"{j:02d}.png"
            img.convert("P", palette=Image.ADAPTIVE, colors=32).save(os.path.join(folder, file))
        else:
            file = f"{j:02d}.PNG"
            img.save(os.path.join(folder, file))
        paths.append(os.path.join(folder, file))
        labels.append(k)
    # Not an image: ImageFolder skips it.
    open(os.path.join(out, "images", name, "notes.txt"), "w").write("not an image")

# torchvision order: per class, sorted(os.walk(...)) then sorted file names.
order = []
for k, name in enumerate(classes):
    root = os.path.join(out, "images", name)
    for r, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if f.lower().endswith((".jpg", ".png")):
                order.append((os.path.join(r, f), k))
x = np.stack([np.asarray(Image.open(p).convert("RGB").resize((8, 8), Image.BILINEAR), dtype=np.float32) / np.float32(255) for p, _ in order])
np.save(os.path.join(out, "x.npy"), x.astype(np.float32))
print(json.dumps({"classNames": classes, "labels": [k for _, k in order], "paths": [os.path.relpath(p, out) for p, _ in order]}))
