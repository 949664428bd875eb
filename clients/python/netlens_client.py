"""Stream a PyTorch training run into netlens (docs/protocol.md "Ingest").

One file, the standard library only (torch is used only on what you hand it); copy it next to
your script or `pip install clients/python`.

    import netlens_client as nl
    run = nl.init("http://127.0.0.1:8000", run="spiral-wide", config={"lr": 0.1})
    run.model(net, example_input, spec={"dataset": "spiral", "loss": "binary_cross_entropy"})
    run.watch(net, every=20)              # a weight snapshot every 20 training forwards
    for step in range(steps):
        ...
        run.scalar("loss", loss, step)    # a tensor is fine: .item() happens off the training thread
    run.finish(timeout=5)

The training thread only appends to bounded queues: it never blocks on the network, never
raises, and never calls a collective. A background thread sends every half second. Control
records (hello, model, goodbye) are never dropped; scalars drop the oldest past `max_scalars`;
snapshots keep the newest per tag under `snapshot_bytes`. Every drop is counted, sent in the
heartbeat and goodbye records, and returned by finish(). A dead or slow server costs training
nothing, and finish() returns within its timeout. NETLENS_DISABLED=1 makes every call a no-op;
so does a forked child (a DataLoader worker). Under torch.distributed only global rank 0 sends
(the rank is read at first use, so init() may come before init_process_group); ranks="all"
makes every rank send its own stream, "<run>-rank<k>", grouped under <run>.
"""

import array
import atexit
import collections
import http.client
import json
import os
import random
import struct
import sys
import threading
import time
import urllib.parse
import weakref
import zlib

__all__ = ["init", "Run", "encode_record"]
__version__ = "1.0"

MAJOR = 1
KINDS = {"hello": 1, "config": 2, "model": 3, "scalars": 4, "tensor": 6, "heartbeat": 12, "goodbye": 13}
CONTENT_TYPE = "application/x-netlens-records"
PATH = "/api/ingest/v1/records"
MAX_BODY = 4 << 20  # bytes per POST (the server takes up to 16 MiB)
SCALARS_PER_RECORD = 4096
HEARTBEAT_SECONDS = 5.0

_runs = weakref.WeakSet()


def encode_record(kind, meta, tensors=()):
    """One record: `tensors` are (name, dtype, shape, bytes), laid out 8-byte aligned."""
    payload = bytearray()
    described = []
    for name, dtype, shape, data in tensors:
        payload += b"\0" * (-len(payload) % 8)
        described.append({"name": name, "dtype": dtype, "shape": list(shape), "offset": len(payload)})
        payload += data
    if described:
        meta = dict(meta, tensors=described)
    text = json.dumps(meta, separators=(",", ":"), default=str).encode("utf-8")
    text += b"\0" * (-len(text) % 8)
    crc = zlib.crc32(text + bytes(payload)) & 0xFFFFFFFF
    return struct.pack("<2sBBIII", b"NL", MAJOR, kind, len(text), len(payload), crc) + text + bytes(payload)


def _detect_rank():
    """(rank, world_size): torch.distributed's if its group is up, else the launchers' variables."""
    dist = sys.modules.get("torch.distributed")
    try:
        if dist is not None and dist.is_available() and dist.is_initialized():
            return dist.get_rank(), dist.get_world_size()
    except Exception:
        pass
    world = int(os.environ.get("WORLD_SIZE", "1") or 1)
    # LOCAL_RANK before SLURM_PROCID: SLURM_PROCID can be set when SLURM does not manage the ranks.
    for key in ("RANK", "LOCAL_RANK", "SLURM_PROCID", "JSM_NAMESPACE_RANK"):
        if os.environ.get(key, "").isdigit():
            return int(os.environ[key]), world
    return 0, world


def _unwrap(module):
    """The module inside DistributedDataParallel/DataParallel: probes must not run through the
    wrapper (its forward broadcasts buffers, a collective that hangs when one rank calls it)."""
    inner = getattr(module, "module", None)
    return inner if inner is not None and type(module).__name__ in ("DistributedDataParallel", "DataParallel") else module


_ACTIVATIONS = {"ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "LeakyReLU": "leaky_relu", "ELU": "elu",
                "Softplus": "softplus", "SiLU": "silu", "Mish": "mish", "Identity": "linear"}


# What a layer list says of a conv, pool or dropout beyond its shapes (netlens builds the network from it).
_LAYER_ATTRIBUTES = ("kernel_size", "stride", "padding", "dilation", "groups", "p")


def _playground_layers(module):
    """hidden_layers in netlens's run-spec terms for a Sequential of Linear (+ activation) layers
    of 2 inputs, or None when the module is not such a chain."""
    children = list(module.children())
    if not children or type(module).__name__ != "Sequential":
        return None
    layers, i = [], 0
    while i < len(children):
        layer = children[i]
        if type(layer).__name__ != "Linear":
            return None
        activation = "linear"
        if i + 1 < len(children) and type(children[i + 1]).__name__ != "Linear":
            activation = _ACTIVATIONS.get(type(children[i + 1]).__name__)
            if activation is None:
                return None
            i += 1
        layers.append({"units": layer.out_features, "activation": activation})
        i += 1
    if getattr(children[0], "in_features", None) != 2:
        return None
    return layers[:-1]  # the last Linear is the output layer


class _Watch:
    def __init__(self, run, module, every, dtype, probe=None):
        self.run, self.module, self.every, self.dtype = run, _unwrap(module), max(1, int(every)), dtype
        self.probe = probe
        self.forwards = 0
        self.examples = 0  # training examples seen: the batch sizes of the training forwards
        self.handle = self.module.register_forward_hook(self._hook)

    def _hook(self, module, inputs, output):
        if not module.training:
            return
        if self.forwards % self.every == 0:
            self.run._capture(self, self.forwards, self.examples)
        self.forwards += 1
        first = inputs[0] if inputs else None
        self.examples += int(first.shape[0]) if getattr(first, "dim", lambda: 0)() > 0 else 1


class Run:
    """A stream to netlens. Every public method returns at once and never raises."""

    def __init__(self, url, run, config=None, ranks="zero", token=None, max_scalars=100000,
                 snapshot_bytes=64 << 20, flush_interval=0.5, timeout=5.0, max_backoff=30.0, quiet=False):
        self.url = urllib.parse.urlsplit(url)
        self.name = run
        self.config = dict(config or {})
        self.ranks = ranks
        self.token = token if token is not None else os.environ.get("NETLENS_TOKEN", "")
        self.max_scalars = max_scalars
        self.snapshot_budget = snapshot_bytes
        self.flush_interval = flush_interval
        self.timeout = timeout
        self.max_backoff = max_backoff
        self.quiet = quiet
        self.disabled = os.environ.get("NETLENS_DISABLED", "") not in ("", "0")
        self.started = False  # the rank is read, the sender started (or the run disabled) at first use
        self.finished = False
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.control = collections.deque()        # (kind, meta, tensors): never dropped
        self.scalars = collections.deque()        # (tag, step, value)
        self.snapshots = collections.OrderedDict()  # tag -> (meta, [(name, tensor)], bytes): newest wins
        self.snapshot_held = 0
        self.first_queued = set()  # the tags whose first snapshot is queued or sent
        self.dropped = collections.Counter()
        self.stats = collections.Counter()
        self.warned = set()
        self.watches = []
        self.seq = 0
        self.stream = run
        self.rank, self.world_size = 0, 1
        self.thread = None
        self.connection = None
        _runs.add(self)

    # ---- the training thread's side: append and return ----

    def model(self, module, example_input=None, spec=None, onnx=False):
        """The model's layer list (one forward of `example_input` on the unwrapped module, no
        gradients), with a netlens run spec when it is a 2-input chain of Linear layers (`spec`
        adds the data set and loss), and its ONNX bytes when onnx=True."""
        if not self._ready():
            return
        try:
            module = _unwrap(module)
            meta = {"layers": self._layers(module, example_input)}
            hidden = _playground_layers(module)
            if hidden is not None:
                meta["spec"] = dict({"features": ["x1", "x2"], "hidden_layers": hidden}, **(spec or {}))
            tensors = []
            if onnx and example_input is not None:
                tensors.append(("onnx", "u8", None, self._onnx_bytes(module, example_input)))
            self._put_control("model", meta, tensors)
        except Exception as e:
            self._warn("model", e)

    def watch(self, module, every=100, dtype="f32", probe=None):
        """A weight snapshot of `module` every `every` training forwards (a forward hook on the
        unwrapped module; the copy is made on the device, the transfer on the sender thread).
        With `probe` (a batch of inputs), each snapshot also sends every leaf module's output on
        it: run on the unwrapped module (never through DDP), without gradients, in eval mode (the
        module's mode is restored after)."""
        if not self._ready():
            return None
        try:
            w = _Watch(self, module, every, dtype, probe)
            self.watches.append(w)
            return w
        except Exception as e:
            self._warn("watch", e)
            return None

    def scalar(self, tag, value, step):
        if not self._ready():
            return
        try:
            with self.lock:
                if len(self.scalars) >= self.max_scalars:
                    self.scalars.popleft()
                    self.dropped["scalars"] += 1
                self.scalars.append((str(tag), int(step), value))
        except Exception as e:
            self._warn("scalar", e)

    def finish(self, timeout=5.0, status="finished"):
        """Sends what is queued and a goodbye, for at most `timeout` seconds; returns the counts
        (sent, dropped)."""
        try:
            if self.finished or not self._ready():
                return self._summary()
            self.finished = True
            for w in self.watches:
                self._capture(w, w.forwards, w.examples)
                w.handle.remove()
            self._put_control("goodbye", {"status": status})
            self.deadline = time.monotonic() + timeout
            self.wake.set()
            if self.thread is not None:
                self.thread.join(max(0.0, timeout))
            left = len(self.control) + len(self.scalars) + len(self.snapshots) + (self.pending[1] if self.pending else 0)
            if left:
                self.dropped["unsent_at_finish"] += left
            summary = self._summary()
            if not self.quiet and (sum(self.dropped.values()) or left):
                print("netlens: %d records sent, dropped: %s" % (summary["sent"], dict(self.dropped)), file=sys.stderr)
            return summary
        except Exception as e:
            self._warn("finish", e)
            return self._summary()

    # ---- internals ----

    pending = None  # the batch being sent: kept until the server has it
    deadline = None

    def _ready(self):
        """True when this process sends; the first call reads the rank and starts the sender."""
        if self.disabled:
            return False
        if not self.started:
            self.started = True
            try:
                self.rank, self.world_size = _detect_rank()
                if self.ranks != "all" and self.rank != 0:
                    self.disabled = True
                    return False
                if self.ranks == "all":
                    self.stream = "%s-rank%d" % (self.name, self.rank)
                hello = {"protocol": "1.0", "client": "netlens_client.py " + __version__, "group": self.name,
                         "name": self.name, "rank": self.rank, "world_size": self.world_size, "host": os.uname()[1],
                         "pid": os.getpid(), "config": self.config}
                torch = sys.modules.get("torch")
                if torch is not None:
                    hello["torch"] = getattr(torch, "__version__", "")
                self._put_control("hello", hello)
                self.thread = threading.Thread(target=self._send_loop, name="netlens sender", daemon=True)
                self.thread.start()
            except Exception as e:
                self._warn("init", e)
                self.disabled = True
                return False
        return not self.finished

    def _put_control(self, kind, meta, tensors=()):
        with self.lock:
            self.control.append((kind, meta, list(tensors)))
        self.wake.set()

    def _capture(self, watch, step, examples):
        try:
            import torch  # already imported: the module is torch's
            with torch.no_grad():
                params = [(n, p.detach().clone()) for n, p in watch.module.named_parameters()]
            meta = {"step": int(step), "examples": int(examples), "dtype": watch.dtype}
            self._queue_snapshot("weights", dict(meta, role="weights", tag="weights"), params)
            if watch.probe is not None:
                acts = self._probe(watch.module, watch.probe)
                self._queue_snapshot("activations", dict(meta, role="activations", tag="activations"), acts)
        except Exception as e:
            self._warn("watch", e)

    def _queue_snapshot(self, tag, meta, tensors):
        """The newest snapshot of `tag` waits to be sent (an older one waiting is superseded),
        within the snapshots' byte budget; the first of each tag (the network before training,
        where a stage slider starts) is never superseded."""
        size = sum(t.numel() for _, t in tensors) * (2 if meta["dtype"] == "f16" else 4)
        with self.lock:
            if tag not in self.first_queued:
                self.first_queued.add(tag)
                tag = "first " + tag  # its own slot: sent before the newest of its tag
            old = self.snapshots.pop(tag, None)
            if old is not None:
                self.snapshot_held -= old[2]
                self.dropped["snapshots_superseded"] += 1
            if self.snapshot_held + size > self.snapshot_budget:
                self.dropped["snapshots_over_budget"] += 1
                return
            self.snapshots[tag] = (meta, tensors, size)
            self.snapshot_held += size

    @staticmethod
    def _probe(module, batch):
        """[(name, output)] of each leaf module on `batch`, the module's mode restored after."""
        import torch
        acts, hooks = [], []

        def hook(name):
            def record(m, inputs, output):
                if isinstance(output, torch.Tensor):
                    acts.append((name, output.detach().clone()))
            return record

        for name, m in module.named_modules():
            if name and not list(m.children()):
                hooks.append(m.register_forward_hook(hook(name)))
        modes = [(m, m.training) for m in module.modules()]
        try:
            module.eval()
            with torch.no_grad():
                module(batch)
        finally:
            for m, training in modes:
                m.training = training
            for h in hooks:
                h.remove()
        return acts

    def _layers(self, module, example_input):
        layers = []
        if example_input is None:
            return [{"name": n, "type": type(m).__name__} for n, m in module.named_modules() if n]
        import torch
        hooks = []

        def hook(name):
            def record(m, inputs, output):
                shape = lambda t: list(t.shape) if hasattr(t, "shape") else None
                layers.append({"name": name, "type": type(m).__name__,
                               "in": shape(inputs[0]) if inputs else None, "out": shape(output),
                               "params": {n: list(p.shape) for n, p in m.named_parameters(recurse=False)}})
                for key in _LAYER_ATTRIBUTES:
                    value = getattr(m, key, None)
                    if isinstance(value, (int, float, tuple)) and not isinstance(value, bool):
                        layers[-1][key] = list(value) if isinstance(value, tuple) else value
            return record

        for name, m in module.named_modules():
            if name and not list(m.children()):
                hooks.append(m.register_forward_hook(hook(name)))
        was_training = module.training
        try:
            module.eval()
            with torch.no_grad():
                module(example_input)
        finally:
            module.train(was_training)
            for h in hooks:
                h.remove()
        return layers

    @staticmethod
    def _onnx_bytes(module, example_input):
        import io
        import torch
        out = io.BytesIO()
        torch.onnx.export(module, example_input, out, opset_version=13)
        return out.getvalue()

    def _warn(self, what, error):
        self.stats["errors"] += 1
        if what not in self.warned and not self.quiet:
            self.warned.add(what)
            print("netlens: %s: %s (training goes on; this is said once)" % (what, error), file=sys.stderr)

    def _summary(self):
        return {"sent": self.stats["sent"], "dropped": dict(self.dropped), "stream": self.stream}

    def _tensor_bytes(self, t, dtype):
        t = t.detach().to("cpu")
        t = t.half() if dtype == "f16" else t.float()
        return t.contiguous().numpy().tobytes()

    def _record(self, kind, meta, tensors=()):
        meta = dict(meta, run=self.stream, seq=self.seq, t=time.time())
        self.seq += 1
        return encode_record(KINDS[kind], meta, tensors)

    def _take_batch(self):
        """Encodes what waits, in order: control, scalars, snapshots, the goodbye (the sender thread)."""
        records = []
        size = 0
        with self.lock:
            control = list(self.control)
            self.control.clear()
            scalars = list(self.scalars)
            self.scalars.clear()
            snapshots = list(self.snapshots.values())
            self.snapshots.clear()
            self.snapshot_held = 0
        goodbye = [c for c in control if c[0] == "goodbye"]  # last: after what was queued before it
        for kind, meta, tensors in [c for c in control if c[0] != "goodbye"]:
            encoded = [(n, d, [len(b)], b) for n, d, _, b in tensors]
            records.append(self._record(kind, meta, encoded))
        for start in range(0, len(scalars), SCALARS_PER_RECORD):
            chunk = scalars[start:start + SCALARS_PER_RECORD]
            tags = sorted({tag for tag, _, _ in chunk})
            index = {tag: i for i, tag in enumerate(tags)}
            values = array.array("d", (float(v) for _, _, v in chunk))  # .item() of tensors happens here
            records.append(self._record("scalars", {"tags": tags}, [
                ("tag", "i32", [len(chunk)], array.array("i", (index[t] for t, _, _ in chunk)).tobytes()),
                ("step", "i64", [len(chunk)], array.array("q", (s for _, s, _ in chunk)).tobytes()),
                ("value", "f64", [len(chunk)], values.tobytes())]))
        for meta, params, _ in snapshots:
            dtype = meta["dtype"]
            records.append(self._record("tensor", meta, [(n, dtype, list(p.shape), self._tensor_bytes(p, dtype))
                                                         for n, p in params]))
        if time.monotonic() - getattr(self, "last_heartbeat", 0) >= HEARTBEAT_SECONDS:  # alive (and what it dropped)
            self.last_heartbeat = time.monotonic()
            records.append(self._record("heartbeat", {"dropped": dict(self.dropped)}))
        for _, meta, _ in goodbye:
            records.append(self._record("goodbye", dict(meta, dropped=dict(self.dropped))))
        return records

    def _post(self, body, timeout):
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.url.hostname, self.url.port or 80, timeout=timeout)
        self.connection.timeout = timeout
        headers = {"Content-Type": CONTENT_TYPE}
        if self.token:
            headers["Authorization"] = "token " + self.token
        try:
            self.connection.request("POST", PATH, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read()
        except Exception:
            self.connection.close()
            self.connection = None
            raise
        return response.status, json.loads(text.decode("utf-8") or "{}")

    def _send_loop(self):
        backoff = 0.5
        while True:
            closing = self.deadline is not None
            if not closing:
                self.wake.wait(self.flush_interval)
                self.wake.clear()
            try:
                if self.pending is None:
                    records = self._take_batch()
                    self.pending = (b"".join(records), len(records)) if records else None
                if self.pending is None:
                    if closing:
                        return
                    continue
                body, count = self.pending
                timeout = self.timeout if not closing else max(0.05, min(self.timeout, self.deadline - time.monotonic()))
                status, answer = self._post(body, timeout)
                if status == 200:
                    self.stats["sent"] += count
                    self.pending = None
                    backoff = 0.5
                elif status == 400:
                    self.dropped["refused"] += count
                    self.pending = None
                    self._warn("server", answer.get("error", "refused"))
                    if "not spoken here" in answer.get("error", ""):
                        self.disabled = True
                        return
                else:
                    raise OSError("HTTP %d: %s" % (status, answer.get("error", "")))
            except Exception as e:
                self.stats["send_failures"] += 1
                self._warn("send", e)
                wait = backoff * (0.5 + random.random())
                backoff = min(backoff * 2, self.max_backoff)
                if self.deadline is not None:
                    if time.monotonic() + min(wait, 0.2) >= self.deadline:
                        return
                    wait = min(wait, 0.2)
                self.wake.wait(wait)
                self.wake.clear()


class _Disabled:
    """What init() gives when NETLENS_DISABLED is set: every call does nothing."""

    def model(self, *a, **k):
        pass

    def watch(self, *a, **k):
        return None

    def scalar(self, *a, **k):
        pass

    def finish(self, *a, **k):
        return {"sent": 0, "dropped": {}, "stream": None}


def init(url="http://127.0.0.1:8000", run="run", config=None, **options):
    """A Run streaming to the netlens server at `url` (see Run for the options)."""
    if os.environ.get("NETLENS_DISABLED", "") not in ("", "0"):
        return _Disabled()
    r = Run(url, run, config, **options)
    atexit.register(lambda ref=weakref.ref(r): ref() is not None and ref().finish(timeout=2.0))
    return r


def _after_fork_in_child():
    # The sender thread does not exist in a forked child (a DataLoader worker): its runs stop.
    for r in list(_runs):
        r.disabled = True


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
