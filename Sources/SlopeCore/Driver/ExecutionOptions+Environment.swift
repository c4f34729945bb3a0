import Foundation

/// The environment variables that tune execution, read once per command by the driver:
///
/// - `SLOPE_THREADS=N`: threads for large fused loops and matrix products (1 turns threading
///   off; at most 2). Unset: the active processors, at most 2.
/// - `SLOPE_SHOW_PLAN` (any value): each execution plan (steps, kernels, fused instructions) is
///   printed to stderr as it is made.
/// - `SLOPE_MEMORY_LIMIT=BYTES` (a suffix K, M, G or T allowed: `64G`): the memory budget.
///   Unset or not such a number: 80 % of the machine's physical memory (`MemoryBudget`).
extension ExecutionOptions {
    public init(environment: [String: String], console: Console) {
        var threads = min(2, ProcessInfo.processInfo.activeProcessorCount)
        if let text = environment["SLOPE_THREADS"], let value = Int(text), value >= 1 { threads = min(value, 2) }
        var showPlan: (@Sendable (String) -> Void)?
        if environment["SLOPE_SHOW_PLAN"] != nil { showPlan = { @Sendable plan in console.err(plan + "\n") } }
        let memory = environment["SLOPE_MEMORY_LIMIT"].flatMap(MemoryBudget.init(environmentValue:)) ?? .machine
        self.init(threads: threads, showPlan: showPlan, memory: memory)
    }
}
