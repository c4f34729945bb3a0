/// `--plot FILE.svg`: the loss curve of the last training statement and, for one or two scalar
/// params, the function with the optimizer's path.
enum TrainingPlots {
    static func write(_ outcomes: [TrainingOutcome], program: Program, values: [String: Tensor], to path: String) -> String? {
        // TODO(#5): draw with SVGPlot once it lands.
        return "--plot is not available yet"
    }
}
