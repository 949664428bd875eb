"""The benchmark peer: PyTorch running the same workloads as bench/workloads.cpp.

Reads the data the netlens side wrote (build/bench/*.csv) and MNIST's IDX files, so both
sides train on the same points. Prints one JSON object per workload on stdout.

    /usr/bin/python3 bench/peer_torch.py --threads 1 --data build/bench --mnist .cache/mnist [--quick]
"""
import argparse
import json
import resource
import time

import numpy as np
import torch
from torch import nn


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def load_points(path):
    a = np.loadtxt(path, delimiter=",", dtype=np.float32, ndmin=2)
    return torch.from_numpy(a[:, :2].copy()), torch.from_numpy(a[:, 2:].copy())


def load_idx(path, offset):
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load_mnist(folder, split):
    x = load_idx(f"{folder}/{split}-images-idx3-ubyte", 16).reshape(-1, 784).astype(np.float32) / 255.0
    y = load_idx(f"{folder}/{split}-labels-idx1-ubyte", 8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def load_weights(net, path):
    """Copies the netlens side's initial weights into the net's Linear (W is in x out there) and
    Conv2d layers (K x C x F x F, the same order)."""
    with open(path) as f:
        layers = json.load(f)
    modules = [m for m in net if isinstance(m, (nn.Linear, nn.Conv2d))]
    assert len(modules) == len(layers), path
    with torch.no_grad():
        for module, layer in zip(modules, layers):
            w = torch.tensor(layer["weight"], dtype=torch.float32)
            if isinstance(module, nn.Linear):
                module.weight.copy_(w.reshape(layer["in"], layer["out"]).t())
            else:
                module.weight.copy_(w.reshape(layer["shape"]))
            module.bias.copy_(torch.tensor(layer["bias"], dtype=torch.float32))
    return net


def playground_net(hidden, act):
    layers, width = [], 2
    for units in hidden:
        layers += [nn.Linear(width, units), act()]
        width = units
    layers += [nn.Linear(width, 1), nn.Tanh()]
    return nn.Sequential(*layers)


def train_steps(net, x, y, steps, batch, lr):
    """SGD on 1/2 (y - t)^2 in shuffled mini-batches, `steps` updates; returns (seconds, loss)."""
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    n = x.shape[0]
    done = 0
    start = time.perf_counter()
    while done < steps:
        order = torch.randperm(n)
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            opt.zero_grad()
            loss = 0.5 * ((net(x[idx]) - y[idx]) ** 2).sum(1).mean()
            loss.backward()
            opt.step()
            done += 1
            if done == steps:
                break
    seconds = time.perf_counter() - start
    with torch.no_grad():
        final = float(0.5 * ((net(x) - y) ** 2).sum(1).mean())
    return seconds, final


def grid_inputs(resolution):
    axis = torch.linspace(-6, 6, resolution)
    x2, x1 = torch.meshgrid(axis.flip(0), axis, indexing="ij")
    return torch.stack([x1.reshape(-1), x2.reshape(-1)], 1)


def every_unit(net, x):
    """The forward pass that keeps every layer's output (each unit's heatmap)."""
    outs = []
    for layer in net:
        x = layer(x)
        if not isinstance(layer, nn.Linear):
            outs.append(x)
    return outs


def frames(net, x, count):
    with torch.no_grad():
        every_unit(net, x)
        start = time.perf_counter()
        for _ in range(count):
            every_unit(net, x)
        return time.perf_counter() - start


def w1(args):
    x, y = load_points(f"{args.data}/circle_train.csv")
    torch.manual_seed(1)
    net = load_weights(playground_net([8, 8], nn.Tanh), f"{args.data}/W1_init.json")
    steps = 5000 if args.quick else 30000
    seconds, loss = train_steps(net, x, y, steps, 10, 0.03)
    return {"id": "W1", "value": steps / seconds, "unit": "steps/s", "loss": loss}


def w2(args):
    torch.manual_seed(1)
    net = playground_net([8, 8], nn.Tanh)
    count = 300 if args.quick else 2000
    return {"id": "W2", "value": count / frames(net, grid_inputs(100), count), "unit": "frames/s"}


def w3(args):
    x, y = load_points(f"{args.data}/circle_train.csv")
    torch.manual_seed(1)
    net = load_weights(playground_net([1000], nn.ReLU), f"{args.data}/W3_init.json")
    steps = 2000 if args.quick else 20000
    seconds, loss = train_steps(net, x, y, steps, 10, 0.003)
    return {"id": "W3", "value": steps / seconds, "unit": "steps/s", "loss": loss}


def w3g(args):
    torch.manual_seed(1)
    net = playground_net([1000], nn.ReLU)
    count = 100 if args.quick else 1000
    return {"id": "W3g", "value": count / frames(net, grid_inputs(50), count), "unit": "frames/s"}


def train_mnist(wid, net, args, batch, epochs, image_shape, size=28):
    """Adam lr 1e-3 on softmax cross-entropy from the netlens side's initial weights, three
    times (as netlens does); the median samples/s. Images of another size than 28 are the
    netlens side's resized pixels."""
    x, y = load_mnist(args.mnist, "train")
    xt, yt = load_mnist(args.mnist, "t10k")
    if args.quick:
        x, y = x[:10000], y[:10000]
    if size != 28:
        x = torch.from_numpy(np.fromfile(f"{args.data}/mnist{size}_train.f32", dtype=np.float32))
        xt = torch.from_numpy(np.fromfile(f"{args.data}/mnist{size}_test.f32", dtype=np.float32))
    x, xt = x.reshape(-1, *image_shape), xt.reshape(-1, *image_shape)
    loss_fn = nn.CrossEntropyLoss()
    n, rates = x.shape[0], []
    for _ in range(3):
        torch.manual_seed(1)
        load_weights(net, f"{args.data}/{wid}_init.json")
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        samples = 0
        start = time.perf_counter()
        for _ in range(epochs):
            order = torch.randperm(n)
            for i in range(0, n, batch):
                idx = order[i:i + batch]
                opt.zero_grad()
                loss = loss_fn(net(x[idx]), y[idx])
                loss.backward()
                opt.step()
                samples += idx.shape[0]
        rates.append(samples / (time.perf_counter() - start))
    with torch.no_grad():
        accuracy = float((net(xt).argmax(1) == yt).float().mean())
    return {"id": wid, "value": sorted(rates)[1], "unit": "samples/s", "accuracy": accuracy}


def w4(args):
    net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    return train_mnist("W4", net, args, 128, 2, (784,))


def w5(args):
    net = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 10))
    return train_mnist("W5", net, args, 64, 1, (1, 28, 28))


def image_config_net(config):
    """The layers of an image config (examples/*.json), a final softmax left to the loss."""
    layers, c, size, flat = [], config.get("in_channels", 1), config.get("input_size", 14), None
    for l in config["layers"]:
        t = l["type"]
        if t == "conv":
            f, s, p = l["filter_size"], l.get("stride", 1), l.get("padding", 0)
            layers.append(nn.Conv2d(c, l["out_channels"], f, stride=s, padding=p))
            c, size = l["out_channels"], (size + 2 * p - f) // s + 1
        elif t == "maxpool":
            f = l.get("filter_size", 2)
            s = l.get("stride", f)
            layers.append(nn.MaxPool2d(f, s))
            size = (size - f) // s + 1
        elif t == "relu":
            layers.append(nn.ReLU())
        elif t == "flatten":
            layers.append(nn.Flatten())
            flat = c * size * size
        elif t == "dense":
            layers.append(nn.Linear(flat, l["out_features"]))
            flat = l["out_features"]
        elif t != "softmax":
            raise ValueError(f"the peer has no {t} layer")
    return nn.Sequential(*layers), config.get("input_size", 14)


def image_config(wid, file, args):
    with open(f"{args.examples}/{file}") as f:
        config = json.load(f)
    net, size = image_config_net(config)
    return train_mnist(wid, net, args, config["batch_size"], 1, (config.get("in_channels", 1), size, size), size)


def w6(args):
    return image_config("W6", "mnist_cnn.json", args)


def w7(args):
    return image_config("W7", "mnist_cnn_28.json", args)


WORKLOADS = {"W1": w1, "W2": w2, "W3": w3, "W3g": w3g, "W4": w4, "W5": w5, "W6": w6, "W7": w7}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--mnist", required=True)
    p.add_argument("--examples", default="examples")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", nargs="*", default=list(WORKLOADS))
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    for name in args.only:
        result = WORKLOADS[name](args)
        result.update(threads=args.threads, peak_rss_mib=peak_rss_mib())
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
