/// Messages of training, alphabetised.
enum TrainingMessages {
    /// The step does not fit batch-shaped inputs. When a value with one entry per data row is
    /// not batched (a param `b: [rows]`), the error names it and says why; the note is at the
    /// first value that does not fit, with the shapes it would combine.
    static func cannotBatch(_ failure: Graph.RebindingFailure, in graph: Graph, at range: SourceRange) -> Diagnostic {
        let node = graph[failure.node]
        let operands = node.operands.map { failure.shapes[$0.int] }
        var why: String
        switch failure.reason {
        case .shapes:
            why = "at batch shape this value's operands no longer fit together"
            if case .failure(let error) = node.op.inferShape(operands), let at = node.range {
                why += ": " + ShapeMessages.operation(node.op, error, at: at).message
            }
        case .fixedShape(let shape): why = "this value's shape \(shape) was fixed for the whole data, so it cannot take a batch"
        case .newlyBroadcast: why = "at batch shape an operand of this value would be broadcast, which would change its meaning"
        }
        var notes: [Diagnostic.Note] = [.init(why, at: graph.userRange(of: failure.node))]
        guard let rows = failure.rows(in: graph), let culprit = failure.unbatchedValue(in: graph) else {
            if let rows = failure.rows(in: graph) {
                notes.append(.init("the inputs with \(rows.old) rows are batched \(rows.new) rows at a time"))
            }
            return Diagnostic(id: "train.cannot-batch", "sgd could not compile the program at batch shape", at: range, notes: notes)
        }
        let value = graph[culprit]
        let what: String
        var fix: String
        var declared = "written here"
        switch value.op {
        case .leaf(_, let name):
            declared = "'\(name)' is declared here"
        default:
            break
        }
        switch value.op {
        case .leaf(.param, let name):
            what = "the param '\(name)' has shape \(value.shape), one entry per row of the data, but params are not batched"
            fix = "give '\(name)' a shape without the \(rows.old) rows"
        case .leaf(.input, let name):
            what = "the input '\(name)' has shape \(value.shape), with the data's \(rows.old) rows on an axis that is not batched "
                + "(only the first axis of inputs with \(rows.old) rows is)"
            fix = "put the rows of '\(name)' on its first axis"
        default:
            what = "a constant of shape \(value.shape) has one entry per row of the data, but constants are not batched"
            fix = "make it an input with the rows on its first axis"
        }
        fix += ", or train with gd (or sgd with batch: \(rows.old) or more, which uses the data whole)"
        if let range = graph.userRange(of: culprit), range.start != graph.userRange(of: failure.node)?.start {
            notes.insert(.init(declared, at: range), at: 0)
        }
        notes.append(.init(fix))
        return Diagnostic(id: "train.cannot-batch",
                          "sgd cannot train on batches of \(rows.new) of the \(rows.old) rows: \(what)", at: range, notes: notes)
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
