/// Every name the emitters print for a node, chosen in one place: the user's name where there is
/// one, `d_<name>` for an adjoint, `t<position>` otherwise; a suffix `_2`, `_3`, … keeps names
/// unique, and a value's name in `reserved` (for printed source, the language's keywords and
/// built-in names: `BuiltinFunctions.reservedNames`) gets a trailing `_` (a param or input keeps
/// its declared name).
///
/// A user's name belongs to the user: a generated name (`t3`, `d_x`, or a suffixed one) is never
/// a name some node of the graph carries, wherever that node stands, so a program that calls
/// its own values `t1` or `d_x` keeps them, and the names made up around them are new.
public struct NameTable {
    public private(set) var names: [String]

    /// `taken` names are in use elsewhere (a suffix keeps clear of them); `reserved` names may
    /// not be used at all; `preferred` gives nodes the exact name they must print under (the
    /// printed gradients of `slope grad`), reserved before anything else is named.
    public init(_ graph: Graph, reserving taken: Set<String> = [], avoiding reserved: Set<String> = [],
                preferring preferred: [NodeID: String] = [:]) {
        var used = taken.union(preferred.values)
        var userNames: Set<String> = []
        for node in graph.nodes {
            if let name = node.name { userNames.insert(name) }
        }
        for leaf in graph.leaves { userNames.insert(leaf.name) }
        // The next suffix to try per base, so a base used k times costs k tries, not k².
        var nextSuffix: [String: Int] = [:]
        var names: [String] = []
        names.reserveCapacity(graph.count)
        for (index, node) in graph.nodes.enumerated() {
            if let name = preferred[NodeID(index)] {
                names.append(name)
                continue
            }
            var base: String
            if let name = node.name {
                base = name
            } else if let forward = node.adjointOf {
                base = "d_" + (names[forward.int].hasPrefix("t") && graph[forward].name == nil ? "t\(forward.index)" : names[forward.int])
            } else {
                base = "t\(index)"
            }
            // A param or input keeps its name: its declaration is printed as written, and the
            // only reserved names a declaration can take are the prelude's functions
            // (`param outer`), which live in another namespace than values.
            if reserved.contains(base) && !node.op.isLeaf { base += "_" }
            // The user's own name is theirs while it is free; anything made up avoids them all.
            let own = node.name != nil && base == node.name
            var candidate = base
            var suffix = nextSuffix[base] ?? 2
            while used.contains(candidate) || (!(own && candidate == base) && userNames.contains(candidate)) {
                candidate = "\(base)_\(suffix)"
                suffix += 1
            }
            if candidate != base { nextSuffix[base] = suffix }
            used.insert(candidate)
            names.append(candidate)
        }
        self.names = names
    }

    public subscript(id: NodeID) -> String { names[id.int] }
}
