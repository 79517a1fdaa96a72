#!/usr/bin/python3
"""Ours next to PyTorch, in one run, one table (development only; CI never runs it and never needs torch).

    /usr/bin/python3 tests/Descent.Benchmarks/side-by-side/compare.py [--sizes 1000000,10000000] [--reps 21]
                                                                      [--mlp-epochs 21] [--threads 1] [--out table.md]

1. Starts two long-lived workers, each with every buffer allocated once:
   - ours: `dotnet run -c Release --project tests/Descent.Benchmarks -- steps --serve`: STREAM triad and one step of
     Adam, AdamW, SGD(momentum=0.9) and RMSprop on one buffer of n doubles (our fused path as it ships, without the
     non-finite gradient check, and the readable loop); an epoch of the 64-64-10 MLP on the digits (batch 32, Adam);
   - torch: this script with --torch-worker: torch.optim.Adam/AdamW/SGD(momentum=0.9)/RMSprop with foreach=True and
     foreach=False on the same sizes (float64, torch.set_num_threads(--threads)), and the same MLP epoch
     (nn.Linear/ReLU/CrossEntropyLoss, float64), with glibc's heap kept between steps (see TUNED_MALLOC).
2. Runs rounds strictly in turn — ours, torch, ours, torch, … — so every round of either side follows a round of the
   other and has one beside it under the same machine load. The first rounds are warm-up.
3. Prints one table: medians over the rounds, the bandwidth bound (bytes the step must move ÷ triad bandwidth from the
   same rounds), the fraction of that bound we reach, and the speed-up over torch as the median over rounds of
   (fastest torch variant in that round) ÷ (ours in that round).

Needs Debian's python3-torch (PyTorch 1.13), which only /usr/bin/python3 sees.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OPTIMIZERS = ["Adam", "AdamW", "SGD+momentum", "RMSprop"]


def torch_optimizer(torch, name, params, foreach):
    # The same hyper-parameters as tests/Descent.Benchmarks/Workloads.cs.
    if name == "Adam":
        return torch.optim.Adam(params, lr=1e-3, foreach=foreach)
    if name == "AdamW":
        return torch.optim.AdamW(params, lr=1e-3, foreach=foreach)
    if name == "SGD+momentum":
        return torch.optim.SGD(params, lr=1e-3, momentum=0.9, foreach=foreach)
    if name == "RMSprop":
        return torch.optim.RMSprop(params, lr=1e-3, foreach=foreach)
    raise ValueError(name)


def torch_worker(args):
    """The torch side of the protocol ours speaks (`steps --serve`): one JSON line per command on stdin."""
    import time
    import torch

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    gen = torch.Generator().manual_seed(1)
    sizes = [int(s) for s in args.sizes.split(",")]
    cases = {}
    for n in sizes:
        for name in OPTIMIZERS:
            for foreach in (True, False):
                p = torch.nn.Parameter(torch.rand(n, dtype=torch.float64, generator=gen) - 0.5)
                p.grad = (torch.rand(n, dtype=torch.float64, generator=gen) - 0.5) * 1e-2
                cases[(n, f"{name}|{'foreach' if foreach else 'loop'}")] = torch_optimizer(torch, name, [p], foreach)

    data = np.loadtxt(os.path.join(ROOT, "data", "digits.csv"), delimiter=",", skiprows=1)
    x = torch.tensor(data[:, :64] / 16.0, dtype=torch.float64)
    y = torch.tensor(data[:, 64], dtype=torch.long)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10)).double()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    epoch = 0

    def run_epoch(e):
        perm = torch.randperm(x.shape[0], generator=torch.Generator().manual_seed(e))
        for s in range(0, x.shape[0], 32):
            idx = perm[s:s + 32]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()

    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "interop_threads": torch.get_num_interop_threads()}), flush=True)
    for command in sys.stdin:
        command = command.strip()
        if command == "round":
            out = {}
            for (n, key), o in cases.items():
                t0 = time.perf_counter()
                o.step()
                out.setdefault(str(n), {})[key] = time.perf_counter() - t0
            print(json.dumps(out), flush=True)
        elif command == "mlp":
            epoch += 1
            t0 = time.perf_counter()
            run_epoch(epoch)
            print(json.dumps(time.perf_counter() - t0), flush=True)
        elif command == "quit":
            return 0
        else:
            print(f"unknown command {command!r}", file=sys.stderr)
            return 2
    return 0


class Worker:
    """A long-lived measuring process that answers one JSON line per command."""

    def __init__(self, label, cmd, env):
        self.label = label
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        self.hello = self.ask(None)

    def ask(self, command):
        if command is not None:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.label} worker ended (exit code {self.proc.wait()})")
        return json.loads(line)

    def close(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass
        self.proc.wait(timeout=60)


def load_average():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
        return f"{fields.get('Model name', '?').strip()}, {fields.get('CPU(s)', '?').strip()} CPUs"
    except (OSError, subprocess.CalledProcessError):
        return platform.processor() or "?"


# glibc returns large freed blocks to the kernel, so torch's per-step temporaries are page-faulted in again every step,
# which on this VM costs ~15 µs a page (1M Adam: 4 ms or 60 ms per step depending on the allocator's history). By default
# torch runs with the heap kept (no mmap, no trimming): its better case. --torch-default-malloc measures it as installed.
TUNED_MALLOC = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": "100000000000"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--reps", type=int, default=21, help="measured rounds (after --warmup rounds)")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--mlp-epochs", type=int, default=21)
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (ours is single-threaded)")
    ap.add_argument("--out", help="also write the table (markdown) to this file")
    ap.add_argument("--raw", help="also write every round's times (JSON) to this file")
    ap.add_argument("--torch-default-malloc", action="store_true", help="measure torch with glibc's default malloc settings")
    ap.add_argument("--torch-worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.torch_worker:
        return torch_worker(args)

    sizes = [int(s) for s in args.sizes.split(",")]
    load_start = load_average()
    base_env = {k: v for k, v in os.environ.items() if k not in TUNED_MALLOC}
    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "tests", "Descent.Benchmarks")],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=base_env)
    torch_env = base_env if args.torch_default_malloc else {**base_env, **TUNED_MALLOC}
    worker_cmd = [sys.executable, os.path.abspath(__file__), "--torch-worker", "--sizes", args.sizes, "--threads", str(args.threads)]
    print("starting workers (every buffer allocated once) …", file=sys.stderr)
    workers = [
        Worker("ours", ["dotnet", "run", "-c", "Release", "--no-build", "--project", os.path.join(ROOT, "tests", "Descent.Benchmarks"),
                        "--", "steps", "--serve", "--sizes", args.sizes], base_env),
        Worker("torch", worker_cmd, torch_env),
    ]
    try:
        rounds = {w.label: [] for w in workers}
        # Always the same order, so every round of either side follows a round of the other. (Alternating who goes first
        # makes each side run two rounds back to back every other time, and the second of those is up to 40 % faster:
        # its page-table entries are still cached.)
        for r in range(-args.warmup, args.reps):
            for w in workers:
                reply = w.ask("round")
                if r >= 0:
                    rounds[w.label].append(reply)
            print(f"round {r + 1}/{args.reps}" if r >= 0 else "warm-up round", file=sys.stderr)
        epochs = {w.label: [] for w in workers}
        for e in range(-2, args.mlp_epochs):
            for w in workers:
                t = w.ask("mlp")
                if e >= 0:
                    epochs[w.label].append(t)
    finally:
        for w in workers:
            w.close()

    if args.raw:
        with open(args.raw, "w") as f:
            json.dump({"hello": {w.label: w.hello for w in workers}, "rounds": rounds, "epochs": epochs}, f)

    med = statistics.median
    ours_hello, torch_hello = (w.hello for w in workers)
    ms = lambda s: f"{s * 1e3:.3f}"
    series = lambda label, n, key: [r[str(n)][key] for r in rounds[label]]


    lines = []
    lines.append(f"- CPU: {cpu_model()}; {ours_hello['runtime']}, PyTorch {torch_hello['torch']}; {args.reps} rounds after "
                 f"{args.warmup} of warm-up, rounds of ours and of torch strictly alternating; MLP: "
                 f"{args.mlp_epochs} epochs each, likewise. 1-minute load average {load_start:.1f} at the start, {load_average():.1f} at the end.")
    lines.append("- torch's malloc: " + ("glibc defaults (freed temporaries go back to the kernel and fault in again)" if args.torch_default_malloc
                 else "glibc with MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1e11 (heap kept between steps: torch's better case)")
                 + ".")
    lines.append(f"- Threads: ours 1 (single-threaded steps and MLP; optimizer kernels and MLP products {ours_hello['vector_bits']}-bit vectors); "
                 f"torch.set_num_threads({torch_hello['threads']}), interop threads {torch_hello['interop_threads']}.")
    lines.append("- Triad a ← b + s·c counted as 24 B/element (STREAM convention: read b, c, write a; a's write-allocate read not "
                 "counted); the 32 B column counts it.")
    lines.append("")
    lines.append("| n | triad (ms) | GB/s at 24 B | GB/s at 32 B |")
    lines.append("|---:|---:|---:|---:|")
    triad = {n: med(series("ours", n, "triad")) for n in sizes}
    for n in sizes:
        lines.append(f"| {n:,} | {ms(triad[n])} | {24 * n / triad[n] / 1e9:.1f} | {32 * n / triad[n] / 1e9:.1f} |")
    lines.append("")
    lines.append("Step times in ms (medians over the rounds). *ours* = `optimizer.Step()` as it ships (the non-finite gradient "
                 "check is fused into the update pass); *no check* = `AllowNonFiniteGradients = true`, as `Trainer` runs it and "
                 "as torch runs (torch does not check). "
                 "*bound* = bytes the step must move (Adam/AdamW 56 B, SGD+momentum/RMSprop 40 B per scalar) ÷ triad "
                 "bandwidth (24 B); *of bound* = bound ÷ time (1.0 = at the bandwidth bound), at 24 B and, stricter, at 32 B. "
                 "*× torch* = median over rounds of (the faster of foreach and for-loop in that round) ÷ (ours in that round); "
                 "*× medians* = the faster torch median ÷ ours.")
    lines.append("")
    lines.append("| n | optimizer | ours | no check | readable loop | torch foreach | torch for-loop | bound "
                 "| of bound 24 B (ours / no check) | of bound 32 B (ours / no check) | × torch (ours / no check) | × medians (ours) |")
    lines.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        for name in OPTIMIZERS:
            fast_s, nocheck_s = series("ours", n, f"{name}|fast"), series("ours", n, f"{name}|fast_nocheck")
            fast, nocheck, readable = med(fast_s), med(nocheck_s), med(series("ours", n, f"{name}|readable"))
            tf, tl = med(series("torch", n, f"{name}|foreach")), med(series("torch", n, f"{name}|loop"))
            fastest = [min(r[str(n)][f"{name}|foreach"], r[str(n)][f"{name}|loop"]) for r in rounds["torch"]]
            x_fast = med([t / o for t, o in zip(fastest, fast_s)])
            x_nocheck = med([t / o for t, o in zip(fastest, nocheck_s)])
            bound = ours_hello["bytes_per_scalar"][name] * n / (24 * n / triad[n])
            lines.append(
                f"| {n:,} | {name} | {ms(fast)} | {ms(nocheck)} | {ms(readable)} | {ms(tf)} | {ms(tl)} | {ms(bound)} "
                f"| {bound / fast:.2f} / {bound / nocheck:.2f} | {0.75 * bound / fast:.2f} / {0.75 * bound / nocheck:.2f} "
                f"| {x_fast:.2f} / {x_nocheck:.2f} | {min(tf, tl) / fast:.2f} |")
    lines.append("")
    ours_epoch, torch_epoch = med(epochs["ours"]), med(epochs["torch"])
    lines.append("| MLP 64-64-10, digits (1797 samples), batch 32, Adam, float64 | ours | torch | × torch |")
    lines.append("|---|---:|---:|---:|")
    lines.append(f"| time per epoch ({ours_hello['steps_per_epoch']} steps), ms | {ours_epoch * 1e3:.2f} | {torch_epoch * 1e3:.2f} "
                 f"| {torch_epoch / ours_epoch:.1f} |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        with open(args.out, "w") as f:
            f.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
