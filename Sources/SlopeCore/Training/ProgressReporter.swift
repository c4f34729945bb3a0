import Foundation

/// Training progress on stderr: a live line (rewritten in place) when stderr is a terminal,
/// a plain line every tenth of the run when it is not, nothing with `--quiet`.
struct ProgressReporter {
    let console: Console
    let quiet: Bool
    let label: String
    let totalSteps: Int
    let start = Date()
    var lastDraw = Date.distantPast
    var nextPlainStep = 0
    /// What a step's loss is: `batch loss` for sgd on mini-batches. The last line always shows
    /// the final loss, on the full data.
    var stepLossName = "loss"

    init(console: Console, quiet: Bool, label: String, totalSteps: Int) {
        self.console = console
        self.quiet = quiet
        self.label = label
        self.totalSteps = totalSteps
    }

    /// Whether a progress line is due at this step (so the loss is worth computing).
    func wantsReport(step: Int) -> Bool {
        guard !quiet else { return false }
        if console.errorIsTerminal { return Date().timeIntervalSince(lastDraw) >= 0.1 }
        return step >= nextPlainStep
    }

    mutating func report(step: Int, loss: Double) {
        guard !quiet else { return }
        let now = Date()
        if console.errorIsTerminal {
            guard now.timeIntervalSince(lastDraw) >= 0.1 || step == 0 else { return }
            lastDraw = now
            console.err("\r\u{1B}[K" + line(step: step, loss: loss, name: stepLossName, now: now))
        } else if step >= nextPlainStep {
            nextPlainStep = step + max(1, totalSteps / 10)
            console.err(line(step: step, loss: loss, name: stepLossName, now: now) + "\n")
        }
    }

    func finish(steps: Int, loss: Double) {
        guard !quiet else { return }
        let text = line(step: steps, loss: loss, name: stepLossName == "loss" ? "loss" : "loss on the full data", now: Date())
        console.err(console.errorIsTerminal ? "\r\u{1B}[K" + text + "\n" : text + "\n")
    }

    func line(step: Int, loss: Double, name: String = "loss", now: Date) -> String {
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(step) / elapsed : 0
        return "\(label): step \(step)/\(totalSteps)  \(name) \(ValueFormatter.number(loss))  "
            + String(format: "%.0f steps/s", rate)
    }
}
