"""examples/pytorch, each in its short mode, streaming into a real `netlens serve` (ctest
python_examples)."""

import os
import shutil
import subprocess
import tempfile
import unittest

import client_support as cs

EXAMPLES = os.path.join(cs.HERE, "..", "..", "examples", "pytorch")


class Examples(unittest.TestCase):
    def setUp(self):
        self.runs = tempfile.mkdtemp(prefix="netlens_examples_")
        self.server = cs.Server(self.runs)

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.runs, ignore_errors=True)

    def test_wide_playground_streams_a_playground_run(self):
        out = self.run_example("wide_playground.py", "--run", "wide")
        self.assertIn("records sent", out.stdout)
        m = cs.manifest(os.path.join(self.runs, "wide"))
        self.assertEqual(m["spec"]["hidden_layers"], [{"units": 1000, "activation": "relu"}])
        self.assertEqual(m["spec"]["dataset"], "spiral")
        self.assertEqual(m["ingest"]["status"], "finished")
        self.assertGreaterEqual(len(m["checkpoints"]), 2)
        self.assertEqual(m["ingest"]["step"], 299)

    def run_example(self, name, *args):
        out = subprocess.run(["/usr/bin/python3", os.path.join(EXAMPLES, name), "--short", "--url", self.server.url] + list(args),
                             capture_output=True, text=True, timeout=150)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return out

    def test_mnist_cnn_streams_then_exports_and_imports(self):
        onnx = os.path.join(self.runs, "cnn.onnx")
        out = self.run_example("mnist_cnn.py", "--run", "cnn", "--out", onnx, "--netlens", cs.NETLENS)
        self.assertIn("records sent", out.stdout)
        self.assertTrue(os.path.exists(os.path.join(self.runs, "cnn.nlmodel")))  # `netlens import` of the export
        m = cs.manifest(os.path.join(self.runs, "cnn"))
        self.assertEqual(m["ingest"]["status"], "finished")
        self.assertEqual(m["ingest"]["model"], "model.nlmodel")  # the streamed ONNX, imported by the server
        self.assertNotIn("model_error", m["ingest"])
        self.assertGreaterEqual(m["ingest"]["snapshots"], 1)
        # Each weight snapshot is a checkpoint of the image model, as Digits and Lurk open it; the
        # model file holds the last one: the trained weights (float16 on the wire), as exported.
        self.assertTrue(m["ingest"]["image"])
        checkpoints = sorted(os.listdir(os.path.join(self.runs, "cnn", "model.checkpoints")))
        self.assertEqual(len(checkpoints), m["ingest"]["image_checkpoints"])
        # Of steps 0, 3, 6, ... of 30, those the sender took before the next superseded them: at least
        # the first (sent with the model) and the last (at finish()).
        self.assertGreaterEqual(len(checkpoints), 2)
        streamed = cs.model_weights(os.path.join(self.runs, "cnn", "model.nlmodel"))
        exported = cs.model_weights(os.path.join(self.runs, "cnn.nlmodel"))
        self.assertEqual(len(streamed), len(exported))
        self.assertLess(max(abs(a - b) for a, b in zip(streamed, exported)), 2e-3)
        self.assertGreaterEqual(m["ingest"]["activations"], 1)  # its probe batch too

    def test_ddp_mnist_streams_from_rank_zero_only(self):
        self.run_example("ddp_mnist.py", "--run", "ddp")
        self.assertEqual(sorted(os.listdir(self.runs)), ["ddp"])
        m = cs.manifest(os.path.join(self.runs, "ddp"))
        self.assertEqual((m["ingest"]["rank"], m["ingest"]["world_size"], m["ingest"]["status"]), (0, 2, "finished"))
        self.assertEqual(m["ingest"]["step"], 19)


if __name__ == "__main__":
    unittest.main()
