"""make bench: netlens and PyTorch side by side on the workloads of issues #4, #15 and #18.

Runs each workload in its own process (so peak memory is its own), netlens with 1 and 2
threads and PyTorch with 1 and 2 threads, keeps each side's best, prints a table and writes
build/bench/results.json. Also reports the matrix product's GFLOP/s at W4's shapes beside
OpenBLAS's sgemm and the machine's measured peak, and for every row the share of that peak
the netlens figure reaches (the FLOPs of its Dense and Conv2D layers, counted by netlens).

    /usr/bin/python3 bench/run.py --netlens build/release/netlens \\
        --kernels build/release/bench/kernels_bench --mnist .cache/mnist --out build/bench [--quick]
"""
import argparse
import json
import os
import subprocess
import sys

WORKLOADS = [
    # id, what, target ratio (netlens / PyTorch), figure compared besides speed
    ("W1", "Playground 2-8-8-1 tanh, 250 points, batch 10, SGD", 100, "loss"),
    ("W2", "W1's net at every unit over a 100x100 grid", 10, None),
    ("W3", "wide 2-1000-1 ReLU, batch 10, SGD lr 0.003", 10, "loss"),
    ("W3g", "the wide net's 1000 unit heatmaps over 50x50", 5, None),
    ("W4", "MNIST MLP 784-128-64-10, batch 128, Adam, 2 epochs", 2, "accuracy"),
    ("W5", "MNIST CNN conv8-pool-conv16-pool-dense10, batch 64, Adam, 1 epoch", 3, "accuracy"),
    ("W6", "examples/mnist_cnn.json: the classic 14x14 CNN (padding 1, dense 128), batch 32, Adam, 1 epoch", None,
     "accuracy"),
    ("W7", "examples/mnist_cnn_28.json: its layers on 28x28 images, batch 32, Adam, 1 epoch", None, "accuracy"),
    ("L1", "Lurk dataset pass of W6's net over the 60,000 training images (top 9 by max and mean, class sums)", None,
     "agreement"),
    ("L2", "Lurk dataset pass of W7's net over the 60,000 training images", None, "agreement"),
    ("A1", "vanilla gradient of the predicted class, W7's net, one test image at a time", None, None),
    ("A2", "Grad-CAM at the last conv layer, W7's net, one test image at a time", None, None),
    ("A3", "integrated gradients, 50 steps, black baseline, W7's net, one test image at a time", None, None),
    ("D1", "a drawing through the Digits CNN (W7's layers) to every activation", None, None),
    ("D2", "a drawing through the Digits MLP (W4's layers) to every activation", None, None),
]


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def best(results):
    return max(results, key=lambda r: r["value"])


def netlens_side(args, wid):
    runs = []
    for threads in (1, 2):
        cmd = [args.netlens, "bench", "--only", wid, "--threads", str(threads), "--out", args.out, "--mnist", args.mnist,
               "--examples", args.examples]
        runs += run_json(cmd + (["--quick"] if args.quick else []))
    return best(runs)


def peer_side(args, wid):
    runs = []
    script = os.path.join(os.path.dirname(__file__), "peer_torch.py")
    for threads in (1, 2):
        # PyTorch at its best: glibc's default mmap threshold makes each large tensor an mmap
        # and its pages fault in anew; raising it (to its 32 MiB maximum) made W3g 5x faster.
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), MALLOC_MMAP_THRESHOLD_=str(32 << 20),
                   MALLOC_TRIM_THRESHOLD_=str(256 << 20))
        cmd = ["/usr/bin/python3", script, "--threads", str(threads), "--data", args.out, "--mnist", args.mnist,
               "--examples", args.examples, "--only", wid]
        runs += run_json(cmd + (["--quick"] if args.quick else []), env)
    return best(runs)


def gemm_figures(args):
    """GFLOP/s of netlens's product and OpenBLAS's sgemm at W4's first layer, and the peak."""
    cmd = [args.kernels, "--benchmark_format=json", "--benchmark_min_time=0.2",
           "--benchmark_filter=BM_MatmulBias/128/784/128/1|BM_CblasSgemm/128/784/128|BM_PeakFma"]
    report = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    by_name = {b["name"]: b["GFLOPS"] for b in report["benchmarks"]}
    cores = os.cpu_count()
    per_core = by_name["BM_PeakFma"]
    peak_label = next(b.get("label", "FMA chains") for b in report["benchmarks"] if b["name"] == "BM_PeakFma")
    return {
        "netlens_gflops": by_name["BM_MatmulBias/128/784/128/1"],
        "openblas_gflops": by_name["BM_CblasSgemm/128/784/128"],
        "peak_gflops_per_core": per_core,
        "peak_gflops": per_core * cores,
        "cores": cores,
        "how": f"peak = cores x one core's measured throughput of {peak_label} (BM_PeakFma: the widest vectors "
               "the compiler targets)",
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--netlens", required=True)
    p.add_argument("--kernels", required=True)
    p.add_argument("--mnist", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--examples", default="examples")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--only", nargs="*", help="workload ids (default: all)")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)

    gemm = gemm_figures(args)  # first: every row's share of the peak needs it
    rows = []
    print(f"{'id':4} {'netlens':>12} {'PyTorch':>12} {'unit':9} {'ratio':>8} {'target':>7} {'peak':>6}  "
          f"{'compare (netlens / PyTorch)':30} {'threads':8} {'peak MiB':>13}")
    for wid, what, target, compare in [w for w in WORKLOADS if not args.only or w[0] in args.only]:
        mine = netlens_side(args, wid)  # first: it writes the data and weights the peer reads
        peer = peer_side(args, wid)
        ratio = mine["value"] / peer["value"]
        gflops = mine["value"] * mine["flops"] / 1e9
        peak = gflops / gemm["peak_gflops"]
        row = {
            "id": wid, "workload": what, "unit": mine["unit"], "netlens": mine["value"], "peer": peer["value"],
            "ratio": ratio, "target": target, "met": target is None or ratio >= target,
            "flops_per_unit": mine["flops"], "netlens_gflops": gflops, "peer_gflops": peer["value"] * mine["flops"] / 1e9,
            "peak_fraction": peak, "peer_peak_fraction": peer["value"] * mine["flops"] / 1e9 / gemm["peak_gflops"],
            "netlens_threads": mine["threads"], "peer_threads": peer["threads"],
            "netlens_peak_rss_mib": mine["peak_rss_mib"], "peer_peak_rss_mib": peer["peak_rss_mib"],
        }
        shown = ""
        if compare:
            row[f"netlens_{compare}"], row[f"peer_{compare}"] = mine[compare], peer[compare]
            shown = f"{compare} {mine[compare]:.4f} / {peer[compare]:.4f}"
        rows.append(row)
        shown_target = "-" if target is None else f"{target}x"
        print(f"{wid:4} {mine['value']:12.1f} {peer['value']:12.1f} {mine['unit']:9} {ratio:7.1f}x {shown_target:>7} "
              f"{100 * peak:5.1f}%  {shown:30} {mine['threads']}/{peer['threads']:<6} "
              f"{mine['peak_rss_mib']:6.0f}/{peer['peak_rss_mib']:<6.0f}"
              f"{'' if row['met'] else '  (below target)'}", flush=True)

    print(f"\nmatrix product at W4's first layer (128x784 by 784x128), one thread: netlens "
          f"{gemm['netlens_gflops']:.1f} GFLOP/s, OpenBLAS sgemm {gemm['openblas_gflops']:.1f} GFLOP/s; "
          f"peak {gemm['peak_gflops_per_core']:.1f} per core, {gemm['peak_gflops']:.1f} on {gemm['cores']} cores "
          f"({gemm['how']})")
    # The Python client's cost to a PyTorch training run (issue #17), a ratio of times.
    client = run_json(["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "ingest_overhead.py"),
                       "--netlens", args.netlens] + (["--quick"] if args.quick else []))[0]
    print(f"ingest client: {client['steps']} PyTorch steps take {client['ratio']:.3f}x the time with the client at its "
          f"defaults ({client['with_client_s']:.2f} s) as without it ({client['without_s']:.2f} s)")

    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"quick": args.quick, "workloads": rows, "gemm": gemm, "ingest_client": client}, f, indent=2)
    print(f"wrote {os.path.join(args.out, 'results.json')}")


if __name__ == "__main__":
    sys.exit(main())
