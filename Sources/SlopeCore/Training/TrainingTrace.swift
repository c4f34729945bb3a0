/// What `--plot` draws of a training statement — the loss and the one or two scalar params at
/// some steps — recorded only when a plot is asked for, in bounded memory however long training
/// runs: every step until `capacity` are kept, then every second one (the entries at odd
/// multiples of the stride are dropped and the stride doubles), then every fourth, and so on,
/// plus the final point. A run of n steps keeps between `capacity / 2` and `capacity` of them,
/// evenly spaced, so 300 million steps take the same memory as 3000.
struct TrainingTrace: Sendable {
    static let capacity = 2048

    /// Only steps that are multiples of the stride are kept.
    private(set) var stride = 1
    /// The kept steps, increasing; the last is the final point's (the number of updates).
    private(set) var steps: [Int] = []
    private(set) var losses: [Double] = []
    /// The tracked params' values at each kept step (empty inner arrays when none are tracked).
    private(set) var points: [[Double]] = []

    /// Step `step` (counted from 0, before its update) had `loss` at the params `point`.
    mutating func record(step: Int, loss: Double, point: [Double]) {
        guard step % stride == 0 else { return }
        steps.append(step)
        losses.append(loss)
        points.append(point)
        if steps.count >= Self.capacity { thin() }
    }

    /// The final loss, at the trained params, after `steps` updates: always kept.
    mutating func finish(steps count: Int, loss: Double, point: [Double]) {
        steps.append(count)
        losses.append(loss)
        points.append(point)
    }

    /// Keeps the entries at multiples of twice the stride, which becomes the stride.
    mutating func thin() {
        stride *= 2
        let kept = steps.indices.filter { steps[$0] % stride == 0 }
        steps = kept.map { steps[$0] }
        losses = kept.map { losses[$0] }
        points = kept.map { points[$0] }
    }
}
