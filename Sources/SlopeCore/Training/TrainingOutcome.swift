/// What one `minimize`/`maximize` statement did.
public struct TrainingOutcome: Sendable {
    public let spec: TrainingSpec
    /// Parameter updates performed (fewer than asked when the tolerance was reached).
    public let steps: Int
    public let initial: Double
    public let final: Double
    /// The loss at the steps where it was computed (every step with `recordEveryStep`, else the
    /// first, the progress reports and the last), as (step, loss), ending with the final loss.
    public let losses: [(step: Int, loss: Double)]
    /// The scalar params when there are one or two, and their values along the way (for plots).
    public let parameterNames: [String]
    public let path: [[Double]]
    /// The trained values of the params this statement trained, by name.
    public let trained: [String: Tensor]
    public let converged: Bool
    /// Seconds spent differentiating and planning the step (the "compile" phase of `--time`).
    public let compileSeconds: Double
    /// Warnings about where training ended (Newton's method at a saddle or a maximum).
    public var warnings: [Diagnostic] = []
}

/// Training that had to stop: the diagnostic, and the params of the last good step.
public struct TrainingFailure: Error, Sendable {
    public let diagnostic: Diagnostic
    public let lastGood: [String: Tensor]
}
