/// The training statements of an exported module: each one's step (the loss and its gradient
/// by the params it trains, as `TrainingGraph` builds and optimizes it), its optimizer, the
/// loop, and `main`, which runs the statements in program order.
extension JAXExporter {
    struct TrainingStep {
        let index: Int
        let spec: TrainingSpec
        let text: String
        /// For sgd on batches smaller than the data: the Python call making the batch order.
        let batches: String?

        /// `_train_K(params, inputs)`, with sgd's batch order when it has one.
        var call: String { "_train_\(index)(params, inputs\(batches.map { ", " + $0 } ?? ""))" }
    }

    func trainingSteps() throws(Diagnostic) -> [TrainingStep] {
        var steps: [TrainingStep] = []
        for action in program.actions {
            guard case .train(let spec) = action else { continue }
            steps.append(try trainingStep(spec, index: steps.count + 1))
        }
        return steps
    }

    func trainingStep(_ spec: TrainingSpec, index: Int) throws(Diagnostic) -> TrainingStep {
        let method = spec.method
        let update: String, state: String
        let trained = program.params.filter { program.graph.reachable(from: [spec.target])[$0.node.int] }
        let zeros = "{k: jnp.zeros_like(v) for k, v in trained.items()}"
        switch method.kind {
        case .gd, .sgd:
            update = "lambda p, g, s, t: gd_update(\(number(method.rate)), p, g, s, t)"
            state = "()"
        case .momentum:
            update = "lambda p, g, s, t: momentum_update(\(number(method.rate)), \(number(method.beta)), p, g, s, t)"
            state = zeros
        case .adam:
            update = "lambda p, g, s, t: adam_update(\(number(method.rate)), \(number(method.beta1)), \(number(method.beta2)), "
                + "\(number(method.epsilon)), p, g, s, t)"
            state = "(\(zeros), \(zeros))"
        case .newton:
            return try newtonStep(spec, index: index, trained: trained)
        }
        // The step as the trainer runs it: forward and backward optimized together, at batch
        // shape for sgd on real batches (`Trainer.makeBatched`).
        var text = try stepFunction("_loss_and_gradient_\(index)", program.graph, spec, trained,
                                doc: "The loss of line \(spec.range.line), \(spec.targetText), and its gradient by each param it trains.")
        let batching = try self.batching(spec)
        if let batching {
            text += "\n\n" + (try stepFunction("_loss_and_gradient_\(index)_batch", batching.graph, spec, trained,
                                         doc: "The same at batch shape: \(batching.batch) rows of \(batching.names.joined(separator: ", "))."))
        }
        let statement = GraphSource.oneLine(spec.range)
        let names = trained.map { PythonExpression.string($0.name) }.joined(separator: ", ")
        let batchedNames = (batching?.names ?? []).map(PythonExpression.string).joined(separator: ", ")
        let step = batching == nil ? """
                def loss_and_gradient(p, inputs, i):
                    return _loss_and_gradient_\(index)({**params, **p}, inputs)

                first_on_full_data = None
            """ : """
                def loss_and_gradient(p, inputs, i):
                    rows = batches[i]
                    batch = {**inputs, **{k: jnp.take(inputs[k], rows, axis=0) for k in (\(batchedNames),)}}
                    return _loss_and_gradient_\(index)_batch({**params, **p}, batch)

                # sgd's initial loss, like every final loss, is on the full data.
                first_on_full_data = _loss_and_gradient_\(index)(params, inputs)[0]
            """
        text += """


            @jax.jit
            def _train_\(index)(params, inputs\(batching == nil ? "" : ", batches")):
                \"\"\"\(statement): the trained params, the steps taken, the first and the last loss.\"\"\"
                trained = {k: params[k] for k in (\(names)\(trained.count == 1 ? "," : ""))}
            \(step)
                update = \(update)
                trained, steps, first = descend(loss_and_gradient, update, \(state), trained, inputs,
                                                \(method.steps), \(spec.direction == .maximize ? "-1.0" : "1.0"), \(method.tolerance.map(number) ?? "None"))
                final = _loss_and_gradient_\(index)({**params, **trained}, inputs)[0]
                return {**params, **trained}, steps, first if first_on_full_data is None else first_on_full_data, final
            """
        let batches = batching.map {
            "batch_order(\($0.rows), \($0.batch), SEED, \(method.shuffle ? "True" : "False"), \(method.steps))"
        }
        return TrainingStep(index: index, spec: spec, text: text, batches: batches)
    }

    /// `def NAME(params, inputs)` returning the loss and its gradient by `trained` in `graph`.
    func stepFunction(_ name: String, _ graph: Graph, _ spec: TrainingSpec, _ trained: [Leaf], doc: String) throws(Diagnostic) -> String {
        var withGradients = graph.withOutputs([Output(name: "loss", node: spec.target)])
        withGradients.appendGradients(of: spec.target, wrt: trained.map { graph.leaf(named: $0.name)!.node })
        let optimized = Optimizer.optimize(withGradients).graph
        let loss = optimized.outputs[0].node, gradients = optimized.outputs.dropFirst().map(\.node)
        var function = PythonFunction(optimized)
        try function.define([loss] + gradients)
        let result = "\(function.value(loss)), {" + zip(trained, gradients)
            .map { "\(PythonExpression.string($0.name)): \(function.value($1))" }.joined(separator: ", ") + "}"
        return function.function(name, doc: doc, returning: result)
    }

    /// sgd with a batch smaller than the data (`Trainer.makeBatched`): the program rebound to
    /// batch-shaped values of the inputs that share the largest row count, and those inputs.
    func batching(_ spec: TrainingSpec) throws(Diagnostic) -> (graph: Graph, rows: Int, batch: Int, names: [String])? {
        guard spec.method.kind == .sgd else { return nil }
        let live = program.graph.reachable(from: [spec.target])
        let inputs = program.leaves.filter { $0.kind == .input && live[$0.node.int] && $0.value.shape.rank >= 1 }
        let rows = inputs.map { $0.value.shape[0] }.max() ?? 0
        let batch = spec.method.batch ?? 32
        guard rows > 0, batch < rows else { return nil }
        let batched = inputs.filter { $0.value.shape[0] == rows }
        var values: [String: Tensor] = [:]
        for leaf in program.leaves { values[leaf.name] = leaf.value }
        for leaf in batched {
            values[leaf.name] = Tensor(filling: Shape([batch] + Array(leaf.value.shape.dimensions.dropFirst())), with: 0)
        }
        guard let graph = try? program.graph.rebinding(values) else {
            throw ExportMessages.unsupportedMethod("sgd", at: spec.method.range)
        }
        return (graph, rows, batch, batched.map(\.name))
    }

    func number(_ value: Double) -> String { PythonExpression.number(value) }

    func trainFunction(_ steps: [TrainingStep]) -> String {
        var text = "def train(params, inputs):\n    \"\"\"The params after every training statement, in program order.\"\"\"\n"
        for step in steps { text += "    params = \(step.call)[0]\n" }
        return text + "    return params\n"
    }

    /// `main`: the statements in program order, then the output of `slope run` (`--json`: its JSON).
    func mainFunction(_ steps: [TrainingStep]) -> String {
        var body: [String] = []
        var printed = 0, trainingIndex = 0
        for action in program.actions {
            switch action {
            case .print(let items):
                body.append("values = program(params, inputs)[1]")
                for item in items {
                    body.append("prints.append((\(PythonExpression.string(item.text)), values[\(printed)]))")
                    body.append("shown.append(\(PythonExpression.string(item.text + " = ")) + literal(values[\(printed)]))")
                    printed += 1
                }
            case .train(let spec):
                let step = steps[trainingIndex]
                trainingIndex += 1
                body.append("params, steps, first, final = \(step.call)")
                body.append("if not math.isfinite(float(final)):")
                body.append("    sys.exit(\(PythonExpression.string("error: training '\(GraphSource.oneLine(spec.range))' reached a loss that is not finite")))")
                body.append("training.append({\"target\": \(PythonExpression.string(spec.targetText)), "
                            + "\"method\": \(PythonExpression.string(spec.method.kind.rawValue)), \"steps\": int(steps), "
                            + "\"initial\": to_json(final if int(steps) == 0 else first), \"final\": to_json(final)})")
                // RunCommand.summary: the loop stops early only when it converged.
                let stopped = spec.method.tolerance != nil ? " (gradient norm under the tolerance)" : " (converged: the gradient is zero)"
                body.append("shown.append(\(PythonExpression.string("\(spec.direction.rawValue) \(spec.targetText) by \(spec.method.kind.rawValue): "))"
                            + " + str(int(steps)) + (\" step\" if int(steps) == 1 else \" steps\")"
                            + " + (\(PythonExpression.string(stopped)) if int(steps) < \(spec.method.steps) else \"\")"
                            + " + \", loss \" + number(final if int(steps) == 0 else first) + \" -> \" + number(final))")
            }
        }
        let paramNames = program.params.map { PythonExpression.string($0.name) }.joined(separator: ", ")
        return """
            def main():
                parser = argparse.ArgumentParser(description="Runs the program as slope run does.")
                parser.add_argument("--json", action="store_true", help="print the JSON of slope run --json (without time)")
                parser.add_argument("--devices", type=int, default=None, help="split the data inputs' rows over N devices")
                arguments = parser.parse_args()
                params, inputs = _initial_values()
                if arguments.devices:
                    params, inputs = shard(params, inputs, arguments.devices, DATA_INPUTS)
                program = jax.jit(_program)
                prints, training, shown = [], [], []
            \(body.map { "    " + $0 }.joined(separator: "\n"))
                if arguments.json:
                    print(json.dumps({"prints": [{"expr": e, "value": to_json(v)} for e, v in prints],
                                      "params": {k: to_json(params[k]) for k in (\(paramNames)\(program.params.count == 1 ? "," : ""))},
                                      "train": training}))
                    return
                # The text of slope run: prints and training summaries in program order, then the params.
                for line in shown:
                    print(line)
                if training:
                    print("params:")
                    for name in (\(paramNames)\(program.params.count == 1 ? "," : "")):
                        print(f"  {name} = {literal(params[name])}")


            if __name__ == "__main__":
                main()
            """
    }
}
