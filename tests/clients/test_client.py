"""The Python client against a real `netlens serve` (ctest python_client): a run arrives
without gaps; no server costs training nothing and finish() keeps its deadline; a server
started mid-run gets the stream; NETLENS_DISABLED and forked children send nothing."""

import os
import shutil
import tempfile
import time
import unittest

import client_support as cs
import netlens_client as nl
import torch

torch.set_num_threads(1)


def train(run, steps=60, every=10, width=16, settle=False):
    """`settle` waits after each snapshot until the sender has taken it, so that no snapshot
    supersedes another however fast the machine trains."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, width), torch.nn.ReLU(), torch.nn.Linear(width, 1))
    x, y = cs.spiral()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    run.model(net, x[:4], spec={"dataset": "spiral", "loss": "binary_cross_entropy"})
    run.watch(net, every=every)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for step in range(steps):
        loss = loss_fn(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        run.scalar("loss", loss.detach(), step)
        if settle and step % every == 0:
            deadline = time.monotonic() + 10
            while run.snapshots and time.monotonic() < deadline:
                time.sleep(0.005)
    return net


class Client(unittest.TestCase):
    def setUp(self):
        self.runs = tempfile.mkdtemp(prefix="netlens_runs_")
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.stop()
        shutil.rmtree(self.runs, ignore_errors=True)

    def test_a_run_arrives_without_gaps(self):
        self.server = cs.Server(self.runs)
        run = nl.init(self.server.url, run="whole", config={"lr": 0.1}, quiet=True, flush_interval=0.01)
        train(run, settle=True)
        summary = run.finish(timeout=10)
        self.assertEqual(summary["dropped"], {})
        records = cs.read_records(os.path.join(self.runs, "whole", "records.nlrec"))
        self.assertEqual([m["seq"] for _, m in records], list(range(len(records))))
        kinds = [k for k, _ in records]
        self.assertEqual(kinds[0], 1)   # hello
        self.assertEqual(kinds[-1], 13)  # goodbye
        m = cs.manifest(os.path.join(self.runs, "whole"))
        self.assertEqual(m["source"], "ingested")
        self.assertEqual(m["ingest"]["status"], "finished")
        self.assertEqual(m["ingest"]["gaps"], 0)
        self.assertEqual(m["ingest"]["step"], 59)
        self.assertEqual(m["ingest"]["config"], {"lr": 0.1})
        self.assertEqual(m["spec"]["hidden_layers"], [{"units": 16, "activation": "relu"}])
        self.assertEqual(len(m["checkpoints"]), 7)  # steps 0, 10, ..., 50 and the last at finish
        self.assertEqual(summary["sent"], len(records))

    def test_a_probe_batch_sends_each_layers_activations_with_each_snapshot(self):
        self.server = cs.Server(self.runs)
        run = nl.init(self.server.url, run="probed", quiet=True, flush_interval=0.01)
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Dropout(0.5), torch.nn.ReLU(), torch.nn.Linear(8, 1))
        x, y = cs.spiral()
        probe = x[:5]
        run.watch(net, every=10, probe=probe)
        opt = torch.optim.SGD(net.parameters(), lr=0.1)
        for step in range(30):
            loss = torch.nn.functional.binary_cross_entropy_with_logits(net(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            self.assertTrue(net.training and net[1].training)  # the probe restores the mode it found
            deadline = time.monotonic() + 10
            while run.snapshots and time.monotonic() < deadline:
                time.sleep(0.005)
        summary = run.finish(timeout=10)
        self.assertEqual(summary["dropped"], {})
        records = cs.read_records(os.path.join(self.runs, "probed", "records.nlrec"), payloads=True)
        probes = [(m, p) for k, m, p in records if k == 6 and m["role"] == "activations"]
        self.assertEqual(len(probes), 4)  # steps 0, 10, 20 and the last at finish
        meta, payload = probes[-1]
        self.assertEqual([(t["name"], t["shape"]) for t in meta["tensors"]],
                         [("0", [5, 8]), ("1", [5, 8]), ("2", [5, 8]), ("3", [5, 1])])
        net.eval()  # the last probe saw the final weights, in eval mode (no dropout)
        with torch.no_grad():
            expected = net(probe).flatten().tolist()
        for got, want in zip(cs.tensor_of(meta, payload, "3"), expected):
            self.assertAlmostEqual(got, want, places=5)
        m = cs.manifest(os.path.join(self.runs, "probed"))
        self.assertEqual(m["ingest"]["activations"], 4)
        self.assertEqual(m["ingest"]["probe"], {"batch": 5, "layers": ["0", "1", "2", "3"]})

    def test_no_server_costs_training_nothing_and_finish_keeps_its_deadline(self):
        run = nl.init("http://127.0.0.1:%d" % cs.free_port(), run="nowhere", quiet=True)
        train(run, steps=30)
        start = time.monotonic()
        summary = run.finish(timeout=1.0)
        self.assertLess(time.monotonic() - start, 3.0)  # the deadline, with room for a loaded machine
        self.assertGreater(summary["dropped"].get("unsent_at_finish", 0), 0)
        self.assertEqual(summary["sent"], 0)

    def test_a_server_started_mid_run_gets_the_stream(self):
        port = cs.free_port()
        run = nl.init("http://127.0.0.1:%d" % port, run="late", quiet=True, max_backoff=0.5)
        net = train(run, steps=20)
        self.server = cs.Server(self.runs, port=port)
        x, y = cs.spiral()
        for step in range(20, 40):
            run.scalar("loss", torch.nn.functional.binary_cross_entropy_with_logits(net(x), y).detach(), step)
        summary = run.finish(timeout=10)
        self.assertEqual(summary["dropped"].get("unsent_at_finish", 0), 0)
        records = cs.read_records(os.path.join(self.runs, "late", "records.nlrec"))
        self.assertEqual([m["seq"] for _, m in records], list(range(len(records))))
        self.assertEqual(cs.manifest(os.path.join(self.runs, "late"))["ingest"]["step"], 39)

    def test_scalars_past_the_bound_drop_the_oldest_and_count_them(self):
        run = nl.Run("http://127.0.0.1:%d" % cs.free_port(), "bounded", max_scalars=5, quiet=True)
        for step in range(8):
            run.scalar("loss", 1.0, step)
        self.assertEqual([s for _, s, _ in run.scalars], [3, 4, 5, 6, 7])
        self.assertEqual(run.dropped["scalars"], 3)
        run.finish(timeout=0.2)

    def test_disabled_sends_nothing(self):
        os.environ["NETLENS_DISABLED"] = "1"
        try:
            run = nl.init("http://127.0.0.1:1", run="off")
            train(run, steps=3)
            self.assertEqual(run.finish(), {"sent": 0, "dropped": {}, "stream": None})
        finally:
            del os.environ["NETLENS_DISABLED"]

    def test_a_forked_child_sends_nothing(self):
        self.server = cs.Server(self.runs)
        run = nl.init(self.server.url, run="forked", quiet=True)
        run.scalar("loss", 1.0, 0)
        pid = os.fork()
        if pid == 0:
            run.scalar("loss", 2.0, 1)
            os._exit(0 if run.disabled and len(run.scalars) <= 1 else 1)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(status, 0)
        run.finish(timeout=10)
        records = cs.read_records(os.path.join(self.runs, "forked", "records.nlrec"))
        self.assertEqual([k for k, _ in records if k != 12], [1, 4, 13])  # heartbeats aside


if __name__ == "__main__":
    unittest.main()
