/// `--log FILE.csv`, streamed: a `step,loss` row is written as each step happens (the loss
/// before the update, on the steps whose loss was finite), with steps numbered on across
/// training statements, and the final loss of the last statement at the end. Nothing is kept
/// in memory but a buffer, so a run of any length can be logged, and a run that fails keeps
/// the rows of its good steps.
///
/// A program that trains with `sgd` logs `step,batch_loss,loss`: each column has one meaning.
/// `batch_loss` is the loss on the step's mini-batch (empty on steps that use the data whole);
/// `loss` is on the full data, where it was computed (every step of gd, the first and the
/// final rows of sgd on batches), and empty elsewhere.
///
/// It also keeps the losses of the statement that is running when `--plot` needs them to draw
/// a statement that failed (`keepsLosses`), in bounded memory (`TrainingTrace`).
final class LossLog {
    let file: OutputFile?
    let keepsLosses: Bool
    /// The `batch_loss` column is there (the program trains with sgd).
    let batchColumn: Bool
    /// The number of the current statement's step 0 in the log.
    private var offset = 0
    /// The final row of the statement before: the same step as the next statement's first
    /// row, so it is written only when no statement follows (or the next one logs no step).
    private var pendingFinal: String?
    /// The current statement's logged losses, when `keepsLosses`, thinned as `TrainingTrace` thins.
    private(set) var trace = TrainingTrace()
    /// The current statement's last logged step, if any.
    private(set) var lastStep: Int?
    /// The current statement's `trace` holds mini-batch losses.
    private(set) var lossesPerBatch = false

    init(file: OutputFile?, keepsLosses: Bool, batchColumn: Bool = false) {
        self.file = file
        self.keepsLosses = keepsLosses
        self.batchColumn = batchColumn
        file?.write(batchColumn ? "step,batch_loss,loss\n" : "step,loss\n")
    }

    /// A training statement starts.
    func begin() {
        trace = TrainingTrace()
        lastStep = nil
        lossesPerBatch = false
    }

    /// The loss at `step` of the current statement, before its update: `loss` on the full data
    /// (nil where it was not computed), `batchLoss` on the step's mini-batch (sgd). Called by
    /// `Trainer`.
    func record(step: Int, loss: Double?, batchLoss: Double? = nil) {
        if step == 0 { pendingFinal = nil }
        file?.write(row(offset + step, loss: loss, batchLoss: batchLoss))
        if keepsLosses, let shown = batchLoss ?? loss { trace.record(step: step, loss: shown, point: []) }
        if batchLoss != nil { lossesPerBatch = true }
        lastStep = step
    }

    /// The current statement finished with `outcome`.
    func finished(_ outcome: TrainingOutcome) {
        offset += outcome.steps
        pendingFinal = row(offset, loss: outcome.final, batchLoss: nil)
        file?.flush()
    }

    func row(_ step: Int, loss: Double?, batchLoss: Double?) -> String {
        let lossText = loss.map(ValueFormatter.number) ?? ""
        guard batchColumn else { return "\(step),\(lossText)\n" }
        return "\(step),\(batchLoss.map(ValueFormatter.number) ?? ""),\(lossText)\n"
    }

    /// The end of the run: the last final row.
    func close() {
        if let pendingFinal { file?.write(pendingFinal) }
        pendingFinal = nil
    }
}
