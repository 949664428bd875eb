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


def config_net(wid, file, args):
    with open(f"{args.examples}/{file}") as f:
        net, size = image_config_net(json.load(f))
    return load_weights(net, f"{args.data}/{wid}_init.json").eval(), size


def mnist_at(size, args, split):
    """MNIST's images of a split at `size` px (the netlens side's resized pixels), and labels."""
    x, y = load_mnist(args.mnist, "train" if split == "train" else "t10k")
    if split == "train" and args.quick:
        x, y = x[:10000], y[:10000]
    if size != 28:
        x = torch.from_numpy(np.fromfile(f"{args.data}/mnist{size}_{split}.f32", dtype=np.float32))
    return x.reshape(-1, 1, size, size), y


def scored_modules(net):
    """What the Lurk pass scores: each Conv2d and Linear, after the ReLU that follows it."""
    mods = list(net)
    return [mods[i + 1] if i + 1 < len(mods) and isinstance(mods[i + 1], nn.ReLU) else m
            for i, m in enumerate(mods) if isinstance(m, (nn.Conv2d, nn.Linear))]


def lurk_pass(wid, file, args, k=9, batch=256):
    """The Lurk dataset pass with forward hooks and topk: per unit the top 9 images by max
    (with the argmax) and by mean, the class sums of both scores, the mean and the dead count.
    The agreement: the share of live units whose top-1 image is the netlens side's."""
    net, size = config_net(wid, file, args)
    x, y = mnist_at(size, args, "train")
    outputs = []
    for m in scored_modules(net):
        m.register_forward_hook(lambda _m, _i, out: outputs.append(out))
    n, rates = x.shape[0], []
    for _ in range(1 if args.quick else 3):
        state = None
        start = time.perf_counter()
        with torch.no_grad():
            for b in range(0, n, batch):
                outputs.clear()
                net(x[b:b + batch])
                labels = y[b:b + batch]
                index = torch.arange(b, b + labels.shape[0])
                if state is None:
                    state = [dict(top_max=torch.full((o.shape[1], 0), 0.0), top_max_at=torch.zeros((o.shape[1], 0), dtype=torch.long),
                                  top_mean=torch.full((o.shape[1], 0), 0.0), top_mean_at=torch.zeros((o.shape[1], 0), dtype=torch.long),
                                  class_max=torch.zeros(o.shape[1], 10), class_mean=torch.zeros(o.shape[1], 10),
                                  mean=torch.zeros(o.shape[1]), dead=torch.zeros(o.shape[1], dtype=torch.long))
                             for o in outputs]
                for s, o in zip(state, outputs):
                    if o.dim() == 4:
                        flat = o.flatten(2)
                        smax, argmax = flat.max(2)
                        smean = flat.mean(2)
                    else:
                        smax = smean = o
                    for key, score in (("top_max", smax), ("top_mean", smean)):
                        values = torch.cat([s[key], score.t()], 1)
                        at = torch.cat([s[key + "_at"], index.expand(score.shape[1], -1)], 1)
                        top = values.topk(min(k, values.shape[1]), dim=1)
                        s[key], s[key + "_at"] = top.values, at.gather(1, top.indices)
                    s["class_max"].index_add_(1, labels, smax.t())
                    s["class_mean"].index_add_(1, labels, smean.t())
                    s["mean"] += smean.sum(0)
                    s["dead"] += (smax <= 0).sum(0)
        rates.append(n / (time.perf_counter() - start))
    with open(f"{args.data}/{wid}_top1.json") as f:
        theirs = json.load(f)
    mine = [int(i) if v > 0 else -1 for s in state for v, i in zip(s["top_max"][:, 0], s["top_max_at"][:, 0])]
    live = [(a, b) for a, b in zip(mine, theirs) if b >= 0]
    agreement = sum(a == b for a, b in live) / max(len(live), 1)
    return {"id": wid, "value": sorted(rates)[len(rates) // 2], "unit": "images/s", "agreement": agreement}


def attribution(wid, method, images, args):
    """One test image at a time with plain autograd: the predicted class's vanilla gradient,
    Grad-CAM at the last conv layer's ReLU (upsampled bilinearly), or integrated gradients at
    50 midpoints from a black baseline with f(x) and f(x')."""
    net, size = config_net(wid, "mnist_cnn_28.json", args)
    x, _ = mnist_at(size, args, "test")
    mods = list(net)
    last_conv = max(i for i, m in enumerate(mods) if isinstance(m, nn.Conv2d))
    last_relu = mods[last_conv + 1]  # netlens's default CAM layer
    maps = {}
    last_relu.register_forward_hook(lambda _m, _i, out: maps.__setitem__("A", out))
    alphas = ((torch.arange(50, dtype=torch.float32) + 0.5) / 50).reshape(-1, 1, 1, 1)

    def one(image):
        image = image[None].clone().requires_grad_(True)
        if method == "integrated_gradients":
            with torch.no_grad():
                c = int(net(image).argmax(1))
                net(torch.zeros_like(image))
            path = (alphas * image.detach()).requires_grad_(True)
            net(path)[:, c].sum().backward()
            return image.detach() * path.grad.mean(0, keepdim=True)
        out = net(image)
        c = int(out.argmax(1))
        if method == "gradient":
            out[0, c].backward()
            return image.grad
        a = maps["A"]
        (g,) = torch.autograd.grad(out[0, c], a)
        cam = torch.relu((g.mean((2, 3), keepdim=True) * a).sum(1, keepdim=True))
        return torch.nn.functional.interpolate(cam, size=(size, size), mode="bilinear", align_corners=False)

    rates = []
    for _ in range(3 if args.quick else 7):
        start = time.perf_counter()
        for i in range(images):
            one(x[i])
        rates.append(images / (time.perf_counter() - start))
    return {"id": wid, "value": sorted(rates)[len(rates) // 2], "unit": "images/s"}


def drawing(wid, net, size, args):
    """A drawing through a Digits network to every module's output (forward hooks) and the
    probabilities, one at a time; test images stand in for drawings. Drawings/s."""
    outputs = []
    for m in net:
        m.register_forward_hook(lambda _m, _i, out: outputs.append(out))
    x, _ = mnist_at(28, args, "test")
    x = x if size == 28 else torch.nn.functional.interpolate(x, size=(size, size), mode="area")
    if isinstance(net[0], nn.Linear):
        x = x.reshape(-1, 784)
    drawings, rates = 2000 if args.quick else 20000, []
    with torch.no_grad():
        for _ in range(3 if args.quick else 7):
            start = time.perf_counter()
            for i in range(drawings):
                outputs.clear()
                torch.softmax(net(x[i % x.shape[0]][None]), 1)
            rates.append(drawings / (time.perf_counter() - start))
    return {"id": wid, "value": sorted(rates)[len(rates) // 2], "unit": "drawings/s"}


def d1(args):
    net, size = config_net("D1", "mnist_cnn_28.json", args)
    return drawing("D1", net, size, args)


def d2(args):
    net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    return drawing("D2", load_weights(net, f"{args.data}/D2_init.json").eval(), 28, args)


def l1(args):
    return lurk_pass("L1", "mnist_cnn.json", args)


def l2(args):
    return lurk_pass("L2", "mnist_cnn_28.json", args)


def a1(args):
    return attribution("A1", "gradient", 200 if args.quick else 1000, args)


def a2(args):
    return attribution("A2", "grad_cam", 200 if args.quick else 1000, args)


def a3(args):
    return attribution("A3", "integrated_gradients", 50 if args.quick else 200, args)


WORKLOADS = {"W1": w1, "W2": w2, "W3": w3, "W3g": w3g, "W4": w4, "W5": w5, "W6": w6, "W7": w7,
             "L1": l1, "L2": l2, "A1": a1, "A2": a2, "A3": a3, "D1": d1, "D2": d2}


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
