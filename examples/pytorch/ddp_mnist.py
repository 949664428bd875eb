#!/usr/bin/python3
"""Two gloo processes on loopback train an MLP on MNIST with DistributedDataParallel; global
rank 0 streams the run into netlens (the other rank sends nothing: the client finds the rank
itself, after init_process_group).

    build/netlens serve &
    /usr/bin/python3 examples/pytorch/ddp_mnist.py

--short trains 20 steps on 512 images (the ctest).
"""

import argparse
import os
import socket
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "clients", "python"))
sys.path.insert(0, HERE)

import mnist_data  # noqa: E402
import netlens_client as nl  # noqa: E402
import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.multiprocessing as mp  # noqa: E402


def worker(rank, args, port):
    torch.set_num_threads(1)
    run = nl.init(args.url, run=args.run, config={"world_size": 2, "steps": args.steps})
    os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = "127.0.0.1", str(port)
    dist.init_process_group("gloo", rank=rank, world_size=2)
    torch.manual_seed(0)
    model = torch.nn.parallel.DistributedDataParallel(
        torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10)))
    x, y = mnist_data.load(args.data, limit=args.images)
    x, y = x[rank::2], y[rank::2]  # each rank its half
    run.model(model, x[:1])        # probed on the module inside DDP, never through it
    run.watch(model, every=max(1, args.steps // 10), dtype="f16")
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    g = torch.Generator().manual_seed(rank)
    for step in range(args.steps):
        batch = torch.randint(0, len(x), (64,), generator=g)
        loss = torch.nn.functional.cross_entropy(model(x[batch]), y[batch])
        opt.zero_grad()
        loss.backward()             # DDP averages the gradients across the ranks here
        opt.step()
        run.scalar("loss", loss.detach(), step)  # rank 0's loss; the client calls no collective
    summary = run.finish(timeout=10)
    if rank == 0:
        print("trained %d steps on 2 ranks; netlens: %d records sent, dropped %s" %
              (args.steps, summary["sent"], summary["dropped"]))
    dist.destroy_process_group()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default=os.environ.get("NETLENS_URL", "http://127.0.0.1:8000"))
    p.add_argument("--run", default="ddp-mnist")
    p.add_argument("--data", default=mnist_data.DEFAULT_DIR)
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--images", type=int, default=None)
    p.add_argument("--short", action="store_true", help="20 steps on 512 images")
    args = p.parse_args()
    if args.short:
        args.steps, args.images = 20, 512
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mp.spawn(worker, args=(args, port), nprocs=2, join=True)


if __name__ == "__main__":
    main()
