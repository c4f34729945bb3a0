/// Runs one `integral` step of an executor: reads the bounds and the captures from the
/// executor's arena, runs adaptive Gauss–Kronrod (`GaussKronrod`, G7–K15 to a relative
/// tolerance of 1e-13) with the integrand's body evaluated by its own executors, and writes the
/// value (NaN after a failure) to the step's output.
///
/// Each evaluator owns the executors of its body's plans, made once with the executor that
/// owns the evaluator, so a training loop that integrates at every step reuses them. The
/// captures are copied into the body's arena once per integral; each batch of points is then
/// one run of the batched plan (or one run of the point plan per point).
///
/// Time is bounded: the quadrature bisects to at most 2000 intervals (as QUADPACK's `limit`
/// bounds QAG), and nested integrals share one budget of evaluations per outermost integral.
final class IntegralEvaluator {
    /// Intervals the quadrature may bisect into.
    static let maximumIntervals = 2000
    /// Relative tolerance of the quadrature: the 1e-12 `integral` promises, with a margin.
    static let relativeTolerance = 1e-13
    /// Values the quadrature may hold at once: the integrand's values at the points of one
    /// round of bisection (up to 30 per interval kept), for every component. A tensor integrand
    /// of more than about 67 elements gets fewer intervals (at least one), so an integral's
    /// memory stays within 32 MB beyond 15 values per element, however large its tensor.
    static let maximumHeldValues = 4_000_000

    /// The intervals an integrand of `components` elements may be bisected into.
    static func intervals(forComponents components: Int) -> Int {
        min(maximumIntervals, max(1, maximumHeldValues / (30 * max(components, 1))))
    }

    /// Integrand evaluations, counting those of nested integrals, per outermost integral.
    static let maximumEvaluations = 4_000_000

    /// The evaluations left to an outermost integral and the integrals inside it.
    final class Budget {
        var remaining = IntegralEvaluator.maximumEvaluations
    }

    let program: IntegralProgram
    let node: NodeID
    let range: SourceRange?
    let point: Executor
    let batch: Executor?
    /// Shared with nested integrals; the outermost evaluator refills it for each integral.
    let budget: Budget
    let isOutermost: Bool
    let variable: NodeID?
    let pointCaptures: [NodeID?]
    let batchCaptures: [NodeID?]

    init(_ program: IntegralProgram, node: NodeID, range: SourceRange?, options: ExecutionOptions, budget: Budget?) {
        self.program = program
        self.node = node
        self.range = range
        isOutermost = budget == nil
        let shared = budget ?? Budget()
        self.budget = shared
        let quiet = options.withoutPlanDisplay
        point = Executor(plan: program.point, leafValues: [:], options: quiet, integralBudget: shared)
        batch = program.batch.map { Executor(plan: $0, leafValues: [:], options: quiet, integralBudget: shared) }
        let integrand = program.integrand
        variable = integrand.variableNode
        let captures = integrand.captureNodes
        pointCaptures = captures.map { $0.flatMap { program.point.offsets[$0.int] == nil ? nil : $0 } }
        batchCaptures = captures.map { capture in program.batch.flatMap { plan in capture.flatMap { plan.offsets[$0.int] == nil ? nil : $0 } } }
    }

    /// ∫ₐᵇ g with the captures read from `operands` (pointers to their values in the enclosing
    /// arena, in capture order); the value goes to `output`.
    func integrate(from a: Double, to b: Double, captures operands: [UnsafeMutablePointer<Double>],
                   into output: UnsafeMutablePointer<Double>) throws(IntegralFailure) -> IntegralReport {
        let integrand = program.integrand
        let m = program.components
        output.update(repeating: .nan, count: m)
        for (which, bound) in [a, b].enumerated() where !bound.isFinite { throw failure(.boundNotFinite(which, bound)) }
        if isOutermost { budget.remaining = IntegralEvaluator.maximumEvaluations }
        for (position, operand) in operands.enumerated() {
            let count = integrand.body[integrand.captureNodes[position]!].shape.count
            if let leaf = pointCaptures[position], let target = point.pointer(leaf) { target.update(from: operand, count: count) }
            if let batch, let leaf = batchCaptures[position], let target = batch.pointer(leaf) { target.update(from: operand, count: count) }
        }
        let result: GaussKronrod.Result
        do {
            result = try GaussKronrod.integrate(from: a, to: b, components: m,
                                                relativeTolerance: IntegralEvaluator.relativeTolerance,
                                                maximumIntervals: IntegralEvaluator.intervals(forComponents: m)) { points in
                try evaluate(at: points)
            }
        } catch let failure as IntegralFailure {
            throw failure
        } catch let failure as GaussKronrod.Failure {
            switch failure {
            case .notFinite(let at, let value): throw self.failure(.notFinite(at: at, value: value))
            case .didNotConverge(let worst, let error, let value):
                throw self.failure(.didNotConverge(worst: worst, error: error, value: value,
                                                   intervals: IntegralEvaluator.intervals(forComponents: m)))
            }
        } catch {
            preconditionFailure("internal error: \(error)")
        }
        result.values.withUnsafeBufferPointer { output.update(from: $0.baseAddress!, count: m) }
        var report = IntegralReport(node: node, integrand: integrand.name, value: Tensor(shape: integrand.shape, values: result.values),
                                    error: result.error, evaluations: result.evaluations, intervals: result.intervals)
        report.lower = a
        report.upper = b
        report.subintervals = result.subintervals
        return report
    }

    /// g at each point, `components` values per point.
    func evaluate(at points: [Double]) throws -> [Double] {
        guard budget.remaining >= points.count else {
            throw failure(.tooManyEvaluations(limit: IntegralEvaluator.maximumEvaluations))
        }
        budget.remaining -= points.count
        let m = program.components
        var values = [Double](repeating: 0, count: points.count * m)
        let result = program.integrand.result
        if let batch, let variable, let t = batch.pointer(variable), let y = batch.pointer(result) {
            let size = IntegralProgram.batchSize
            for start in stride(from: 0, to: points.count, by: size) {
                let count = min(size, points.count - start)
                for i in 0..<size { t[i] = points[start + min(i, count - 1)] }
                batch.run()  // elementwise: no nested integral can fail in it
                for i in 0..<count { values[start + i] = y[i] }
            }
            return values
        }
        let t = variable.flatMap { point.pointer($0) }
        guard let y = point.pointer(result) else { preconditionFailure("internal error: the integrand's result has no buffer") }
        for (index, x) in points.enumerated() {
            t?.pointee = x
            point.run()
            if let inner = point.integralFailure { throw nested(inner, at: x) }
            for k in 0..<m { values[index * m + k] = y[k] }
        }
        return values
    }

    func failure(_ reason: IntegralFailure.Reason) -> IntegralFailure {
        IntegralFailure(reason: reason, node: node, range: range, integrand: program.integrand.name,
                        variable: program.integrand.variable)
    }

    /// A failure inside the integrand (a nested integral), with this integral and the point
    /// it was evaluating added as context.
    func nested(_ inner: IntegralFailure, at x: Double) -> IntegralFailure {
        var failure = inner
        failure.node = node
        failure.enclosing.append((range, program.integrand.variable, x))
        return failure
    }
}
