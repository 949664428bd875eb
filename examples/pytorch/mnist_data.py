"""MNIST from the IDX files netlens reads (.cache/mnist), as torch tensors: the examples' data."""

import gzip
import os
import struct

import torch

DEFAULT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".cache", "mnist")


def _read(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack_from(">II", data, 0)
    if magic == 2051:
        rows, cols = struct.unpack_from(">II", data, 8)
        return torch.frombuffer(bytearray(data[16:16 + count * rows * cols]), dtype=torch.uint8).view(count, 1, rows, cols)
    return torch.frombuffer(bytearray(data[8:8 + count]), dtype=torch.uint8).long()


def load(directory=DEFAULT_DIR, train=True, limit=None):
    """(images [N, 1, 28, 28] float in 0..1, labels [N]); the first `limit` only when given."""
    prefix = "train" if train else "t10k"
    images = _read(os.path.join(directory, prefix + "-images-idx3-ubyte"))
    labels = _read(os.path.join(directory, prefix + "-labels-idx1-ubyte"))
    if limit:
        images, labels = images[:limit], labels[:limit]
    return images.float() / 255.0, labels
