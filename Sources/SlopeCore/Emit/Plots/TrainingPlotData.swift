/// What a training run leaves behind for a picture: the loss at every step and, when the
/// program has one or two scalar params, the values those params took, so `SVGPlot` can draw
/// the path the optimizer walked over the objective.
public struct TrainingPlotData: Sendable {
    /// The picture's heading, e.g. "minimize E by gd(rate: 0.05, steps: 1000)".
    public var title: String
    /// The objective at each of `steps`. Non-finite entries are skipped when drawing.
    public var losses: [Double]
    /// The step of each entry of `losses` and `path`, increasing: 0, 1, …, final for a short
    /// run, a bounded, evenly spaced selection for a long one (`TrainingTrace`).
    public var steps: [Int]
    /// The scalar params when there are one or two of them, else empty.
    public var parameterNames: [String]
    /// The params' values at each of `steps`, one inner array of `parameterNames.count` entries
    /// per step; empty when `parameterNames` is empty.
    public var path: [[Double]]
    /// True for `maximize`: the objective is labelled as such rather than as a loss.
    public var maximize: Bool
    /// True when `losses` are each step's mini-batch loss (sgd), not the loss on the full data:
    /// the curve is labelled `batch loss`.
    public var perBatch = false
    /// The loss on the full data at the start and at the end, for the summary of a curve of
    /// batch losses (nil otherwise: the summary then reads the curve's first and last values).
    public var fullData: (initial: Double, final: Double)?

    /// `steps` defaults to 0, 1, … (one entry per step).
    public init(title: String, losses: [Double], parameterNames: [String], path: [[Double]], maximize: Bool,
                steps: [Int]? = nil) {
        self.title = title
        self.losses = losses
        self.steps = steps ?? Array(losses.indices)
        self.parameterNames = parameterNames
        self.path = path
        self.maximize = maximize
    }
}
