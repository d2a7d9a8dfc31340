"""PyTorch CPU peer of bench/evaluate.ts: the same MLP, CNN and MobileNetV1-like nets, timed on request.

Run by bench/evaluate.ts as `/usr/bin/python3 bench/evaluate_torch.py` (Debian's python3-torch). It
answers one line per request on stdin so the TypeScript bench can interleave PyTorch with the other
runtimes:
    time NET BATCH SAMPLES   ->  seconds to score SAMPLES examples in batches of BATCH
    info                     ->  JSON with torch version and thread count
    quit
Inputs are NCHW (PyTorch's own layout), uniform [0, 1), generated once per net with a fixed seed.
torch.set_num_threads(2), eval mode, torch.inference_mode().
"""
import json
import sys
import time

import torch
from torch import nn

torch.set_num_threads(2)
torch.manual_seed(0)

INPUT_SHAPES = {"mlp": (784,), "cnn": (1, 28, 28), "mobilenet": (3, 32, 32)}

# MobileNetV1 blocks (filters at alpha 1, stride); same list as bench/evaluate_nets.ts.
MOBILENET_BLOCKS = [
    (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
    (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
]


def same_padding(stride):
    """TF 'same' for a 3x3 window: symmetric 1 at stride 1; at stride 2 on even sizes, one at the end."""
    return nn.ZeroPad2d(1) if stride == 1 else nn.ZeroPad2d((0, 1, 0, 1))


def build_mlp():
    return nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(dim=1)
    )


def build_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(dim=1),
    )


def build_mobilenet(alpha=0.25, classes=10):
    c = round(32 * alpha)
    layers = [same_padding(2), nn.Conv2d(3, c, 3, stride=2, bias=False), nn.BatchNorm2d(c, eps=1e-3), nn.ReLU6()]
    for filters, stride in MOBILENET_BLOCKS:
        f = round(filters * alpha)
        layers += [
            same_padding(stride), nn.Conv2d(c, c, 3, stride=stride, groups=c, bias=False), nn.BatchNorm2d(c, eps=1e-3), nn.ReLU6(),
            nn.Conv2d(c, f, 1, bias=False), nn.BatchNorm2d(f, eps=1e-3), nn.ReLU6(),
        ]
        c = f
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.001), nn.Linear(c, classes), nn.Softmax(dim=1)]
    return nn.Sequential(*layers)


BUILDERS = {"mlp": build_mlp, "cnn": build_cnn, "mobilenet": build_mobilenet}
models = {}
data = {}


def timed(net, batch, samples):
    if net not in models:
        models[net] = BUILDERS[net]().eval()
    key = (net, samples)
    if key not in data:
        generator = torch.Generator().manual_seed(1)
        data[key] = torch.rand((samples,) + INPUT_SHAPES[net], generator=generator)
    model, x = models[net], data[key]
    with torch.inference_mode():
        start = time.perf_counter()
        for i in range(0, samples, batch):
            model(x[i:i + batch])
        return time.perf_counter() - start


def main():
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "quit":
            break
        if parts[0] == "info":
            print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
        elif parts[0] == "time":
            print(repr(timed(parts[1], int(parts[2]), int(parts[3]))), flush=True)
        else:
            print(f"error unknown request {parts[0]}", flush=True)


if __name__ == "__main__":
    main()
