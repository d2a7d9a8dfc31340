"""Reference for pie-audit's image decoding and preprocessing: PIL decodes and resizes; ToTensor and Normalize are computed in
float32 as torchvision's transforms do (torchvision and torch are not installed here; their resize/crop arithmetic
and float32 steps are reproduced with NumPy line for line). Writes the test images and, per preset, a float32 .npy of every image.

Usage: pil_preprocess_reference.py <skimage data dir> <fashion-mnist t10k images .gz> <mnist t10k images> <out dir>
"""
import gzip
import json
import os
import sys

import numpy as np
from PIL import Image

skimage_dir, fashion_gz, mnist_idx, out = sys.argv[1:5]
os.makedirs(out, exist_ok=True)
files = []


def save(img, name, **kw):
    path = os.path.join(out, name)
    img.save(path, **kw)
    files.append(name)


for name in ["astronaut", "chelsea", "coffee", "motorcycle_left"]:
    rgb = Image.open(os.path.join(skimage_dir, name + ".png")).convert("RGB")
    save(rgb, name + ".jpg", quality=90)
    save(rgb, name + ".png")
hubble = os.path.join(skimage_dir, "hubble_deep_field.jpg")
Image.open(hubble).save(os.path.join(out, "hubble.jpg"), quality=95)
files.append("hubble.jpg")
save(Image.open(os.path.join(skimage_dir, "camera.png")).convert("L"), "camera-gray.png")
save(Image.open(os.path.join(skimage_dir, "camera.png")).convert("L"), "camera-gray.jpg", quality=85)
save(Image.open(os.path.join(skimage_dir, "palette_color.png")), "palette.png")
rgba = Image.open(os.path.join(skimage_dir, "chelsea.png")).convert("RGBA")
alpha = np.asarray(rgba).copy()
alpha[..., 3] = np.arange(alpha.shape[1])[None, :] % 256
save(Image.fromarray(alpha, "RGBA"), "chelsea-rgba.png")
# A 16-bit grayscale PNG; PIL clips (not scales) 16-bit values when converting, so its reference keeps the high byte.
cam = np.asarray(Image.open(os.path.join(skimage_dir, "camera.png")).convert("L")).astype(np.uint16) * 256
cam += (np.arange(cam.shape[1], dtype=np.uint16)[None, :] * 37 % 256).astype(np.uint16)
Image.fromarray(cam.astype(np.uint16)).save(os.path.join(out, "camera-16bit.png"))
files.append("camera-16bit.png")


def idx_images(raw, count):
    n, h, w = np.frombuffer(raw[4:16], dtype=">u4")
    return np.frombuffer(raw[16 : 16 + count * h * w], dtype=np.uint8).reshape(count, h, w)


for i, digit in enumerate(idx_images(gzip.open(fashion_gz).read(), 8)):
    save(Image.fromarray(digit, "L"), f"fashion-{i}.png")
for i, digit in enumerate(idx_images(open(mnist_idx, "rb").read(), 8)):
    save(Image.fromarray(digit, "L"), f"mnist-{i}.png")


def load(name, mode):
    img = Image.open(os.path.join(out, name))
    if img.mode in ("I;16", "I"):
        img = Image.fromarray((np.asarray(img, dtype=np.uint32) >> 8).astype(np.uint8), "L")
    return img.convert(mode)


def torchvision_resize(img, size):
    # torchvision.transforms.functional._compute_resized_output_size, then PIL's resize (BILINEAR).
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    return img.resize((new_w, new_h), Image.BILINEAR)


def center_crop(img, size):
    # torchvision.transforms.functional.center_crop (the image is larger than the crop here).
    w, h = img.size
    top = int(round((h - size) / 2.0))
    left = int(round((w - size) / 2.0))
    return img.crop((left, top, left + size, top + size))


def to_tensor(img):
    # ToTensor: CHW, float32, divided by 255 in float32.
    arr = np.array(img, dtype=np.uint8)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    return arr.transpose(2, 0, 1).astype(np.float32) / np.float32(255)


def normalize(t, mean, std):
    m = np.asarray(mean, dtype=np.float32)[:, None, None]
    s = np.asarray(std, dtype=np.float32)[:, None, None]
    return (t - m) / s


presets = {
    "torchvision": lambda n: normalize(to_tensor(center_crop(torchvision_resize(load(n, "RGB"), 256), 224)), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    "keras-inception": lambda n: normalize(to_tensor(load(n, "RGB").resize((299, 299), Image.BILINEAR)), [0.5] * 3, [0.5] * 3).transpose(1, 2, 0),
    "gray-32": lambda n: to_tensor(load(n, "L").resize((32, 32), Image.BILINEAR)).transpose(1, 2, 0),
}
for preset, fn in presets.items():
    np.save(os.path.join(out, preset + ".npy"), np.stack([fn(n) for n in files]).astype(np.float32))
print(json.dumps(files))
