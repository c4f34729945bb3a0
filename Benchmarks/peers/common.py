"""Shared plumbing of the Python peers: command line, CSV loading, timing and the JSON result.

Every peer is run as `PEER.py WORKLOAD [--repeats N | --once] [--threads N]` (WORKLOAD one of w1..w5 or
matmul) and prints one JSON object on stdout:

    {"peer": "numpy", "workload": "w1", "values": {"m": ..., ...},
     "times": [s, s, s], "median": s, "first": s or null, "threads": n or null,
     "version": "x.y.z"}

`times` are wall seconds measured in the process around the work only (data are loaded and
libraries imported before the clock starts); each repeat starts again from the initial
parameters. `first` is JAX's first call (trace + compile + run), timed apart from `times`.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
WORKLOADS = ["w1", "w2", "w3", "w4", "w5", "matmul"]


def parse_args(peer):
    parser = argparse.ArgumentParser(description=f"{peer} peer of Slope's benchmark workloads")
    parser.add_argument("workload", choices=WORKLOADS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--once", action="store_true",
                        help="do the work once (for whole-process timing); JAX: the first call only")
    parser.add_argument("--threads", type=int, default=None,
                        help="intra-op threads (PyTorch only); default: the library's default")
    args = parser.parse_args()
    if args.once:
        args.repeats = 1
    return args


def load(name, *columns):
    """Columns of data/NAME as float64 arrays: one column gives [rows], several [rows, k];
    no column names gives every column, [rows, columns]."""
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        sys.exit(f"{path} is missing: run Benchmarks/generate_data.py")
    with open(path) as f:
        header = f.readline().strip().split(",")
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
    if not columns:
        return np.ascontiguousarray(table)
    index = [header.index(c) for c in columns]
    if len(index) == 1:
        return np.ascontiguousarray(table[:, index[0]])
    return np.ascontiguousarray(table[:, index])


def w3_data():
    X = load("w3_mlp.csv", *[f"x{j}" for j in range(64)])
    y = load("w3_mlp.csv", "label").reshape(-1, 1)
    W1 = load("w3_init_W1.csv")
    b1 = load("w3_init_b1.csv").reshape(128)
    W2 = load("w3_init_W2.csv")
    b2 = load("w3_init_b2.csv").reshape(1)
    return X, y, W1, b1, W2, b2


def matmul_data():
    """Two 2048 x 2048 uniform [0, 1) float64 matrices (any values do: only the time matters)."""
    rng = np.random.default_rng(7)
    return rng.random((2048, 2048)), rng.random((2048, 2048))


def measure(work, repeats, sync=lambda r: r):
    """Runs work() `repeats` times; returns (last result, list of wall seconds)."""
    times = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = sync(work())
        times.append(time.perf_counter() - start)
    return result, times


def report(peer, workload, values, times, version, first=None, threads=None):
    out = {
        "peer": peer,
        "workload": workload,
        "values": {k: float(v) for k, v in values.items()},
        "times": times,
        "median": statistics.median(times) if times else None,
        "first": first,
        "threads": threads,
        "version": version,
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
