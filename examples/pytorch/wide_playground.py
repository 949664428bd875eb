#!/usr/bin/python3
"""A wide single hidden layer (1000 ReLU units) trained in PyTorch on the spiral, streamed live
into netlens's Playground.

    build/netlens serve &                        # prints http://127.0.0.1:8000/
    /usr/bin/python3 examples/pytorch/wide_playground.py
    # open http://127.0.0.1:8000/#ingest=wide-spiral

--short trains for a few seconds (the ctest); --url and --run pick the server and the run's name.
"""

import argparse
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))

import netlens_client as nl  # noqa: E402
import torch  # noqa: E402


def spiral(n, noise, seed):
    """netlens's spiral (src/data/synthetic2d.cpp): two arms of 1.75 turns, radius 0..5; the
    first arm is class 1."""
    g = torch.Generator().manual_seed(seed)
    half = n // 2
    i = torch.arange(half, dtype=torch.float64)
    r = i / half * 5.0
    points, labels = [], []
    for delta, label in ((0.0, 1.0), (math.pi, 0.0)):
        t = 1.75 * i / half * 2 * math.pi + delta
        jitter = (torch.rand(half, 2, generator=g, dtype=torch.float64) * 2 - 1) * noise
        points.append(torch.stack([r * torch.sin(t), r * torch.cos(t)], 1) + jitter)
        labels.append(torch.full((half, 1), label, dtype=torch.float64))
    return torch.cat(points).float(), torch.cat(labels).float()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default=os.environ.get("NETLENS_URL", "http://127.0.0.1:8000"))
    p.add_argument("--run", default="wide-spiral")
    p.add_argument("--width", type=int, default=1000)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--every", type=int, default=50, help="a weight snapshot every N steps")
    p.add_argument("--short", action="store_true", help="a few seconds: 300 steps, a snapshot every 10")
    p.add_argument("--delay", type=float, default=0.0, help="seconds to sleep per step (to watch it slowly)")
    args = p.parse_args()
    if args.short:
        args.steps, args.every = 300, 10
    torch.manual_seed(1)
    torch.set_num_threads(1)
    x, y = spiral(500, 0.0, seed=1)
    net = torch.nn.Sequential(torch.nn.Linear(2, args.width), torch.nn.ReLU(), torch.nn.Linear(args.width, 1))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    run = nl.init(args.url, run=args.run, config={"width": args.width, "lr": 0.01, "optimizer": "adam"})
    # The spec names the data set the Playground draws beneath the network; the layers come from the module.
    run.model(net, x[:8], spec={"dataset": "spiral", "loss": "binary_cross_entropy", "num_samples": 500,
                                "train_ratio": 0.9, "noise": 0})
    run.watch(net, every=args.every)
    for step in range(args.steps):
        batch = torch.randint(0, len(x), (50,))
        loss = loss_fn(net(x[batch]), y[batch])
        opt.zero_grad()
        loss.backward()
        opt.step()
        run.scalar("loss", loss.detach(), step)
        if args.delay:
            import time
            time.sleep(args.delay)
    with torch.no_grad():
        accuracy = ((net(x) > 0).float() == y).float().mean().item()
    summary = run.finish(timeout=10)
    print("trained %d steps: accuracy %.3f; netlens: %d records sent, dropped %s" %
          (args.steps, accuracy, summary["sent"], summary["dropped"]))


if __name__ == "__main__":
    main()
