"""The Python client in a two-process gloo job on loopback (ctest python_client_ddp): by default
exactly one rank connects and the run shows world size 2; ranks="all" makes two streams in one
group; a BatchNorm model under DDP, probed and watched, does not hang."""

import os
import shutil
import tempfile
import unittest

import client_support as cs
import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def worker(rank, world, port, url, ranks, batchnorm):
    torch.set_num_threads(1)
    import netlens_client as nl
    run = nl.init(url, run="ddp", ranks=ranks, quiet=True)  # before the process group: the rank is read later
    os.environ["MASTER_ADDR"], os.environ["MASTER_PORT"] = "127.0.0.1", str(port)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    torch.manual_seed(0)
    layers = [torch.nn.Linear(2, 8)] + ([torch.nn.BatchNorm1d(8)] if batchnorm else []) + [torch.nn.ReLU(), torch.nn.Linear(8, 1)]
    model = torch.nn.parallel.DistributedDataParallel(torch.nn.Sequential(*layers))
    x, y = cs.spiral(64, seed=rank)
    run.model(model, x[:4])  # probes the wrapped module, not through DDP (its forward is a collective)
    run.watch(model, every=2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(6):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        run.scalar("loss", loss.detach(), step)
    dist.barrier()
    run.finish(timeout=10)
    dist.destroy_process_group()


class Ddp(unittest.TestCase):
    def setUp(self):
        self.assertTrue(dist.is_gloo_available())
        self.runs = tempfile.mkdtemp(prefix="netlens_ddp_")
        self.server = cs.Server(self.runs)

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.runs, ignore_errors=True)

    def job(self, ranks, batchnorm=False):
        context = mp.start_processes(worker, args=(2, cs.free_port(), self.server.url, ranks, batchnorm), nprocs=2,
                                     join=False, start_method="spawn")
        for p in context.processes:
            p.join(60)
        hung = [p.pid for p in context.processes if p.is_alive()]
        for p in context.processes:
            if p.is_alive():
                p.kill()
        self.assertEqual(hung, [], "the job hung")
        self.assertEqual([p.exitcode for p in context.processes], [0, 0])
        return sorted(os.listdir(self.runs))

    def test_by_default_only_rank_zero_sends(self):
        self.assertEqual(self.job("zero"), ["ddp"])
        m = cs.manifest(os.path.join(self.runs, "ddp"))
        self.assertEqual(m["ingest"]["world_size"], 2)
        self.assertEqual(m["ingest"]["rank"], 0)
        self.assertEqual(m["ingest"]["status"], "finished")

    def test_all_ranks_make_two_streams_in_one_group(self):
        self.assertEqual(self.job("all"), ["ddp-rank0", "ddp-rank1"])
        for rank in (0, 1):
            m = cs.manifest(os.path.join(self.runs, "ddp-rank%d" % rank))
            self.assertEqual((m["ingest"]["group"], m["ingest"]["rank"], m["ingest"]["world_size"]), ("ddp", rank, 2))

    def test_a_batchnorm_model_under_ddp_does_not_hang(self):
        self.assertEqual(self.job("zero", batchnorm=True), ["ddp"])
        self.assertGreaterEqual(cs.manifest(os.path.join(self.runs, "ddp"))["ingest"]["snapshots"], 1)


if __name__ == "__main__":
    unittest.main()
