/// `newton(steps)` in an exported module: the jitted step computes the loss, the gradient and
/// the Hessian rows as `TrainingGraph` does (each gradient element differentiated again, by
/// Slope's reverse mode), and the host solves H Δ = g with Slope's dense solver written out in
/// Python (`newton_solve`), so each step is the one `Newton.step` takes, to the bit of the
/// step's inputs. On independent points (`Newton.isSeparable`: every param of one shape, each
/// gradient element depending on the same element of the params) the step computes the
/// Hessian's diagonal blocks instead, ∂ sum(g_p) / ∂θ_q element by element, and the host solves
/// each element's small system as `Newton.separableStep` does (`newton_separable`).
extension JAXExporter {
    func newtonStep(_ spec: TrainingSpec, index: Int, trained: [Leaf]) throws(Diagnostic) -> TrainingStep {
        let graph = program.graph
        let dimension = trained.reduce(0) { $0 + $1.value.shape.count }
        let separable = dimension > 1 && Newton.isSeparable(graph, target: spec.target, params: trained.map(\.node))
        guard dimension <= Newton.maximumParameters || separable else {
            throw ExportMessages.unsupportedMethod("newton", at: spec.method.range)
        }
        var step = graph.withOutputs([Output(name: "loss", node: spec.target)])
        let gradients = step.appendGradients(of: spec.target, wrt: trained.map(\.node))
        var rows = 0
        for gradient in gradients {
            if separable {
                var builder = GraphBuilder(step, hashConsing: true)
                let total = builder.add(.reduce(.sum, axis: nil), [gradient], range: builder[gradient].range)
                step = builder.finish()
                step.appendGradients(of: total, wrt: trained.map(\.node))
                rows += 1
                continue
            }
            var builder = GraphBuilder(step, hashConsing: true)
            let shape = builder[gradient].shape
            let flat = builder.reshape(gradient, Shape([shape.count]), at: builder[gradient].range)
            step = builder.finish()
            for element in 0..<shape.count {
                var component = gradient
                if !shape.isScalar {
                    var builder = GraphBuilder(step, hashConsing: true)
                    component = builder.add(.index(element), [flat], range: builder[gradient].range)
                    step = builder.finish()
                }
                step.appendGradients(of: component, wrt: trained.map(\.node))
                rows += 1
            }
        }
        let optimized = Optimizer.optimize(step).graph
        let outputs = optimized.outputs.map(\.node)
        let p = trained.count
        var function = PythonFunction(optimized)
        try function.define(outputs)
        func dictionary(_ nodes: ArraySlice<NodeID>) -> String {
            "{" + zip(trained, nodes).map { "\(PythonExpression.string($0.name)): \(function.value($1))" }.joined(separator: ", ") + "}"
        }
        let hessian = (0..<rows).map { dictionary(outputs[(1 + p + $0 * p)..<(1 + p + ($0 + 1) * p)]) }
        let result = "\(function.value(outputs[0])), \(dictionary(outputs[1...p])), [\(hessian.joined(separator: ", "))]"
        let names = trained.map { PythonExpression.string($0.name) }.joined(separator: ", ") + (trained.count == 1 ? "," : "")
        let statement = GraphSource.oneLine(spec.range)
        let text = "@jax.jit\n" + function.function(
            "_newton_step_\(index)",
            doc: "The loss of line \(spec.range.line), \(spec.targetText), its gradient and its Hessian "
                + (separable ? "(its diagonal blocks: one row per param, element by element)." : "(one row per gradient element)."),
            returning: result)
            + """


            def _train_\(index)(params, inputs):
                \"\"\"\(statement): the trained params, the steps taken, the first and the last loss.\"\"\"
                return \(separable ? "newton_separable" : "newton")(_newton_step_\(index), params, inputs, (\(names)), \(spec.method.steps),
                              \(spec.method.tolerance.map(number) ?? "None"))
            """
        return TrainingStep(index: index, spec: spec, text: text, batches: nil)
    }
}

extension JAXRuntime {
    static let newton = #"""
# ---------------------------------------------------------------------------------------------
# Newton's method (Training/Newton.swift, DenseSolver.swift), on the host in Python floats, which
# are float64 with the same rounding: Gaussian elimination with partial pivoting, singular when a
# pivot is at most n * eps * max|H|; a gradient counts as zero when it is exactly zero, or, with
# H singular, no larger than sqrt(eps) * max|H| * max(1, max|theta|).

_EPS = 2.0 ** -52


def newton_solve(matrix, rhs):
    n = len(rhs)
    a, b = [list(row) for row in matrix], list(rhs)
    scale = max((abs(v) for row in a for v in row), default=0.0)
    if not (math.isfinite(scale) and scale > 0):
        return None
    threshold = n * _EPS * scale
    for column in range(n):
        pivot = column
        for row in range(column + 1, n):
            if abs(a[row][column]) > abs(a[pivot][column]):
                pivot = row
        if not abs(a[pivot][column]) > threshold:
            return None
        if pivot != column:
            a[pivot], a[column] = a[column], a[pivot]
            b[pivot], b[column] = b[column], b[pivot]
        for row in range(column + 1, n):
            factor = a[row][column] / a[column][column]
            if factor == 0:
                continue
            for k in range(column, n):
                a[row][k] -= factor * a[column][k]
            b[row] -= factor * b[column]
    x = [0.0] * n
    for row in range(n - 1, -1, -1):
        total = b[row]
        for k in range(row + 1, n):
            total -= a[row][k] * x[k]
        x[row] = total / a[row][row]
    return x if all(math.isfinite(v) for v in x) else None


def newton_is_zero(gradient, singular, hessian_scale, param_scale):
    largest = max((abs(v) for v in gradient), default=0.0)
    if largest == 0:
        return True
    return singular and largest <= math.sqrt(_EPS) * hessian_scale * max(1.0, param_scale)


def newton(step, params, inputs, names, steps, tolerance):
    """Slope's training loop with Newton's step: theta <- theta - H^-1 g, stopping where the
    gradient is zero (or under the tolerance). The step seeks a critical point, so minimize and
    maximize take the same one. Only the step is jitted: the solve and the stop are on the host."""
    taken, first = 0, None
    while taken < steps:
        loss, gradient, hessian = step(params, inputs)
        loss = float(loss)
        first = loss if first is None else first
        g = [float(v) for name in names for v in np.ravel(gradient[name])]
        norm = 0.0
        for v in g:
            norm += v * v
        if not (math.isfinite(norm) and math.isfinite(loss)):
            sys.exit(f"error: training reached a loss that is not finite at step {taken}")
        if tolerance is not None and math.sqrt(norm) < tolerance:
            break
        if newton_is_zero(g, False, 0.0, 0.0):
            break
        h = [[float(v) for name in names for v in np.ravel(row[name])] for row in hessian]
        delta = newton_solve(h, g)
        if delta is None:
            scale = max((abs(v) for row in h for v in row), default=0.0)
            param_scale = max(float(np.max(np.abs(params[name]))) for name in names)
            if newton_is_zero(g, True, scale if math.isfinite(scale) else 0.0, param_scale):
                break
            sys.exit(f"error: Newton's method stopped at step {taken}: the Hessian is singular")
        offset, moved = 0, dict(params)
        for name in names:
            value = np.asarray(params[name], dtype=np.float64)
            moved[name] = jnp.asarray(value - np.array(delta[offset:offset + value.size]).reshape(value.shape))
            offset += value.size
        params = moved
        taken += 1
    final = float(step(params, inputs)[0])
    return params, taken, first if first is not None else final, final


def _separable_step(theta, g, h):
    """Newton.separableStep: each element's own system, solved in two passes so nothing moves
    when one element fails. Returns "moved", "converged", or the first singular element."""
    p, count = len(theta), theta[0].size
    if p == 1:
        live = g[0] != 0
        singular = np.flatnonzero(live & (h[0][0] == 0))
        if singular.size:
            return int(singular[0])
        if not live.any():
            return "converged"
        theta[0][live] -= g[0][live] / h[0][0][live]
        return "moved"
    if p == 2:
        live = (g[0] != 0) | (g[1] != 0)
        determinant = h[0][0] * h[1][1] - h[0][1] * h[1][0]
        solvable = (determinant != 0) & np.isfinite(determinant)
        for i in np.flatnonzero(live & ~solvable):
            scale = max(abs(h[0][0][i]), abs(h[0][1][i]), abs(h[1][0][i]), abs(h[1][1][i]))
            largest = max(abs(g[0][i]), abs(g[1][i]))
            param_scale = max(abs(theta[0][i]), abs(theta[1][i]))
            if not largest <= math.sqrt(_EPS) * (scale if math.isfinite(scale) else 0.0) * max(1.0, param_scale):
                return int(i)
        move = live & solvable
        if not move.any():
            return "converged"
        d = determinant[move]
        x = theta[0][move] - (h[1][1][move] * g[0][move] - h[0][1][move] * g[1][move]) / d
        y = theta[1][move] - (h[0][0][move] * g[1][move] - h[1][0][move] * g[0][move]) / d
        theta[0][move], theta[1][move] = x, y
        return "moved"
    deltas, moved = np.zeros((count, p)), False
    for i in range(count):
        rhs = [float(g[row][i]) for row in range(p)]
        matrix = [[float(h[row][column][i]) for column in range(p)] for row in range(p)]
        if newton_is_zero(rhs, False, 0.0, 0.0):
            continue
        delta = newton_solve(matrix, rhs)
        if delta is not None:
            deltas[i] = delta
            moved = True
            continue
        scale = max((abs(v) for row in matrix for v in row), default=0.0)
        param_scale = max(abs(float(theta[row][i])) for row in range(p))
        if newton_is_zero(rhs, True, scale if math.isfinite(scale) else 0.0, param_scale):
            continue
        return i
    if not moved:
        return "converged"
    for q in range(p):
        theta[q] -= deltas[:, q]
    return "moved"


def newton_separable(step, params, inputs, names, steps, tolerance):
    """`newton` on independent points: the step returns the Hessian's diagonal blocks, h[p][q]
    holding d g_p[i] / d theta_q[i] for every element i, and each element moves on its own."""
    taken, first = 0, None
    while taken < steps:
        loss, gradient, blocks = step(params, inputs)
        loss = float(loss)
        first = loss if first is None else first
        g = [np.asarray(gradient[name], dtype=np.float64).ravel() for name in names]
        norm = 0.0
        for values in g:
            for v in values:
                norm += float(v) * float(v)
        if not (math.isfinite(norm) and math.isfinite(loss)):
            sys.exit(f"error: training reached a loss that is not finite at step {taken}")
        if tolerance is not None and math.sqrt(norm) < tolerance:
            break
        h = [[np.asarray(row[name], dtype=np.float64).ravel() for name in names] for row in blocks]
        theta = [np.array(params[name], dtype=np.float64).ravel() for name in names]
        outcome = _separable_step(theta, g, h)
        if outcome == "converged":
            break
        if outcome != "moved":
            sys.exit(f"error: Newton's method stopped at step {taken}: the Hessian is singular at element {outcome}")
        params = dict(params)
        for name, value in zip(names, theta):
            params[name] = jnp.asarray(value.reshape(np.shape(params[name])))
        taken += 1
    final = float(step(params, inputs)[0])
    return params, taken, first if first is not None else final, final
"""#
}
