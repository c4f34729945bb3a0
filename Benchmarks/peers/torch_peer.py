#!/usr/bin/env python3
"""PyTorch peer: the five workloads of WORKLOADS.md in eager mode, float64, gradients by autograd.

`--threads N` sets torch.set_num_threads(N); without it PyTorch keeps its default (every core).
W4 and W5 are vectorised over the points: one graph over all of them, and for W5 the per-point
second derivatives come from differentiating the summed first derivatives again (the points are
independent, so d(sum fx)/dx is fxx and d(sum fx)/dy is fxy, pointwise).
Usage and output: see common.py.
"""
import numpy as np
import torch

import common

F64 = torch.float64


def t(a):
    return torch.from_numpy(np.ascontiguousarray(a)).to(F64)


def bce(p, y):
    return -torch.mean(y * torch.log(p) + (1 - y) * torch.log(1 - p))


def gd(params, loss_fn, steps, lr):
    for _ in range(steps):
        loss = loss_fn()
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p -= lr * g


def w1(x, y):
    m = torch.zeros((), dtype=F64, requires_grad=True)
    b = torch.zeros((), dtype=F64, requires_grad=True)
    cost = lambda: torch.mean((m * x + b - y) ** 2)
    gd([m, b], cost, 1000, 0.5)
    with torch.no_grad():
        return {"m": m.item(), "b": b.item(), "cost": cost().item()}


def w2(x1, x2, label):
    w1, w2, b = (torch.zeros((), dtype=F64, requires_grad=True) for _ in range(3))
    z = lambda: w1 * x1 + w2 * x2 + b
    gd([w1, w2, b], lambda: bce(torch.sigmoid(z()), label), 1000, 0.5)
    with torch.no_grad():
        zf = z()
        loss = bce(torch.sigmoid(zf), label)
        accuracy = torch.mean(((zf > 0) == (label == 1)).to(F64))
        return {"loss": loss.item(), "accuracy": accuracy.item(),
                "w1": w1.item(), "w2": w2.item(), "b": b.item()}


def w3(X, y, W1i, b1i, W2i, b2i):
    W1, b1, W2, b2 = (a.clone().requires_grad_(True) for a in (W1i, b1i, W2i, b2i))
    prob = lambda: torch.sigmoid(torch.sigmoid(X @ W1 + b1) @ W2 + b2)
    gd([W1, b1, W2, b2], lambda: bce(prob(), y), 200, 0.5)
    with torch.no_grad():
        p = prob()
        return {"loss": bce(p, y).item(),
                "accuracy": torch.mean(((p > 0.5) == (y == 1)).to(F64)).item()}


def sauna(x, y):
    return 85 - (1 / 90) * x ** 2 * (x - 6) * y ** 2 * (y - 6)


def w4(xi, yi):
    x = xi.clone().requires_grad_(True)
    y = yi.clone().requires_grad_(True)
    T = sauna(x, y)
    fx, fy = torch.autograd.grad(T.sum(), (x, y))
    return {"sum_f": T.sum().item(), "sum_fx": fx.sum().item(), "sum_fy": fy.sum().item()}


def w5(x0, y0):
    x, y = x0.clone(), y0.clone()
    for _ in range(20):
        x.requires_grad_(True)
        y.requires_grad_(True)
        fx, fy = torch.autograd.grad(sauna(x, y).sum(), (x, y), create_graph=True)
        fxx, fxy = torch.autograd.grad(fx.sum(), (x, y), retain_graph=True)
        fyy, = torch.autograd.grad(fy.sum(), (y,))
        with torch.no_grad():
            det = fxx * fyy - fxy * fxy
            x, y = x - (fyy * fx - fxy * fy) / det, y - (fxx * fy - fxy * fx) / det
    converged = ((torch.abs(x - 4) < 1e-6) & (torch.abs(y - 4) < 1e-6)).sum()
    return {"converged": converged.item(), "sum_x": x.sum().item(), "sum_y": y.sum().item()}


def main():
    args = common.parse_args("torch")
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    w = args.workload
    if w == "w1":
        x, y = t(common.load("w1_linreg.csv", "x")), t(common.load("w1_linreg.csv", "y"))
        work = lambda: w1(x, y)
    elif w == "w2":
        cols = [t(common.load("w2_logistic.csv", c)) for c in ("x1", "x2", "label")]
        work = lambda: w2(*cols)
    elif w == "w3":
        data = [t(a) for a in common.w3_data()]
        work = lambda: w3(*data)
    elif w == "w4":
        x, y = t(common.load("w4_points.csv", "x")), t(common.load("w4_points.csv", "y"))
        work = lambda: w4(x, y)
    elif w == "w5":
        x, y = t(common.load("w5_starts.csv", "x0")), t(common.load("w5_starts.csv", "y0"))
        work = lambda: w5(x, y)
    else:
        A, B = (t(a) for a in common.matmul_data())
        work = lambda: {"sum": torch.sum(A @ B).item()}
    values, times = common.measure(work, args.repeats)
    common.report("torch", w, values, times, torch.__version__, threads=torch.get_num_threads())


if __name__ == "__main__":
    main()
