/// The params' path through a training run, when there are one or two scalar params: the
/// steps whose values are all finite, in order.
struct ParameterWalk {
    var names: [String]
    /// (step, values) for each usable step.
    var steps: [(index: Int, values: [Double])]

    init?(_ data: TrainingPlotData) {
        guard data.parameterNames.count == 1 || data.parameterNames.count == 2 else { return nil }
        names = data.parameterNames
        steps = data.path.enumerated()
            .filter { $0.element.count == data.parameterNames.count && $0.element.allSatisfy(\.isFinite) }
            .map { (index: $0.offset, values: $0.element) }
        guard !steps.isEmpty else { return nil }
    }

    /// The values of the `axis`-th param at every usable step.
    func values(_ axis: Int) -> [Double] { steps.map { $0.values[axis] } }

    /// "(3, 3)" or "x = 3": a point of the path in words.
    func describe(_ values: [Double]) -> String {
        let numbers = values.map { PlotNumberFormat.compact($0) }
        if names.count == 1 { return "\(names[0]) = \(numbers.first ?? "")" }
        return "(" + numbers.joined(separator: ", ") + ")"
    }
}
