import Foundation
import SlopeAVX2

/// While a long program compiles, a thread of its own makes the heap's new pages present ahead
/// of the compiling thread (`slope_heap_follower_start`). Compiling the 100,000-node chain
/// touched 110 MB of fresh pages: 23,000 page faults, a seventh of its time, on the one thread
/// that compiles. With the follower, that thread takes about 2,400 of them and the second core
/// the rest. What the follower holds beyond the memory in use is the heap's 16 MB pad and
/// capacity reserved ahead and never touched (peak RSS 145 MB against 112 MB for the chain).
///
/// Started when a long source is compiled; stopped when the plan is built (the executor's
/// threads then have both cores), or by itself once the heap stops growing.
enum HeapFollower {
    /// Sources below this are compiled before their pages cost much (a 256 KB source touches
    /// about 13 MB, a few milliseconds of faults).
    static let smallestSource = 256 << 10

    /// On one processor the follower would take its time from the compiler instead of giving
    /// it: it starts only where there are two.
    static func start(compiling source: SourceFile) {
        guard source.bytes.count >= smallestSource, ProcessInfo.processInfo.activeProcessorCount >= 2 else { return }
        slope_heap_follower_start()
    }

    static func stop() { slope_heap_follower_stop() }
}
