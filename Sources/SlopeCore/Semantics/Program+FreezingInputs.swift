/// Holding a program's data fixed: `input` leaves become constants.
extension Program {
    /// The program with every `input` (except those named in `kept`) replaced by a constant of
    /// its value, in place: node ids do not change, the node keeps its name, and the input
    /// leaves the graph's leaf table. Optimization then folds the data into the arithmetic, so the
    /// gradient of the sum of squares over fixed points reads `28*m + 12*b - 42`.
    /// `slope grad` uses it for its readable output; inputs named in `--wrt` stay inputs.
    public func freezingInputs(except kept: Set<String> = []) -> Program {
        var result = self
        var frozen: Set<String> = []
        for leaf in leaves where leaf.kind == .input && !kept.contains(leaf.name) {
            let node = graph[leaf.node]
            guard leaf.value.shape == node.shape else { continue }
            result.graph.nodes[leaf.node.int] = Node(op: .constant(leaf.value), operands: [], shape: node.shape,
                                                     range: node.range, name: node.name, frame: node.frame)
            frozen.insert(leaf.name)
        }
        result.graph.leaves = leaves.filter { !($0.kind == .input && frozen.contains($0.name)) }
        return result
    }
}
