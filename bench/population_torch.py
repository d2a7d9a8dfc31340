"""PyTorch peer of the demo's population build (bench/population.ts): the same recipe, step for step.

Run by bench/population.ts as `/usr/bin/python3 bench/population_torch.py <dir> <threads>` (Debian's
python3-torch). <dir> holds train_x.npy (uint8, n x 784), train_y.npy, fine_x.npy, fine_y.npy and
recipe.json, written by the bench from the demo's own data. Per seed: an MLP 784-128-10 (relu, softmax)
trained with Adam (lr 0.001) for 3 epochs, batch 128, seeded shuffles; then per sparsity level a copy
pruned by weight magnitude on the hidden layer (polynomial schedule, power 3, masks recomputed every
`frequency` steps, as tfmot) and fine-tuned with Adam (lr 0.0002) for 2 epochs on the fine-tuning subset.
Prints JSON: {"seconds": wall seconds, "threads": n, "torch": version}.
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn


def mlp(hidden, seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Flatten(), nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, 10))


def epochs(model, x, y, n_epochs, lr, seed, on_step=None):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    g = torch.Generator().manual_seed(seed)
    for _ in range(n_epochs):
        order = torch.randperm(x.shape[0], generator=g)
        for start in range(0, x.shape[0], 128):
            idx = order[start:start + 128]
            if on_step:
                on_step(step)
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            if on_step:
                on_step(step, after=True)
            step += 1


def main():
    folder, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    r = json.load(open(f"{folder}/recipe.json"))
    tx = torch.from_numpy(np.load(f"{folder}/train_x.npy").astype(np.float32) / 255.0)
    ty = torch.from_numpy(np.load(f"{folder}/train_y.npy").astype(np.int64))
    fx = torch.from_numpy(np.load(f"{folder}/fine_x.npy").astype(np.float32) / 255.0)
    fy = torch.from_numpy(np.load(f"{folder}/fine_y.npy").astype(np.int64))
    steps = r["fineTuneEpochs"] * ((fx.shape[0] + r["batchSize"] - 1) // r["batchSize"])
    frequency = max(1, steps // 10)
    end_step = max(0, ((steps - 1) // frequency) * frequency)
    started = time.perf_counter()
    for seed in r["seeds"]:
        base = mlp(r["hidden"][0], seed)
        epochs(base, tx, ty, r["epochs"], r["learningRate"], seed)
        for level in r["levels"]:
            model = mlp(r["hidden"][0], seed)
            model.load_state_dict(base.state_dict())
            w = model[1].weight
            mask = torch.ones_like(w)

            def on_step(step, after=False, w=w, mask=mask, level=level):
                with torch.no_grad():
                    if not after and step % frequency == 0 and step <= end_step:
                        p = min(1.0, step / end_step) if end_step > 0 else 1.0
                        sparsity = level + (0 - level) * (1 - p) ** 3
                        k = int(round(sparsity * w.numel()))
                        mask.fill_(1)
                        if k > 0:
                            mask.view(-1)[torch.topk(w.abs().view(-1), k, largest=False).indices] = 0
                    w.mul_(mask)

            epochs(model, fx, fy, r["fineTuneEpochs"], r["fineTuneLearningRate"], seed, on_step)
    print(json.dumps({"seconds": time.perf_counter() - started, "threads": threads, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
