/// What one `minimize`/`maximize` statement did.
public struct TrainingOutcome: Sendable {
    public let spec: TrainingSpec
    /// Parameter updates performed (fewer than asked when the tolerance was reached).
    public let steps: Int
    public let initial: Double
    public let final: Double
    /// The loss before every update with `recordEveryStep` (for --log), else before the first
    /// only, as (step, loss), ending with the final loss. For sgd on real batches
    /// (`lossesPerBatch`) a step's loss is its batch's; the final one, like `initial` and
    /// `final`, is on the full data.
    public let losses: [(step: Int, loss: Double)]
    /// The scalar params when there are one or two (for plots), else empty.
    public let parameterNames: [String]
    /// For --plot: the loss and those params at a bounded number of steps (`TrainingTrace`);
    /// empty without --plot.
    let trace: TrainingTrace
    /// The trained values of the params this statement trained, by name.
    public let trained: [String: Tensor]
    public let converged: Bool
    /// Seconds spent differentiating and planning the step (the "compile" phase of `--time`).
    public let compileSeconds: Double
    /// Warnings about where training ended (Newton's method at a saddle or a maximum).
    public var warnings: [Diagnostic] = []
    /// True when the steps' losses are on mini-batches (sgd with a batch smaller than the data).
    public var lossesPerBatch = false
}

/// A run that had to stop — a training statement that failed, or a printed value whose integral
/// could not be evaluated: the diagnostic, and the params of the last good step.
public struct TrainingFailure: Error, Sendable {
    public let diagnostic: Diagnostic
    public let lastGood: [String: Tensor]
}
