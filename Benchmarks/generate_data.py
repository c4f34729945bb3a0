#!/usr/bin/env python3
"""Writes Benchmarks/data/*.csv exactly per Benchmarks/WORKLOADS.md and verifies the checksums.

W1-W3 draw from numpy.random.default_rng (PCG64) in the order the recipes give; W4 and W5 use
a 64-bit LCG and a grid. Every value is integer / 10^k written as the shortest round-trip
decimal without exponent (numpy.format_float_positional(v, trim="0")); labels are "0" or "1".

Usage: generate_data.py [--force]   (existing files with the right checksum are kept)
Exit status 1 on any checksum mismatch.
"""
import hashlib
import os
import sys

import numpy as np

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

CHECKSUMS = {
    "w1_linreg.csv": "fa74292e6186365c3d7bc5126eaf9fb638d01411901fb19999edae2401e5c8fe",
    "w2_logistic.csv": "339df1884b2fc0916f91e88d820c7c4d4740dd9c7397786bc9c1f5c67a4a61e3",
    "w3_init_W1.csv": "3e73f93226677c6ac2274767f08ec0125777de993ae6ac3cb849bbc0221b5879",
    "w3_init_W2.csv": "3759f2b6cfac20bcce4c3a0ff13160854ff272628a454621286c2226a837a580",
    "w3_init_b1.csv": "5cf711a210722e96c91d322d9a064a679f3dfd7de0d4ed132dd7a44937300e72",
    "w3_init_b2.csv": "e00cf6efc680aa9aea503870cda1d6012d29ab54d0292cca9b6039469448dbd0",
    "w3_mlp.csv": "8e359eb53462b782870f1bcfcf92d8fbb6b0ed773061330a2e56b73543ea7be3",
    "w4_points.csv": "c10df494f44ef9ab13d95c7ca213122cfce44537c5c0d351dcecc17a6b58e328",
    "w5_starts.csv": "09ca2467c3f4c6c2091032ac628c7de9d82885adb8055e0db767e55f38f271f7",
}


def fmt(k, scale):
    """The decimal text of integer k / scale (float64). rint() can give -0.0, but the recipe's
    values are integers over 10^k, whose zero has no sign: adding 0.0 turns -0.0 into 0.0."""
    return np.format_float_positional(float(k) / scale + 0.0, trim="0")


def label(b):
    return "1" if b else "0"


def write(name, header, rows):
    """Writes one CSV: a header line, then rows of already formatted fields, '\n' line ends."""
    path = os.path.join(DATA, name)
    tmp = path + ".tmp"
    with open(tmp, "w", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")
    os.replace(tmp, path)


def w1():
    n = 100000
    rng = np.random.default_rng(1001)
    xi = rng.integers(0, 1000001, n)
    noise = rng.normal(0, 0.1, n)
    x = xi / 1e6
    yi = np.rint((3 * x + 2 + noise) * 1e6)
    write("w1_linreg.csv", ["x", "y"], ((fmt(a, 1e6), fmt(b, 1e6)) for a, b in zip(xi, yi)))


def w2():
    n = 100000
    rng = np.random.default_rng(1002)
    xi = rng.integers(-1000000, 1000001, (n, 2))
    noise = rng.normal(0, 0.5, n)
    x = xi / 1e6
    lab = 2 * x[:, 0] - 3 * x[:, 1] + 0.5 + noise > 0
    write("w2_logistic.csv", ["x1", "x2", "label"],
          ((fmt(a, 1e6), fmt(b, 1e6), label(c)) for (a, b), c in zip(xi, lab)))


def w3():
    n = 8192
    rng = np.random.default_rng(1003)
    xi = np.rint(rng.normal(0, 1, (n, 64)) * 1e4)
    X = xi / 1e4
    wt1 = rng.normal(0, 1, (64, 32)) / np.sqrt(64)
    bt1 = rng.normal(0, 0.1, 32)
    wt2 = rng.normal(0, 1, 32) / np.sqrt(32)
    s = np.tanh(X @ wt1 + bt1) @ wt2
    lab = s > np.median(s)
    header = [f"x{j}" for j in range(64)] + ["label"]
    write("w3_mlp.csv", header,
          ([fmt(v, 1e4) for v in row] + [label(c)] for row, c in zip(xi, lab)))

    rng = np.random.default_rng(1004)
    W1i = np.rint(rng.normal(0, 1, (64, 128)) / np.sqrt(64) * 1e6)
    W2i = np.rint(rng.normal(0, 1, (128, 1)) / np.sqrt(128) * 1e6)

    def matrix(name, m):
        write(name, [f"c{j}" for j in range(m.shape[1])], ([fmt(v, 1e6) for v in row] for row in m))

    matrix("w3_init_W1.csv", W1i)
    matrix("w3_init_W2.csv", W2i)
    matrix("w3_init_b1.csv", np.zeros((1, 128)))
    matrix("w3_init_b2.csv", np.zeros((1, 1)))


def w4():
    mask = (1 << 64) - 1
    state = 42

    def draw():
        nonlocal state
        state = (state * 6364136223846793005 + 1442695040888963407) & mask
        return fmt((state >> 33) % 60001, 10000.0)

    rows = []
    for _ in range(1000000):
        x = draw()
        y = draw()
        rows.append((x, y))
    write("w4_points.csv", ["x", "y"], rows)


def w5():
    write("w5_starts.csv", ["x0", "y0"],
          ((fmt(32000 + 16 * (i % 1000), 10000.0), fmt(32000 + 160 * (i // 1000), 10000.0))
           for i in range(100000)))


GENERATORS = [
    (w1, ["w1_linreg.csv"]),
    (w2, ["w2_logistic.csv"]),
    (w3, ["w3_mlp.csv", "w3_init_W1.csv", "w3_init_W2.csv", "w3_init_b1.csv", "w3_init_b2.csv"]),
    (w4, ["w4_points.csv"]),
    (w5, ["w5_starts.csv"]),
]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    force = "--force" in sys.argv[1:]
    os.makedirs(DATA, exist_ok=True)
    bad = []
    for gen, names in GENERATORS:
        paths = [os.path.join(DATA, n) for n in names]
        if not force and all(os.path.exists(p) and sha256(p) == CHECKSUMS[n]
                             for n, p in zip(names, paths)):
            print(f"ok (kept)  {', '.join(names)}")
            continue
        gen()
        for n, p in zip(names, paths):
            got = sha256(p)
            if got != CHECKSUMS[n]:
                bad.append(n)
                print(f"MISMATCH   {n}: sha256 {got}, expected {CHECKSUMS[n]}", file=sys.stderr)
            else:
                print(f"ok         {n}")
    if bad:
        print(f"generate_data.py: error: {len(bad)} file(s) do not match WORKLOADS.md's checksums "
              f"(numpy {np.__version__}): {', '.join(bad)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
