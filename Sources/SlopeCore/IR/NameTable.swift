/// Every name the emitters print for a node, chosen in one place: the user's name where there is
/// one, `d_<name>` for an adjoint, `t<position>` otherwise; a suffix `_2`, `_3`, … keeps names
/// unique, and a name in `reserved` (for printed source, the language's keywords and built-in
/// names: `BuiltinFunctions.reservedNames`) gets a trailing `_`.
public struct NameTable {
    public private(set) var names: [String]

    /// `taken` names are in use elsewhere (a suffix keeps clear of them); `reserved` names may
    /// not be used at all.
    public init(_ graph: Graph, reserving taken: Set<String> = [], avoiding reserved: Set<String> = []) {
        var used = taken
        var names: [String] = []
        names.reserveCapacity(graph.count)
        for (index, node) in graph.nodes.enumerated() {
            var base: String
            if let name = node.name {
                base = name
            } else if let forward = node.adjointOf {
                base = "d_" + (names[forward.int].hasPrefix("t") && graph[forward].name == nil ? "t\(forward.index)" : names[forward.int])
            } else {
                base = "t\(index)"
            }
            if reserved.contains(base) { base += "_" }
            var candidate = base
            var suffix = 2
            while used.contains(candidate) {
                candidate = "\(base)_\(suffix)"
                suffix += 1
            }
            used.insert(candidate)
            names.append(candidate)
        }
        self.names = names
    }

    public subscript(id: NodeID) -> String { names[id.int] }
}
