/// `--log FILE.csv`, streamed: a `step,loss` row is written as each step happens (the loss
/// before the update, on the steps whose loss was finite), with steps numbered on across
/// training statements, and the final loss of the last statement at the end. Nothing is kept
/// in memory but a buffer, so a run of any length can be logged, and a run that fails keeps
/// the rows of its good steps.
///
/// It also keeps the losses of the statement that is running when `--plot` needs them to draw
/// a statement that failed (`keepsLosses`), in bounded memory (`TrainingTrace`).
final class LossLog {
    let file: OutputFile?
    let keepsLosses: Bool
    /// The number of the current statement's step 0 in the log.
    private var offset = 0
    /// The final row of the statement before: the same step as the next statement's first
    /// row, so it is written only when no statement follows (or the next one logs no step).
    private var pendingFinal: String?
    /// The current statement's logged losses, when `keepsLosses`, thinned as `TrainingTrace` thins.
    private(set) var trace = TrainingTrace()
    /// The current statement's last logged step, if any.
    private(set) var lastStep: Int?

    init(file: OutputFile?, keepsLosses: Bool) {
        self.file = file
        self.keepsLosses = keepsLosses
        file?.write("step,loss\n")
    }

    /// A training statement starts.
    func begin() {
        trace = TrainingTrace()
        lastStep = nil
    }

    /// The loss at `step` of the current statement, before its update. Called by `Trainer`.
    func record(step: Int, loss: Double) {
        if step == 0 { pendingFinal = nil }
        file?.write("\(offset + step),\(ValueFormatter.number(loss))\n")
        if keepsLosses { trace.record(step: step, loss: loss, point: []) }
        lastStep = step
    }

    /// The current statement finished with `outcome`.
    func finished(_ outcome: TrainingOutcome) {
        offset += outcome.steps
        pendingFinal = "\(offset),\(ValueFormatter.number(outcome.final))\n"
        file?.flush()
    }

    /// The end of the run: the last final row.
    func close() {
        if let pendingFinal { file?.write(pendingFinal) }
        pendingFinal = nil
    }
}
