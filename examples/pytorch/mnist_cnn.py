#!/usr/bin/python3
"""A small CNN on MNIST trained in PyTorch, streamed into netlens (its losses, weight
snapshots and the model as ONNX, which the server imports), then exported to ONNX and imported
with `netlens import`.

    build/netlens serve &
    /usr/bin/python3 examples/pytorch/mnist_cnn.py           # writes build/mnist_cnn.onnx
    build/netlens import build/mnist_cnn.onnx --out build/mnist_cnn.nlmodel

--short trains 30 steps on 600 images (the ctest); --netlens BIN runs the import itself.
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "clients", "python"))
sys.path.insert(0, HERE)

import mnist_data  # noqa: E402
import netlens_client as nl  # noqa: E402
import torch  # noqa: E402


def cnn():
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(16 * 7 * 7, 10))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default=os.environ.get("NETLENS_URL", "http://127.0.0.1:8000"))
    p.add_argument("--run", default="mnist-cnn")
    p.add_argument("--data", default=mnist_data.DEFAULT_DIR)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--images", type=int, default=None, help="train on the first N images (default: all)")
    p.add_argument("--out", default=os.path.join(HERE, "..", "..", "build", "mnist_cnn.onnx"))
    p.add_argument("--netlens", default=None, help="a netlens binary: run `netlens import` on the exported file")
    p.add_argument("--short", action="store_true", help="30 steps on 600 images")
    args = p.parse_args()
    if args.short:
        args.steps, args.images = 30, 600
    torch.manual_seed(0)
    torch.set_num_threads(1)
    x, y = mnist_data.load(args.data, limit=args.images)
    net = cnn()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    run = nl.init(args.url, run=args.run, config={"lr": 1e-3, "steps": args.steps})
    run.model(net, x[:1], onnx=True)
    # A weight snapshot ten times in the run (each a checkpoint of Digits' and Lurk's stage
    # slider), with every layer's activations on eight images.
    run.watch(net, every=max(1, args.steps // 10), dtype="f16", probe=x[:8])
    for step in range(args.steps):
        batch = torch.randint(0, len(x), (64,))
        loss = torch.nn.functional.cross_entropy(net(x[batch]), y[batch])
        opt.zero_grad()
        loss.backward()
        opt.step()
        run.scalar("loss", loss.detach(), step)
    net.eval()
    with torch.no_grad():
        accuracy = (net(x[:500]).argmax(1) == y[:500]).float().mean().item()
    summary = run.finish(timeout=10)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.onnx.export(net, x[:1], args.out, opset_version=13, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}})
    print("trained %d steps: accuracy %.3f on the first 500; exported %s; netlens: %d records sent, dropped %s" %
          (args.steps, accuracy, args.out, summary["sent"], summary["dropped"]))
    if args.netlens:
        subprocess.run([args.netlens, "import", args.out, "--out", os.path.splitext(args.out)[0] + ".nlmodel"], check=True)


if __name__ == "__main__":
    main()
