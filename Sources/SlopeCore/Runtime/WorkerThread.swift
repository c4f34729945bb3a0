import Foundation
import Synchronization

/// A second thread for splitting a loop in two, with a hand-off cheap enough for loops of a
/// tenth of a millisecond (a training step on 100,000 elements): the caller posts the other
/// half as a job, runs its own half, and waits for the worker by spinning. The worker spins for
/// the next job for a while after each one — steps come back to back — then sleeps on a
/// semaphore. `DispatchQueue.concurrentPerform` costs tens of microseconds per call, as much as
/// such a loop takes.
///
/// Owned by `ExecutionOptions`, not by the process: the thread starts with the first job and
/// ends when its owner goes away. Jobs from several threads take turns.
final class WorkerThread: Sendable {
    /// Spins before the worker sleeps, and before a waiting caller yields its time slice.
    static let spinsBeforeSleeping = 200_000

    /// What the thread and its owner share. The thread holds this, not the `WorkerThread`, so
    /// the owner can go away (and tell the thread to stop) while the thread runs.
    private final class Channel: @unchecked Sendable {
        let posted = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
        let sleeping = Atomic<Bool>(false)
        let stopping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
        /// The job of generation `posted`; written before `posted` is bumped, read after.
        var job: (@Sendable () -> Void)?
    }

    private let channel = Channel()
    /// Taken for each job; holds whether the thread has started.
    private let turn = Mutex<Bool>(false)

    init() {}

    deinit {
        channel.stopping.store(true, ordering: .sequentiallyConsistent)
        channel.wake.signal()
    }

    /// Runs `other` on the worker and `local` on the calling thread, and returns when both are done.
    ///
    /// Neither closure escapes: `other` is handed to the worker only until it has run, and the
    /// call waits for that, so both closures' contexts stay on the caller's stack and a job
    /// allocates nothing (a plan's run is allocation-free with two threads too).
    func run(_ other: @Sendable () -> Void, alongside local: () -> Void) {
        withoutActuallyEscaping(other) { job in
            turn.withLock { started in
                let channel = self.channel
                if !started {
                    let thread = Thread { WorkerThread.loop(channel) }
                    thread.name = "slope-worker"
                    thread.start()
                    started = true
                }
                channel.job = job
                let generation = channel.posted.add(1, ordering: .sequentiallyConsistent).newValue
                if channel.sleeping.load(ordering: .sequentiallyConsistent) { channel.wake.signal() }
                local()
                var spins = 0
                while channel.finished.load(ordering: .acquiring) != generation {
                    spins += 1
                    if spins > WorkerThread.spinsBeforeSleeping { sched_yield() }
                }
                channel.job = nil
            }
        }
    }

    /// Runs the posted job; the worker's reference to it ends here, before the job is reported
    /// finished (the poster's closure must not outlive its call).
    @inline(never)
    private static func runJob(_ channel: Channel) {
        channel.job?()
    }

    private static func loop(_ channel: Channel) {
        var seen = 0
        while true {
            var spins = 0
            while channel.posted.load(ordering: .acquiring) == seen {
                if channel.stopping.load(ordering: .sequentiallyConsistent) { return }
                spins += 1
                if spins > WorkerThread.spinsBeforeSleeping {
                    // Sleep unless a job was posted or a stop asked for meanwhile: either this
                    // thread sees it, or the poster sees `sleeping` and signals (a stop always
                    // signals).
                    channel.sleeping.store(true, ordering: .sequentiallyConsistent)
                    if channel.posted.load(ordering: .sequentiallyConsistent) == seen
                        && !channel.stopping.load(ordering: .sequentiallyConsistent) {
                        channel.wake.wait()
                    }
                    channel.sleeping.store(false, ordering: .sequentiallyConsistent)
                    spins = 0
                }
            }
            seen = channel.posted.load(ordering: .acquiring)
            runJob(channel)
            channel.finished.store(seen, ordering: .releasing)
        }
    }
}
