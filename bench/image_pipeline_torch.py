"""PyTorch peer of bench/image-pipeline.ts: builds the JPEG folder and the ONNX model, then times PIL decoding +
torchvision's transforms + the same CNN in torch.

Run by bench/image-pipeline.ts with Debian's python3-torch, python3-torchvision, python3-pil, python3-skimage:
    make DIR IMAGES   -> writes DIR/images/<photo>/<k>.jpg (IMAGES JPEGs cut from scikit-image's colour
                         photographs: seeded crops of 256 to 512 pixels a side, quality 90) and DIR/cnn.onnx
                         (a seeded 4-conv CNN for 3x224x224 inputs, 10 classes, batch dimension dynamic)
    time DIR BATCH WORKERS -> JSON {seconds, images, logits}: ImageFolder + PIL loader + Resize(256),
                         CenterCrop(224), ToTensor(), Normalize(ImageNet) + the CNN, DataLoader with WORKERS
                         worker processes, torch.set_num_threads(2), inference_mode; logits = the scores, row-major
"""
import json
import os
import random
import sys
import time

import torch
from torch import nn

torch.set_num_threads(2)


def cnn():
    torch.manual_seed(7)
    layers = []
    channels = 3
    for out in (16, 32, 64, 128):
        layers += [nn.Conv2d(channels, out, 3, stride=2, padding=1), nn.BatchNorm2d(out), nn.ReLU()]
        channels = out
    net = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, 10))
    with torch.no_grad():  # non-trivial batch-norm statistics so the classes differ
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    return net.eval()


PHOTOS = ("astronaut.png", "chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_left.png", "hubble_deep_field.jpg", "ihc.png", "retina.jpg")


def make(folder, count):
    import numpy as np
    import skimage
    from PIL import Image

    data = os.path.join(os.path.dirname(skimage.__file__), "data")
    photos = {
        name.split(".")[0]: np.asarray(Image.open(os.path.join(data, name)).convert("RGB"))
        for name in PHOTOS
        if os.path.exists(os.path.join(data, name))
    }
    rng = random.Random(16)
    names = sorted(photos)
    for k in range(count):
        name = names[k % len(names)]
        pixels = photos[name]
        h, w = pixels.shape[:2]
        ch = rng.randint(min(256, h), min(512, h))
        cw = rng.randint(min(256, w), min(512, w))
        top, left = rng.randint(0, h - ch), rng.randint(0, w - cw)
        os.makedirs(os.path.join(folder, "images", name), exist_ok=True)
        Image.fromarray(pixels[top : top + ch, left : left + cw]).convert("RGB").save(
            os.path.join(folder, "images", name, f"{k:05d}.jpg"), quality=90
        )
    torch.onnx.export(
        cnn(), torch.zeros(1, 3, 224, 224), os.path.join(folder, "cnn.onnx"),
        input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "n"}, "y": {0: "n"}}, opset_version=13,
    )


def time_pipeline(folder, batch, workers):
    import torchvision
    from torchvision import transforms

    transform = transforms.Compose([
        transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    data = torchvision.datasets.ImageFolder(os.path.join(folder, "images"), transform=transform)
    loader = torch.utils.data.DataLoader(data, batch_size=batch, shuffle=False, num_workers=workers)
    net = cnn()
    logits = []
    start = time.perf_counter()
    with torch.inference_mode():
        for x, _ in loader:
            logits += net(x).flatten().tolist()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "images": len(data), "logits": logits}


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
        print(json.dumps({"torch": torch.__version__}))
    elif sys.argv[1] == "time":
        import torchvision
        result = time_pipeline(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        result.update(torch=torch.__version__, torchvision=torchvision.__version__, threads=torch.get_num_threads())
        print(json.dumps(result))
