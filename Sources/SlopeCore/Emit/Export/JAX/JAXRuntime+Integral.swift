/// `integral` in the exported module: Slope's adaptive G7–K15 (`Numerics/GaussKronrod.swift`)
/// written out in Python, line for line, run on the host through `jax.pure_callback`, with the
/// integrand evaluated by `jax.vmap` over each batch of points. The same subdivision, the same
/// tolerance (1e-13 relative, 50 ε of ∫|f|), the same limit of intervals and QUADPACK's
/// roundoff detection, so the value is Slope's to the integrand's last bits.
extension JAXRuntime {
    static let integral = #"""
# ---------------------------------------------------------------------------------------------
# integral(g, a, b): adaptive Gauss-Kronrod G7-K15 as Numerics/GaussKronrod.swift does it.

_GK_NODES = [0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
             0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
             0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
             0.207784955007898467600689403773245, 0.0]
_GK_KRONROD = [0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
               0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
               0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
               0.204432940075298892414161999234649, 0.209482141084727828012999174891714]
_GK_GAUSS = [0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
             0.381830050505118944950369775488975, 0.417959183673469387755102040816327]
_EPS = 2.0 ** -52


def _gk_points(a, b):
    centre, half = 0.5 * (a + b), 0.5 * (b - a)
    points = [centre] * 15
    for i in range(7):
        points[i] = centre - half * _GK_NODES[i]
        points[14 - i] = centre + half * _GK_NODES[i]
    return points


def _gk_rule(f, a, b):
    """One interval, one component: (value, error, Kronrod rule of |f|) from its 15 values."""
    half = 0.5 * (b - a)
    centre = f[7]
    kronrod = centre * _GK_KRONROD[7]
    gauss = centre * _GK_GAUSS[3]
    absolute = abs(centre) * _GK_KRONROD[7]
    for i in range(7):
        pair = f[i] + f[14 - i]
        kronrod += _GK_KRONROD[i] * pair
        absolute += _GK_KRONROD[i] * (abs(f[i]) + abs(f[14 - i]))
        if i % 2 == 1:
            gauss += _GK_GAUSS[i // 2] * pair
    mean = kronrod * 0.5
    spread = _GK_KRONROD[7] * abs(centre - mean)
    for i in range(7):
        spread += _GK_KRONROD[i] * (abs(f[i] - mean) + abs(f[14 - i] - mean))
    value = kronrod * half
    absolute_value = absolute * abs(half)
    spread *= abs(half)
    error = abs((kronrod - gauss) * half)
    if spread != 0 and error != 0:
        error = spread * min(1.0, math.pow(200 * error / spread, 1.5))
    return value, max(error, 50 * _EPS * absolute_value), absolute_value


class IntegralError(ArithmeticError):
    pass


def gauss_kronrod(evaluate, a, b, components, relative_tolerance=1e-13, maximum_intervals=2000):
    """The integral per component, from `evaluate(points)` (an array of len(points) x components)."""
    m = components
    if a == b or m == 0:
        return [0.0] * m
    if a > b:
        return [-v for v in gauss_kronrod(evaluate, b, a, m, relative_tolerance, maximum_intervals)]

    def measure(ranges):
        points = [p for (lo, hi) in ranges for p in _gk_points(lo, hi)]
        values = np.asarray(evaluate(np.asarray(points, dtype=np.float64)), dtype=np.float64).reshape(len(points), m)
        bad = np.argwhere(~np.isfinite(values))
        if len(bad):
            raise IntegralError(f"the integrand is not finite at t = {points[bad[0][0]]!r}")
        intervals = []
        for index, (lo, hi) in enumerate(ranges):
            block = values[15 * index:15 * (index + 1)]
            peak = float(np.max(np.abs(block)))
            sums, absolutes, error, floor = [], [], 0.0, 0.0
            for k in range(m):
                value, e, absolute = _gk_rule([float(v) for v in block[:, k]], lo, hi)
                sums.append(value)
                absolutes.append(absolute)
                error = max(error, e)
                floor = max(floor, 50 * _EPS * absolute)
            intervals.append((lo, hi, sums, absolutes, error, error <= floor, peak))
        return intervals

    def norm(vector):
        result = 0.0
        for v in vector:
            result = max(result, abs(v))
        return result

    intervals = measure([(a, b)])
    rounding_events = 0
    first_peak = intervals[0][6]
    while True:
        total, absolute, error = [0.0] * m, [0.0] * m, 0.0
        for interval in intervals:
            for k in range(m):
                total[k] += interval[2][k]
                absolute[k] += interval[3][k]
            error += interval[4]
        tolerance = max(relative_tolerance * norm(total), 50 * _EPS * norm(absolute))
        if error <= tolerance:
            return total
        worst = max(range(len(intervals)), key=lambda i: intervals[i][4])
        share = tolerance / len(intervals)
        keep, split, parents = [], [], []
        for index, interval in enumerate(intervals):
            lo, hi = interval[0], interval[1]
            middle = 0.5 * (lo + hi)
            if (index == worst or interval[4] > share) and lo < middle < hi:
                split += [(lo, middle), (middle, hi)]
                parents.append(interval)
            else:
                keep.append(interval)
        if not split or len(keep) + len(split) > maximum_intervals:
            lo, hi = intervals[worst][0], intervals[worst][1]
            raise IntegralError(f"the integral did not converge (worst on [{lo!r}, {hi!r}], error {error!r})")
        halves = measure(split)
        for index, parent in enumerate(parents):
            left, right = halves[2 * index], halves[2 * index + 1]
            if left[5] or right[5]:
                continue
            change = norm([l + r - p for l, r, p in zip(left[2], right[2], parent[2])])
            if (change <= max(1e-5 * norm([l + r for l, r in zip(left[2], right[2])]), parent[4])
                    and left[4] + right[4] >= 0.99 * parent[4]):
                rounding_events += 1
        intervals = keep + halves
        if rounding_events >= 6 and all(interval[6] <= 4 * first_peak for interval in intervals):
            return [sum(interval[2][k] for interval in intervals) for k in range(m)]


def integral(body, variable, a, b, captures, shape):
    """The integral of `body` (a function of a dict: the variable and the captures by name) over
    the variable from a to b, a tensor of `shape` for a tensor integrand, computed on the host."""
    names = list(captures)
    count = _count(shape)

    def point(t, *values):
        return jnp.reshape(body({**dict(zip(names, values)), variable: t}), (count,))

    # Compiled once, when the caller is traced: the captures are arguments, not constants.
    batched = jax.jit(jax.vmap(point, in_axes=(0,) + (None,) * len(names)))
    # IntegralEvaluator's limit: at most 4,000,000 values held across the subdivision.
    limit = min(2000, max(1, 4000000 // (30 * max(count, 1))))

    def host(a, b, *values):
        values = [jnp.asarray(value) for value in values]
        result = gauss_kronrod(lambda points: np.asarray(batched(jnp.asarray(points), *values)), float(a), float(b),
                               count, maximum_intervals=limit)
        return np.asarray(result, dtype=np.float64).reshape(shape)

    # Under vmap (an integral inside an integrand) the host runs once per point, in order.
    return jax.pure_callback(host, jax.ShapeDtypeStruct(shape, jnp.float64), a, b,
                             *[captures[name] for name in names], vmap_method="sequential")
"""#
}
