"""What the Python client tests share: a real `netlens serve` on a port of their own, a reader of
a run directory's records.nlrec, and a tiny spiral network."""

import json
import math
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "clients", "python"))

NETLENS = os.environ.get("NETLENS_BIN", os.path.join(HERE, "..", "..", "build", "netlens"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`netlens serve` on 127.0.0.1:port, saving runs under runs_dir."""

    def __init__(self, runs_dir, port=0):
        self.runs_dir = runs_dir
        web = tempfile.mkdtemp(prefix="netlens_web_")
        with open(os.path.join(web, "index.html"), "w") as f:
            f.write("<!doctype html><title>test</title>\n")
        self.web = web
        self.process = subprocess.Popen(
            [NETLENS, "serve", "--port", str(port), "--runs", runs_dir, "--web-root", web],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            self.stop()
            raise RuntimeError("netlens serve did not start: " + line + self.process.stdout.read())
        self.port = int(match.group(1))
        self.url = "http://127.0.0.1:%d" % self.port

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise RuntimeError("netlens serve did not stop on SIGTERM within 20 s")
        self.process.stdout.close()
        shutil.rmtree(self.web, ignore_errors=True)


def read_records(path, payloads=False):
    """(kind, meta) of every record of a records.nlrec file, each CRC-checked; with `payloads`,
    (kind, meta, payload bytes)."""
    out = []
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        magic, major, kind, meta_len, payload_len, crc = struct.unpack_from("<2sBBIII", data, pos)
        assert magic == b"NL" and major == 1, "bad record at %d" % pos
        body = data[pos + 16:pos + 16 + meta_len + payload_len]
        assert zlib.crc32(body) & 0xFFFFFFFF == crc, "CRC mismatch at %d" % pos
        meta = json.loads(body[:meta_len].rstrip(b"\0"))
        out.append((kind, meta, body[meta_len:]) if payloads else (kind, meta))
        pos += 16 + meta_len + payload_len
    return out


def manifest(run_dir):
    with open(os.path.join(run_dir, "manifest.json")) as f:
        return json.load(f)


def spiral(n=200, seed=0):
    """Two interleaved spirals: x [n, 2] and labels [n, 1] in {0, 1} (torch tensors)."""
    import torch
    g = torch.Generator().manual_seed(seed)
    i = torch.arange(n // 2, dtype=torch.float32)
    r = 5 * i / (n // 2)
    t = 1.75 * i / (n // 2) * 2 * math.pi
    a = torch.stack([r * torch.sin(t), r * torch.cos(t)], 1)
    b = torch.stack([r * torch.sin(t + math.pi), r * torch.cos(t + math.pi)], 1)
    x = torch.cat([a, b]) + 0.1 * torch.randn(n, 2, generator=g)
    y = torch.cat([torch.ones(n // 2, 1), torch.zeros(n // 2, 1)])
    return x, y


def tensor_of(meta, payload, name):
    """A float32 tensor of a record, by name, as a flat list."""
    import array
    t = next(t for t in meta["tensors"] if t["name"] == name)
    assert t["dtype"] == "f32"
    count = 1
    for d in t["shape"]:
        count *= d
    return array.array("f", payload[t["offset"]:t["offset"] + 4 * count]).tolist()


def model_weights(path):
    """The weights of a .nlmodel file (nn/model_file.hpp), as a flat list."""
    import array
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"NLMODEL\0"
    header_len, = struct.unpack_from("<Q", data, 12)
    count, = struct.unpack_from("<Q", data, 20 + header_len)
    return array.array("f", data[28 + header_len:28 + header_len + 4 * count]).tolist()
