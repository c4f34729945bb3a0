/// How plans run: how many threads share a large loop, and whether each plan is shown. The
/// driver makes the options once per command (from `SLOPE_THREADS`, `SLOPE_SHOW_PLAN` and
/// `SLOPE_MEMORY_LIMIT`, see
/// `ExecutionOptions(environment:console:)`) and passes them to every executor; nothing in the
/// runtime reads the environment, and there is no process-wide worker.
///
/// The options own the worker thread that runs the second half of a large fused loop or matrix
/// product. Copies share it; it starts on the first job and stops when the last copy is gone.
/// Results do not depend on anything here, the thread count included (see `FusedProgram.run`).
public struct ExecutionOptions: Sendable {
    /// 1 or 2.
    public let threads: Int
    /// Called with each plan's description as an executor is made (`SLOPE_SHOW_PLAN=1`).
    public let showPlan: (@Sendable (String) -> Void)?
    /// The memory the command may use: every plan is admitted against it before its arena is
    /// allocated (`MemoryBudget`; `SLOPE_MEMORY_LIMIT`).
    public let memory: MemoryBudget
    /// The second thread, when `threads` is 2.
    let worker: WorkerThread?

    /// `threads` is clamped to 1…2.
    public init(threads: Int = 1, showPlan: (@Sendable (String) -> Void)? = nil, memory: MemoryBudget = .machine) {
        self.threads = min(max(threads, 1), 2)
        self.showPlan = showPlan
        self.memory = memory
        worker = self.threads > 1 ? WorkerThread() : nil
    }

    /// The same options, sharing the worker, without showing plans: for the executors of an
    /// integral's body, made whenever a plan with an integral is run.
    var withoutPlanDisplay: ExecutionOptions { ExecutionOptions(threads: threads, memory: memory, worker: worker) }

    init(threads: Int, memory: MemoryBudget, worker: WorkerThread?) {
        self.threads = threads
        showPlan = nil
        self.memory = memory
        self.worker = worker
    }
}
