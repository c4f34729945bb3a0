#!/usr/bin/env python3
"""JAX peer: the five workloads of WORKLOADS.md, float64 (jax_enable_x64), gradients by jax.grad.

Each workload's whole run (every training step and the final evaluation) is one jitted function
with lax.fori_loop over the steps. The first call (trace + compile + run) is timed apart from
the `--repeats` warm calls; `--once` makes the first call the only one. W4 and W5 are vectorised
over the points with vmap of the per-point function.
Usage and output: see common.py.
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

import common  # noqa: E402


def bce(p, y):
    return -jnp.mean(y * jnp.log(p) + (1 - y) * jnp.log(1 - p))


def gd(loss, params, steps, lr):
    """`steps` GD steps on the tuple `params`, inside lax.fori_loop."""
    g = jax.grad(loss)

    def body(_, ps):
        return tuple(p - lr * d for p, d in zip(ps, g(ps)))

    return lax.fori_loop(0, steps, body, params)


@jax.jit
def w1(x, y):
    cost = lambda ps: jnp.mean((ps[0] * x + ps[1] - y) ** 2)
    m, b = gd(cost, (jnp.float64(0), jnp.float64(0)), 1000, 0.5)
    return {"m": m, "b": b, "cost": cost((m, b))}


@jax.jit
def w2(x1, x2, label):
    z = lambda ps: ps[0] * x1 + ps[1] * x2 + ps[2]
    loss = lambda ps: bce(jax.nn.sigmoid(z(ps)), label)
    ps = gd(loss, (jnp.float64(0),) * 3, 1000, 0.5)
    accuracy = jnp.mean(((z(ps) > 0) == (label == 1)).astype(jnp.float64))
    return {"loss": loss(ps), "accuracy": accuracy, "w1": ps[0], "w2": ps[1], "b": ps[2]}


@jax.jit
def w3(X, y, W1, b1, W2, b2):
    prob = lambda ps: jax.nn.sigmoid(jax.nn.sigmoid(X @ ps[0] + ps[1]) @ ps[2] + ps[3])
    loss = lambda ps: bce(prob(ps), y)
    ps = gd(loss, (W1, b1, W2, b2), 200, 0.5)
    p = prob(ps)
    return {"loss": loss(ps), "accuracy": jnp.mean(((p > 0.5) == (y == 1)).astype(jnp.float64))}


def sauna(x, y):
    return 85 - (1 / 90) * x ** 2 * (x - 6) * y ** 2 * (y - 6)


@jax.jit
def w4(x, y):
    f, (fx, fy) = jax.vmap(jax.value_and_grad(sauna, argnums=(0, 1)))(x, y)
    return {"sum_f": f.sum(), "sum_fx": fx.sum(), "sum_fy": fy.sum()}


def newton_point(x, y):
    """20 Newton steps from one start, gradient and 2x2 Hessian by autodiff."""
    grad = jax.grad(sauna, argnums=(0, 1))
    hess = jax.hessian(sauna, argnums=(0, 1))

    def body(_, xy):
        x, y = xy
        fx, fy = grad(x, y)
        (fxx, fxy), (_, fyy) = hess(x, y)
        det = fxx * fyy - fxy * fxy
        return x - (fyy * fx - fxy * fy) / det, y - (fxx * fy - fxy * fx) / det

    return lax.fori_loop(0, 20, body, (x, y))


@jax.jit
def w5(x0, y0):
    x, y = jax.vmap(newton_point)(x0, y0)
    converged = jnp.sum((jnp.abs(x - 4) < 1e-6) & (jnp.abs(y - 4) < 1e-6))
    return {"converged": converged, "sum_x": x.sum(), "sum_y": y.sum()}


@jax.jit
def matmul(A, B):
    return {"sum": jnp.sum(A @ B)}


def main():
    args = common.parse_args("jax")
    w = args.workload
    if w == "w1":
        fn, data = w1, (common.load("w1_linreg.csv", "x"), common.load("w1_linreg.csv", "y"))
    elif w == "w2":
        fn, data = w2, tuple(common.load("w2_logistic.csv", c) for c in ("x1", "x2", "label"))
    elif w == "w3":
        fn, data = w3, common.w3_data()
    elif w == "w4":
        fn, data = w4, (common.load("w4_points.csv", "x"), common.load("w4_points.csv", "y"))
    elif w == "w5":
        fn, data = w5, (common.load("w5_starts.csv", "x0"), common.load("w5_starts.csv", "y0"))
    else:
        fn, data = matmul, common.matmul_data()
    data = tuple(jax.device_put(a) for a in data)
    jax.block_until_ready(data)
    sync = jax.block_until_ready
    values, first = common.measure(lambda: fn(*data), 1, sync)
    times = []
    if not args.once:
        values, times = common.measure(lambda: fn(*data), args.repeats, sync)
    common.report("jax", w, values, times, jax.__version__, first=first[0])


if __name__ == "__main__":
    main()
