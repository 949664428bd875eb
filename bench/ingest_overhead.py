"""The Python client's cost to training (issue #17): the same PyTorch training, with the client
at its defaults streaming into a real `netlens serve` (a snapshot every 50 steps, a loss per
step) and without it; the figure is the ratio of the times (best of `--repeats` each,
alternating). Prints one JSON object. Part of `make bench` (bench/run.py), never a test.

    /usr/bin/python3 bench/ingest_overhead.py --netlens build/release/netlens [--quick]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "clients", "python"))

import netlens_client as nl  # noqa: E402
import torch  # noqa: E402


def train(steps, run=None):
    """The wide Playground net of W3 (2-1000-1 ReLU) on 500 points, batch 50, Adam; seconds taken."""
    torch.manual_seed(0)
    x = torch.rand(500, 2) * 2 - 1
    y = (x[:, :1] * x[:, 1:] > 0).float()
    net = torch.nn.Sequential(torch.nn.Linear(2, 1000), torch.nn.ReLU(), torch.nn.Linear(1000, 1))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    start = time.perf_counter()
    if run is not None:
        run.model(net, x[:8], spec={"dataset": "xor", "loss": "binary_cross_entropy"})
        run.watch(net, every=50)
    for step in range(steps):
        batch = torch.randint(0, len(x), (50,))
        loss = loss_fn(net(x[batch]), y[batch])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if run is not None:
            run.scalar("loss", loss.detach(), step)
    seconds = time.perf_counter() - start
    if run is not None:
        run.finish(timeout=10)  # after the clock: finish() only drains what is queued
    return seconds


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--netlens", required=True)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    steps = 300 if args.quick else 2000
    torch.set_num_threads(1)
    runs = tempfile.mkdtemp(prefix="netlens_bench_ingest_")
    server = subprocess.Popen([args.netlens, "serve", "--port", "0", "--runs", runs],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        while url is None:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("netlens serve exited before serving")
            m = re.search(r"netlens: serving (http://\S+)", line)
            url = m and m.group(1).split("?")[0].rstrip("/")
        train(50)  # warm up torch
        with_client, without = [], []
        for i in range(args.repeats):
            without.append(train(steps))
            with_client.append(train(steps, nl.init(url, run="bench-%d" % i, quiet=True)))
        best_with, best_without = min(with_client), min(without)
        print(json.dumps({"steps": steps, "with_client_s": best_with, "without_s": best_without,
                          "ratio": best_with / best_without}))
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(runs, ignore_errors=True)


if __name__ == "__main__":
    main()
