import Foundation
import Synchronization

/// A second thread for splitting a loop in two, with a hand-off cheap enough for loops of a
/// tenth of a millisecond (a training step on 100,000 elements): the caller posts the other
/// half as a job, runs its own half, and waits for the worker by spinning. The worker spins for
/// the next job for a while after each one — steps come back to back — then sleeps on a
/// semaphore. `DispatchQueue.concurrentPerform` costs tens of microseconds per call, as much as
/// such a loop takes.
///
/// One worker serves the process (`shared`); jobs from several threads take turns.
final class WorkerThread: @unchecked Sendable {
    static let shared = WorkerThread()

    /// Spins before the worker sleeps, and before a waiting caller yields its time slice.
    static let spinsBeforeSleeping = 200_000

    private let posted = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleeping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let turn = Mutex<Void>(())
    /// The job of generation `posted`; written before `posted` is bumped, read after.
    private var job: (@Sendable () -> Void)?

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "slope-worker"
        thread.start()
    }

    /// Runs `other` on the worker and `local` on the calling thread, and returns when both are done.
    func run(_ other: @escaping @Sendable () -> Void, alongside local: () -> Void) {
        turn.withLock { _ in
            job = other
            let generation = posted.add(1, ordering: .sequentiallyConsistent).newValue
            if sleeping.load(ordering: .sequentiallyConsistent) { wake.signal() }
            local()
            var spins = 0
            while finished.load(ordering: .acquiring) != generation {
                spins += 1
                if spins > WorkerThread.spinsBeforeSleeping { sched_yield() }
            }
            job = nil
        }
    }

    private func loop() {
        var seen = 0
        while true {
            var spins = 0
            while posted.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > WorkerThread.spinsBeforeSleeping {
                    // Sleep unless a job was posted meanwhile: either this thread sees the new
                    // generation, or the poster sees `sleeping` and signals.
                    sleeping.store(true, ordering: .sequentiallyConsistent)
                    if posted.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                    sleeping.store(false, ordering: .sequentiallyConsistent)
                    spins = 0
                }
            }
            seen = posted.load(ordering: .acquiring)
            job?()
            finished.store(seen, ordering: .releasing)
        }
    }
}
