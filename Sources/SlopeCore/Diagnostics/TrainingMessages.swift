/// Messages of training, alphabetised.
enum TrainingMessages {
    /// The step does not fit batch-shaped inputs: a note at the first value that does not.
    static func cannotBatch(_ failure: Graph.RebindingFailure, in graph: Graph, at range: SourceRange) -> Diagnostic {
        let why: String
        switch failure.reason {
        case .shapes: why = "at batch shape this value's operands no longer fit together"
        case .fixedShape(let shape): why = "this value's shape \(shape) was fixed for the whole data, so it cannot take a batch"
        case .newlyBroadcast: why = "at batch shape an operand of this value would be broadcast, which would change its meaning"
        }
        return Diagnostic(id: "train.cannot-batch", "sgd could not compile the program at batch shape", at: range,
                          notes: [.init(why, at: graph.userRange(of: failure.node))])
    }

    /// A NaN or infinity: names the step, and the first node that produced it with its line.
    static func nonFinite(step: Int, loss: Double, origin: NodeID?, in graph: Graph, lastLoss: Double?, at range: SourceRange) -> Diagnostic {
        var notes: [Diagnostic.Note] = []
        if let origin {
            let node = graph[origin]
            var what = node.name.map { "'\($0)' (\(node.op.name))" } ?? "'\(node.op.name)'"
            if let forward = node.adjointOf {
                what = "the gradient of " + (graph[forward].name.map { "'\($0)'" } ?? "'\(graph[forward].op.name)'")
            } else if node.name == nil, let range = node.range {
                what = "'\(node.op.name)' in '\(range.text.count > 40 ? String(range.text.prefix(40)) + "…" : range.text)'"
            }
            notes.append(.init("the first non-finite value came from \(what) here", at: node.range))
        }
        if let lastLoss { notes.append(.init("the last finite loss was \(ValueFormatter.number(lastLoss))")) }
        notes.append(.init("try a smaller rate, or check the inputs for values outside the function's domain"))
        return Diagnostic(id: "train.non-finite",
                          "training stopped at step \(step): the loss or its gradient became \(ValueFormatter.number(loss.isFinite ? .nan : loss))",
                          at: range, notes: notes)
    }

    static func singularHessian(step: Int, point: Int?, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "train.singular-hessian",
                   "newton stopped at step \(step): the Hessian is singular"
                    + (point.map { " at element \($0)" } ?? "") + ", so the Newton step is undefined", at: range,
                   notes: [.init("start from another point, or use gd or adam")])
    }

    static func tooManyForNewton(_ count: Int, limit: Int, at range: SourceRange) -> Diagnostic {
        Diagnostic(id: "train.too-many-params",
                   "newton needs the full Hessian: \(count) scalar params is more than its limit of \(limit)", at: range,
                   notes: [.init("use gd, momentum or adam for larger models")])
    }
}
