#!/usr/bin/python3
"""Streams a small Playground run into a netlens server through POST /api/ingest/v1/records, as
the client would, with chosen drop counts: `post_run.py URL RUN FIRST_SEQ STEP [SCALARS SUPERSEDED]`.
FIRST_SEQ 0 sends the hello and the model (a 2-8-1 relu net on the spiral) first; then a loss
at STEP, a weight snapshot at STEP, and a heartbeat with the drop counts."""

import array
import json
import os
import random
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "clients", "python"))
import netlens_client as nl  # noqa: E402

url, run, seq, step = sys.argv[1].rstrip("/"), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
dropped = {"scalars": int(sys.argv[5]), "snapshots_superseded": int(sys.argv[6])} if len(sys.argv) > 6 else {}
rng = random.Random(step)


def record(kind, meta, tensors=()):
    global seq
    out = nl.encode_record(nl.KINDS[kind], dict(meta, run=run, seq=seq), tensors)
    seq += 1
    return out


def floats(*shape):
    n = 1
    for d in shape:
        n *= d
    return ("f32", list(shape), array.array("f", (rng.uniform(-2, 2) for _ in range(n))).tobytes())


body = b""
if seq == 0:
    body += record("hello", {"protocol": "1.0", "rank": 0, "world_size": 1})
    body += record("model", {"spec": {"dataset": "spiral", "features": ["x1", "x2"], "loss": "binary_cross_entropy",
                                      "hidden_layers": [{"units": 8, "activation": "relu"}]}})
body += record("scalars", {"tags": ["loss"]}, [("tag", "i32", [1], array.array("i", [0]).tobytes()),
                                               ("step", "i64", [1], array.array("q", [step]).tobytes()),
                                               ("value", "f64", [1], array.array("d", [0.5]).tobytes())])
body += record("tensor", {"role": "weights", "step": step},
               [(name,) + floats(*shape) for name, shape in (("0.weight", (8, 2)), ("0.bias", (8,)), ("2.weight", (1, 8)), ("2.bias", (1,)))])
if dropped:
    body += record("heartbeat", {"dropped": dropped})
request = urllib.request.Request(url + "/api/ingest/v1/records", data=body, headers={"Content-Type": "application/x-netlens-records"})
answer = json.load(urllib.request.urlopen(request, timeout=10))
assert answer["ok"] and answer["accepted"] > 0, answer
print(json.dumps(answer))
