#!/usr/bin/python3
"""Ours next to PyTorch, in one run, one table (development only; CI never runs it and never needs torch).

    /usr/bin/python3 tests/Descent.Benchmarks/side-by-side/compare.py [--sizes 1000000,10000000] [--reps 11] [--phases 2]
                                                                      [--mlp-epochs 15] [--threads 1] [--out table.md]

1. Runs `dotnet run -c Release --project tests/Descent.Benchmarks -- steps --json …`: STREAM triad and one step of
   Adam, AdamW, SGD(momentum=0.9) and RMSprop on one buffer of n doubles (our fused path with and without the
   non-finite gradient check, and the readable loop), in interleaved rounds; then epochs of the 64-64-10 MLP on the
   digits (batch 32, Adam, float64).
2. Measures torch.optim.Adam/AdamW/SGD(momentum=0.9)/RMSprop with foreach=True and foreach=False on the same sizes
   (float64, torch.set_num_threads(--threads)), and the same MLP epoch (nn.Linear/ReLU/CrossEntropyLoss, float64).
3. Prints one table: medians over --reps rounds, the bandwidth bound (bytes the step must move ÷ triad bandwidth from
   the same run), the fraction of that bound we reach and the speed-up over the faster torch variant.

Needs Debian's python3-torch (PyTorch 1.13), which only /usr/bin/python3 sees.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OPTIMIZERS = ["Adam", "AdamW", "SGD+momentum", "RMSprop"]


def torch_optimizer(name, params, foreach):
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


def torch_steps(n, reps):
    gen = torch.Generator().manual_seed(1)
    cases = {}
    for name in OPTIMIZERS:
        for foreach in (True, False):
            p = torch.nn.Parameter(torch.rand(n, dtype=torch.float64, generator=gen) - 0.5)
            p.grad = (torch.rand(n, dtype=torch.float64, generator=gen) - 0.5) * 1e-2
            cases[(name, foreach)] = torch_optimizer(name, [p], foreach)
    times = {k: [] for k in cases}
    for rnd in range(-2, reps):  # interleaved rounds, the first two warm-up (state allocation)
        for key, opt in cases.items():
            t0 = time.perf_counter()
            opt.step()
            dt = time.perf_counter() - t0
            if rnd >= 0:
                times[key].append(dt)
    return times


def torch_mlp(epochs):
    data = np.loadtxt(os.path.join(ROOT, "data", "digits.csv"), delimiter=",", skiprows=1)
    x = torch.tensor(data[:, :64] / 16.0, dtype=torch.float64)
    y = torch.tensor(data[:, 64], dtype=torch.long)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10)).double()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch(e):
        perm = torch.randperm(x.shape[0], generator=torch.Generator().manual_seed(e))
        loss = None
        for s in range(0, x.shape[0], 32):
            idx = perm[s:s + 32]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        return loss.item()

    times = []
    for e in range(-2, epochs):
        t0 = time.perf_counter()
        epoch(e + 3)
        if e >= 0:
            times.append(time.perf_counter() - t0)
    return times


def pool(runs):
    """One result from several runs of `steps`: every median recomputed over the pooled samples."""
    med = statistics.median
    first = runs[0]
    out = {k: v for k, v in first.items() if k not in ("sizes", "mlp")}
    out["sizes"] = []
    for i, s in enumerate(first["sizes"]):
        triad = [x for r in runs for x in r["sizes"][i]["triad_samples"]]
        size = {"n": s["n"], "triad_s": med(triad), "optimizers": {}}
        for name, o in s["optimizers"].items():
            pooled = {"bytes_per_scalar": o["bytes_per_scalar"]}
            for kind in ("fast", "fast_nocheck", "readable"):
                pooled[f"{kind}_s"] = med([x for r in runs for x in r["sizes"][i]["optimizers"][name][f"{kind}_samples"]])
            pooled["bound_s"] = o["bytes_per_scalar"] * s["n"] / (24 * s["n"] / size["triad_s"])
            size["optimizers"][name] = pooled
        out["sizes"].append(size)
    out["mlp"] = dict(first["mlp"])
    out["mlp"]["epoch_s"] = med([x for r in runs for x in r["mlp"]["epoch_samples"]])
    return out


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
    ap.add_argument("--reps", type=int, default=11, help="interleaved rounds per phase")
    ap.add_argument("--phases", type=int, default=2, help="alternating ours/torch phases, samples pooled")
    ap.add_argument("--mlp-epochs", type=int, default=15)
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (ours is single-threaded)")
    ap.add_argument("--out", help="also write the table (markdown) to this file")
    ap.add_argument("--torch-default-malloc", action="store_true", help="measure torch with glibc's default malloc settings")
    args = ap.parse_args()
    tuned = all(os.environ.get(k) == v for k, v in TUNED_MALLOC.items())
    if not args.torch_default_malloc and not tuned:
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, **TUNED_MALLOC})  # glibc reads these at start
    child_env = {k: v for k, v in os.environ.items() if k not in TUNED_MALLOC}
    sizes = [int(s) for s in args.sizes.split(",")]
    load_start = load_average()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "tests", "Descent.Benchmarks")],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=child_env)

    # Phases alternate (ours, torch, ours, torch, …) and their samples are pooled, so a burst of load from other
    # users of the machine falls on both sides rather than on one.
    runs, theirs_samples, torch_epochs = [], {}, []
    for phase in range(args.phases):
        with tempfile.TemporaryDirectory() as tmp:
            js = os.path.join(tmp, "ours.json")
            cmd = ["dotnet", "run", "-c", "Release", "--no-build", "--project", os.path.join(ROOT, "tests", "Descent.Benchmarks"),
                   "--", "steps", "--sizes", args.sizes, "--reps", str(args.reps), "--mlp-epochs", str(args.mlp_epochs), "--json", js]
            print(f"phase {phase + 1}/{args.phases}: $ " + " ".join(cmd), file=sys.stderr)
            subprocess.run(cmd, check=True, stdout=sys.stderr, cwd=ROOT, env=child_env)
            with open(js) as f:
                runs.append(json.load(f))
        for n in sizes:
            print(f"phase {phase + 1}/{args.phases}: torch, n = {n:,} …", file=sys.stderr)
            for key, samples in torch_steps(n, args.reps).items():
                theirs_samples.setdefault((n, *key), []).extend(samples)
        print(f"phase {phase + 1}/{args.phases}: torch, MLP …", file=sys.stderr)
        torch_epochs.extend(torch_mlp(args.mlp_epochs))

    ours = pool(runs)
    theirs = {n: {key: statistics.median(theirs_samples[(n, *key)]) for key in [(o, f) for o in OPTIMIZERS for f in (True, False)]}
              for n in sizes}
    torch_epoch = statistics.median(torch_epochs)

    ms = lambda s: f"{s * 1e3:.3f}"
    lines = []
    lines.append(f"- CPU: {cpu_model()}; {ours['runtime']}, PyTorch {torch.__version__}; medians of {args.phases} × {args.reps} "
                 f"interleaved rounds (MLP: {args.phases} × {args.mlp_epochs} epochs), phases alternating ours/torch; "
                 f"1-minute load average {load_start:.1f} at the start, {load_average():.1f} at the end.")
    lines.append("- torch's malloc: " + ("glibc defaults (freed temporaries go back to the kernel and fault in again)." if args.torch_default_malloc
                 else "glibc with MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1e11 (heap kept between steps: torch's better case)."))
    lines.append(f"- Threads: ours 1 (single-threaded steps and MLP; optimizer kernels {ours['vector_bits']}-bit vectors, MLP 256-bit); "
                 f"torch.set_num_threads({torch.get_num_threads()}), "
                 f"interop threads {torch.get_num_interop_threads()}.")
    lines.append("- Triad a ← b + s·c counted as 24 B/element (STREAM convention: read b, c, write a; a's write-allocate read not "
                 "counted); the 32 B column counts it.")
    lines.append("")
    lines.append("| n | triad (ms) | GB/s at 24 B | GB/s at 32 B |")
    lines.append("|---:|---:|---:|---:|")
    for s in ours["sizes"]:
        t = s["triad_s"]
        lines.append(f"| {s['n']:,} | {ms(t)} | {24 * s['n'] / t / 1e9:.1f} | {32 * s['n'] / t / 1e9:.1f} |")
    lines.append("")
    lines.append("Step times in ms. *ours* = `optimizer.Step()` as it ships (non-finite gradient check on, an extra read of g); "
                 "*no check* = `AllowNonFiniteGradients = true`, as `Trainer` runs it and as torch runs (torch does not check). "
                 "*bound* = bytes the step must move (Adam/AdamW 56 B, SGD+momentum/RMSprop 40 B per scalar) ÷ triad "
                 "bandwidth (24 B); *of bound* = bound ÷ time (1.0 = at the bandwidth bound), at 24 B and, stricter, at 32 B. "
                 "*× torch* = the faster torch variant ÷ ours.")
    lines.append("")
    lines.append("| n | optimizer | ours | no check | readable loop | torch foreach | torch for-loop | bound | of bound 24 B (ours / no check) "
                 "| of bound 32 B (ours / no check) | × torch (ours / no check) |")
    lines.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in ours["sizes"]:
        n = s["n"]
        for name in OPTIMIZERS:
            o = s["optimizers"][name]
            fast, nocheck, readable, bound = o["fast_s"], o["fast_nocheck_s"], o["readable_s"], o["bound_s"]
            tf, tl = theirs[n][(name, True)], theirs[n][(name, False)]
            best = min(tf, tl)
            lines.append(
                f"| {n:,} | {name} | {ms(fast)} | {ms(nocheck)} | {ms(readable)} | {ms(tf)} | {ms(tl)} | {ms(bound)} "
                f"| {bound / fast:.2f} / {bound / nocheck:.2f} | {0.75 * bound / fast:.2f} / {0.75 * bound / nocheck:.2f} "
                f"| {best / fast:.1f} / {best / nocheck:.1f} |")
    lines.append("")
    m = ours["mlp"]
    lines.append("| MLP 64-64-10, digits (1797 samples), batch 32, Adam, float64 | ours | torch | × torch |")
    lines.append("|---|---:|---:|---:|")
    lines.append(f"| time per epoch ({m['steps_per_epoch']} steps), ms | {m['epoch_s'] * 1e3:.2f} | {torch_epoch * 1e3:.2f} "
                 f"| {torch_epoch / m['epoch_s']:.1f} |")
    table = "\n".join(lines)
    print(table)
    if args.out:
        with open(args.out, "w") as f:
            f.write(table + "\n")


if __name__ == "__main__":
    main()
