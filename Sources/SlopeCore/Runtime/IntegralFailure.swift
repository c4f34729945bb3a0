/// What an `integral` step reports: how its last evaluation went (`IntegralReport`, for
/// `run --json` and `--time`), or why it failed (`IntegralFailure`, a diagnostic at the call).

/// One evaluation of an integral: the value and what it cost.
public struct IntegralReport: Sendable {
    /// The integral node, in the plan's graph.
    public let node: NodeID
    /// The integrand's name (`g`; `d_g_w` for a derivative).
    public let integrand: String
    public let value: Tensor
    /// The estimated absolute error (the max-norm over the components of a tensor integrand).
    public let error: Double
    /// Points at which the integrand was evaluated.
    public let evaluations: Int
    /// Intervals of the final subdivision.
    public let intervals: Int
    /// The bounds it was evaluated between, and its final subdivision (`GaussKronrod.Result`).
    public var lower = 0.0, upper = 0.0
    public var subintervals: [ClosedRange<Double>] = []
}

/// Why an integral has no value. Evaluation stops at the first failure; the integral's
/// value, and everything computed from it, is NaN.
public struct IntegralFailure: Error, Sendable {
    public enum Reason: Sendable, Equatable {
        /// A bound (0 the lower, 1 the upper) is NaN or infinite.
        case boundNotFinite(Int, Double)
        /// The integrand is NaN or infinite at this point (a pole, log of a negative number, …).
        case notFinite(at: Double, value: Double)
        /// Bisecting into at most `intervals` intervals did not bring the error estimate within
        /// the tolerance; the worst interval was this one.
        case didNotConverge(worst: ClosedRange<Double>, error: Double, value: Double, intervals: Int)
        /// Nested integrals would evaluate their integrands more often than the limit.
        case tooManyEvaluations(limit: Int)
    }

    public let reason: Reason
    /// The integral step that failed: its node in the plan's graph (for a nested integral, the
    /// outermost integral around it there).
    public var node: NodeID
    /// The call that failed in the source (for a nested integral, the innermost one).
    public let range: SourceRange?
    /// The failing integrand's name and variable, for the message.
    public let integrand: String
    public let variable: String
    /// The enclosing integrals of a nested one, innermost first, with the point of their
    /// variable at which the inner integral failed.
    public var enclosing: [(range: SourceRange?, variable: String, point: Double)] = []
}
