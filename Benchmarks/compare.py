#!/usr/bin/env python3
"""Two Slope builds side by side: `compare.py OLD_SLOPE NEW_SLOPE [w1 ... w5] [--rounds N]`.

Runs each workload's `slope run FILE --json --time --quiet` with the two executables in
alternation (old, new, old, new, ...), so a busy machine slows both alike, and prints a markdown
table of the median in-process run time ("run" of --time) and whole-process time of each, their
ratio, and whether the two printed the same JSON values (prints and params). Needs the data that
run.sh generates (SLOPE_BENCH_DATA, default Benchmarks/data). A benchmark, not a test.
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GRAPHS = {"w1": "w1_linreg.graph", "w2": "w2_logistic.graph", "w3": "w3_mlp.graph",
          "w4": "w4_scalar.graph", "w5": "w5_newton.graph"}


def run(slope, graph):
    env = dict(os.environ)
    env.setdefault("SLOPE_BENCH_DATA", os.path.join(HERE, "data"))
    start = time.perf_counter()
    proc = subprocess.run([slope, "run", graph, "--json", "--time", "--quiet"], capture_output=True,
                          text=True, env=env, timeout=600)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"compare: {slope} run {graph} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    values = {"prints": report["prints"], "params": report["params"]}
    return report["time"]["run"], wall, values


def main():
    args = sys.argv[1:]
    rounds = 5
    if "--rounds" in args:
        at = args.index("--rounds")
        rounds = int(args[at + 1])
        del args[at:at + 2]
    if len(args) < 2:
        sys.exit(__doc__)
    old, new, workloads = args[0], args[1], args[2:] or list(GRAPHS)
    print("| workload | old run (s) | new run (s) | new/old | old whole (s) | new whole (s) | same values |")
    print("|---|---|---|---|---|---|---|")
    for workload in workloads:
        graph = os.path.join(HERE, "workloads", GRAPHS[workload])
        times = {old: [], new: []}
        walls = {old: [], new: []}
        values = {}
        for _ in range(rounds):
            for slope in (old, new):
                inproc, wall, values[slope] = run(slope, graph)
                times[slope].append(inproc)
                walls[slope].append(wall)
        o, n = statistics.median(times[old]), statistics.median(times[new])
        print(f"| {workload} | {o:.4f} | {n:.4f} | {n / o:.2f} | {statistics.median(walls[old]):.4f} "
              f"| {statistics.median(walls[new]):.4f} | {'yes' if values[old] == values[new] else 'no'} |",
              flush=True)


if __name__ == "__main__":
    main()
