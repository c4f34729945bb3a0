/// Messages of the memory budget (`MemoryBudget`), alphabetised.
enum MemoryMessages {
    /// A plan or a value would take the command past its memory limit: at the line that makes
    /// the largest tensor (`op` makes a value of `shape`), with how the limit was set.
    static func overLimit(needed: Int, budget: MemoryBudget, op: String, shape: Shape?, at range: SourceRange?) -> Diagnostic {
        var message = "not enough memory: this needs \(MemoryBudget.describe(needed)), more than the limit of "
            + "\(MemoryBudget.describe(budget.limit))"
        if let shape {
            let size = MemoryBudget.describe(MemoryBudget.bytes(count: shape.count))
            message += "; '\(op)' here makes a tensor of shape \(shape) (\(size))"
        } else {
            message += "; \(op) is read here"
        }
        let limit: String
        switch budget.origin {
        case .physicalMemory(let physical):
            limit = "the limit is \(Int(MemoryBudget.shareOfPhysicalMemory * 100))% of this machine's "
                + "\(MemoryBudget.describe(physical)) of memory; SLOPE_MEMORY_LIMIT sets another (such as SLOPE_MEMORY_LIMIT=64G)"
        case .processLimit(let bytes):
            limit = "the limit is \(Int(MemoryBudget.shareOfPhysicalMemory * 100))% of this process's memory limit of "
                + "\(MemoryBudget.describe(bytes)) (ulimit -v or -d); SLOPE_MEMORY_LIMIT sets another"
        case .environment(let text):
            limit = "the limit was set by SLOPE_MEMORY_LIMIT=\(text)"
        }
        return Diagnostic(id: "run.memory-limit", message, at: range, notes: [.init(limit)])
    }
}
