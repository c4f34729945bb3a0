#!/usr/bin/env python3
"""NumPy peer: the five workloads of WORKLOADS.md with hand-written (closed-form) gradients.

W4 and W5 are vectorised over the points. Usage and output: see common.py.
"""
import numpy as np

import common


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def bce(p, y):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def w1(x, y):
    m = b = 0.0
    for _ in range(1000):
        r = m * x + b - y
        # d/dm mean(r^2) = 2 mean(r x), d/db = 2 mean(r)
        gm = 2 * np.mean(r * x)
        gb = 2 * np.mean(r)
        m, b = m - 0.5 * gm, b - 0.5 * gb
    cost = np.mean((m * x + b - y) ** 2)
    return {"m": m, "b": b, "cost": cost}


def w2(x1, x2, label):
    w1 = w2 = b = 0.0
    n = len(label)
    for _ in range(1000):
        p = sigmoid(w1 * x1 + w2 * x2 + b)
        dz = (p - label) / n            # d bce / d z for a sigmoid output
        g1, g2, gb = dz @ x1, dz @ x2, np.sum(dz)
        w1, w2, b = w1 - 0.5 * g1, w2 - 0.5 * g2, b - 0.5 * gb
    z = w1 * x1 + w2 * x2 + b
    loss = bce(sigmoid(z), label)
    accuracy = np.mean((z > 0) == (label == 1))
    return {"loss": loss, "accuracy": accuracy, "w1": w1, "w2": w2, "b": b}


def w3(X, y, W1, b1, W2, b2):
    W1, b1, W2, b2 = W1.copy(), b1.copy(), W2.copy(), b2.copy()
    n = X.shape[0]
    for _ in range(200):
        H = sigmoid(X @ W1 + b1)
        p = sigmoid(H @ W2 + b2)
        dz2 = (p - y) / n
        dW2 = H.T @ dz2
        db2 = dz2.sum(axis=0)
        dZ1 = (dz2 @ W2.T) * H * (1 - H)
        dW1 = X.T @ dZ1
        db1 = dZ1.sum(axis=0)
        W1 -= 0.5 * dW1
        b1 -= 0.5 * db1
        W2 -= 0.5 * dW2
        b2 -= 0.5 * db2
    H = sigmoid(X @ W1 + b1)
    p = sigmoid(H @ W2 + b2)
    return {"loss": bce(p, y), "accuracy": np.mean((p > 0.5) == (y == 1))}


def w4(x, y):
    # f = 85 - (1/90) g(x) g(y), g(t) = t^2 (t - 6), g'(t) = 3t^2 - 12t
    gx, gy = x * x * (x - 6), y * y * (y - 6)
    f = 85 - (1 / 90) * gx * gy
    fx = -(1 / 90) * (3 * x * x - 12 * x) * gy
    fy = -(1 / 90) * gx * (3 * y * y - 12 * y)
    return {"sum_f": f.sum(), "sum_fx": fx.sum(), "sum_fy": fy.sum()}


def w5(x, y):
    for _ in range(20):
        gx, gy = x * x * (x - 6), y * y * (y - 6)
        dgx, dgy = 3 * x * x - 12 * x, 3 * y * y - 12 * y
        ddgx, ddgy = 6 * x - 12, 6 * y - 12
        fx, fy = -(1 / 90) * dgx * gy, -(1 / 90) * gx * dgy
        fxx, fyy, fxy = -(1 / 90) * ddgx * gy, -(1 / 90) * gx * ddgy, -(1 / 90) * dgx * dgy
        det = fxx * fyy - fxy * fxy
        x, y = x - (fyy * fx - fxy * fy) / det, y - (fxx * fy - fxy * fx) / det
    converged = np.sum((np.abs(x - 4) < 1e-6) & (np.abs(y - 4) < 1e-6))
    return {"converged": converged, "sum_x": x.sum(), "sum_y": y.sum()}


def main():
    args = common.parse_args("numpy")
    w = args.workload
    if w == "w1":
        x, y = common.load("w1_linreg.csv", "x"), common.load("w1_linreg.csv", "y")
        work = lambda: w1(x, y)
    elif w == "w2":
        cols = [common.load("w2_logistic.csv", c) for c in ("x1", "x2", "label")]
        work = lambda: w2(*cols)
    elif w == "w3":
        data = common.w3_data()
        work = lambda: w3(*data)
    elif w == "w4":
        x, y = common.load("w4_points.csv", "x"), common.load("w4_points.csv", "y")
        work = lambda: w4(x, y)
    elif w == "w5":
        x, y = common.load("w5_starts.csv", "x0"), common.load("w5_starts.csv", "y0")
        work = lambda: w5(x, y)
    else:
        A, B = common.matmul_data()
        work = lambda: {"sum": np.sum(A @ B)}
    values, times = common.measure(work, args.repeats)
    common.report("numpy", w, values, times, np.__version__)


if __name__ == "__main__":
    main()
