"""PyTorch peer of bench/train-step.ts: one epoch of the demo's MLP 784-128-10 (Adam, batch 128) on the
same n x 784 float32 inputs (train_x.npy, train_y.npy in <dir>), on 1 thread. Prints JSON
{"seconds": wall seconds of the epoch, "torch": version}.
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn


def main():
    folder = sys.argv[1]
    torch.set_num_threads(1)
    x = torch.from_numpy(np.load(f"{folder}/train_x.npy"))
    y = torch.from_numpy(np.load(f"{folder}/train_y.npy").astype(np.int64))
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(x.shape[0], generator=torch.Generator().manual_seed(1))
    started = time.perf_counter()
    for start in range(0, x.shape[0], 128):
        idx = order[start:start + 128]
        opt.zero_grad()
        loss_fn(model(x[idx]), y[idx]).backward()
        opt.step()
    print(json.dumps({"seconds": time.perf_counter() - started, "torch": torch.__version__}))


main()
