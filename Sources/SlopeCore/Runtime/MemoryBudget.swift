import Foundation

/// How much memory a command may use, and the check made before anything large is allocated, so
/// that a program too big for the machine stops with a diagnostic at the line that makes its
/// largest tensor rather than trapping in the allocator.
///
/// The limit is `SLOPE_MEMORY_LIMIT` when set (bytes, or with a suffix K, M, G or T for powers of
/// 1000: `SLOPE_MEMORY_LIMIT=32G`), else 80 % of the machine's physical memory
/// (`sysconf(_SC_PHYS_PAGES) · sysconf(_SC_PAGESIZE)`), or 80 % of the process's address-space or
/// data limit (`ulimit -v`, `ulimit -d`) when that is smaller, so an allocation the kernel would
/// refuse is a diagnostic rather than a trap. The driver reads the variable; the budget
/// travels in `ExecutionOptions` (plans) and `LoweringOptions` (initial values).
///
/// What is counted (SPEC.md §8, Memory): the values of the program's params and inputs, each
/// plan's arena and scratch while its executor lives, the copies a command keeps of its outputs
/// (printed values), a CSV file's bytes while it is read and its numbers, and the buffers of a
/// training statement. A caller keeps the bytes held so far and `admit`s each allocation in
/// turn; `admit` adds it to them or throws.
public struct MemoryBudget: Sendable, Equatable {
    /// Where the limit came from, for the diagnostic's note.
    public enum Origin: Sendable, Equatable {
        /// 80 % of this many bytes of physical memory.
        case physicalMemory(Int)
        /// 80 % of the process's address-space or data limit, of this many bytes.
        case processLimit(Int)
        /// `SLOPE_MEMORY_LIMIT`, as written.
        case environment(String)
    }

    /// The limit in bytes.
    public let limit: Int
    public let origin: Origin

    /// The share of physical memory Slope allows itself without `SLOPE_MEMORY_LIMIT`.
    public static let shareOfPhysicalMemory = 0.8

    public init(limit: Int, origin: Origin) {
        self.limit = limit
        self.origin = origin
    }

    /// 80 % of this machine's physical memory, or of the process's memory limit when smaller.
    public static let machine: MemoryBudget = choose(physical: physicalMemory(), processLimit: processLimit())

    /// The default budget from the machine's physical memory and the process's limit (nil when
    /// unlimited): 80 % of the smaller.
    public static func choose(physical: Int, processLimit: Int?) -> MemoryBudget {
        if let processLimit, processLimit < physical {
            return MemoryBudget(limit: Int(Double(processLimit) * shareOfPhysicalMemory), origin: .processLimit(processLimit))
        }
        return MemoryBudget(limit: Int(Double(physical) * shareOfPhysicalMemory), origin: .physicalMemory(physical))
    }

    /// The smaller of the soft address-space and data limits (`RLIMIT_AS`, `RLIMIT_DATA`), or nil.
    public static func processLimit() -> Int? {
        var smallest: Int?
        for resource in [RLIMIT_AS, RLIMIT_DATA] {
            var limit = rlimit()
            // RLIM_INFINITY is all ones: above Int.max, so the second test excludes it.
            guard getrlimit(__rlimit_resource_t(resource.rawValue), &limit) == 0,
                  limit.rlim_cur < rlim_t(Int.max) else { continue }
            smallest = min(smallest ?? Int.max, Int(limit.rlim_cur))
        }
        return smallest
    }

    /// The machine's physical memory in bytes (`Int.max / 2` when the system does not say).
    public static func physicalMemory() -> Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0, pages <= Int.max / 2 / size else { return Int.max / 2 }
        return pages * size
    }

    /// `SLOPE_MEMORY_LIMIT`'s value: a positive whole number of bytes, optionally with a
    /// suffix K, M, G or T (powers of 1000, either case, a `B` after it allowed): `64G`, `500M`.
    /// Nil for anything else.
    public init?(environmentValue text: String) {
        var digits = text.trimmingCharacters(in: .whitespaces).uppercased()
        if digits.hasSuffix("B") { digits.removeLast() }
        var scale = 1.0
        if let last = digits.last, let power = ["K": 1.0, "M": 2, "G": 3, "T": 4][String(last)] {
            scale = pow(1000, power)
            digits.removeLast()
        }
        guard let number = Double(digits), number.isFinite, number >= 1, digits.allSatisfy({ $0.isNumber || $0 == "." }),
              number * scale < Double(Int.max / 2) else { return nil }
        self.init(limit: Int(number * scale), origin: .environment(text))
    }

    /// Bytes of `count` float64s.
    public static func bytes(count: Int) -> Int {
        let (product, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Double>.stride)
        return overflow ? Int.max / 2 : product
    }

    /// Bytes a plan's executor allocates: its arena and its scratch, and the executors of its
    /// integrals' bodies.
    static func bytes(of plan: ExecutionPlan) -> Int {
        plan.integrals.reduce(bytes(count: plan.arenaSize + max(plan.scratchSize, 1))) { $0 + $1.bytes }
    }

    /// Bytes of every param's and input's value in a graph's leaf table (the program's data).
    public static func bytes(ofLeaves graph: Graph) -> Int {
        graph.leaves.reduce(0) { $0 + bytes(count: $1.value.shape.count) }
    }

    /// Whether `bytes` more fit beside `held`.
    func fits(_ bytes: Int, besides held: Int) -> Bool { bytes <= limit && held <= limit - bytes }

    /// Admits an executor of `plan` (and `extra` bytes the caller allocates with it, such as
    /// copies of its outputs) beside the `held` bytes, which grow by what was admitted; throws
    /// the diagnostic at the line that makes the plan's largest tensor when it does not fit.
    public func admit(_ plan: ExecutionPlan, extra: Int = 0, held: inout Int) throws(Diagnostic) {
        let needed = Self.bytes(of: plan) + extra
        guard !fits(needed, besides: held) else {
            held += needed
            return
        }
        let largest = Self.largestTensor(of: plan)
        let node = plan.graph[largest]
        // A param or input is named by its name; anything else by its op, at its line.
        var what = node.op.name
        if case .leaf(_, let name) = node.op { what = name }
        throw MemoryMessages.overLimit(needed: held + needed, budget: self, op: what, shape: node.shape,
                                       at: plan.graph.userRange(of: largest))
    }

    /// Admits a value of `count` float64s that `what` (`'normal'`, `the file 'big.csv'`) makes
    /// at `range`, beside the `held` bytes.
    public func admit(count: Int, shape: Shape?, what: String, at range: SourceRange?, held: inout Int) throws(Diagnostic) {
        try admit(bytes: Self.bytes(count: count), shape: shape, what: what, at: range, held: &held)
    }

    /// Admits `bytes` that `what` allocates at `range`, beside the `held` bytes.
    public func admit(bytes: Int, shape: Shape?, what: String, at range: SourceRange?, held: inout Int) throws(Diagnostic) {
        guard !fits(bytes, besides: held) else {
            held += bytes
            return
        }
        throw MemoryMessages.overLimit(needed: held.addingReportingOverflow(bytes).overflow ? Int.max : held + bytes,
                                       budget: self, op: what, shape: shape, at: range)
    }

    /// Whether the unfused plan that diagnoses a NaN in `plan` fits beside `plan`'s own executor,
    /// a copy of its leaves and the `held` bytes (else the diagnosis is skipped).
    static func admitsDiagnosis(_ unfused: ExecutionPlan, of plan: ExecutionPlan, memory: MemoryBudget, besides held: Int) -> Bool {
        let leaves = plan.leaves.reduce(0) { $0 + bytes(count: plan.graph[$1].shape.count) }
        var total = held
        return (try? memory.admit(unfused, extra: bytes(of: plan) + leaves, held: &total)) != nil
    }

    /// The node of the plan's largest materialised value (the first of equals, in plan order).
    static func largestTensor(of plan: ExecutionPlan) -> NodeID {
        var best = plan.outputs.first ?? NodeID(0)
        var bestCount = -1
        for (index, offset) in plan.offsets.enumerated() where offset != nil {
            let count = plan.graph.nodes[index].shape.count
            if count > bestCount { best = NodeID(index); bestCount = count }
        }
        return best
    }

    /// "12.8 GB": bytes in decimal units with at most three significant digits ("1 GB", not "1.00 GB").
    public static func describe(_ bytes: Int) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 999.5 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) bytes" }
        var digits = String(format: value >= 99.95 ? "%.0f" : value >= 9.995 ? "%.1f" : "%.2f", value)
        if digits.contains(".") {
            while digits.hasSuffix("0") { digits.removeLast() }
            if digits.hasSuffix(".") { digits.removeLast() }
        }
        return digits + " " + units[unit]
    }
}
