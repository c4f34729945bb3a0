/// Every name the emitters print for a node, chosen in one place: the user's name where there is
/// one, `d_<name>` for an adjoint (the value's gradient, named after what it is the gradient of),
/// and for the rest a made-up name in one of two styles:
///
/// - `positional`, for the IR (`slope ir`, the verifier, plans): `t<position>`, so a name says
///   where its node stands;
/// - `descriptive`, for what learners read (`slope grad`, `slope dot`): a name saying what the
///   value is, from its op and the names of its operands or of the named value it feeds, as a
///   hand derivation would call it —
///       a - y        `error`          (a computed value minus an input: the residual)
///       x*x, x*x*x   `x_squared`, `x_cubed`
///       x - 6, x + 1 `x_minus_6`, `x_plus_1`   (whole constants under 1000), 1 - p `one_minus_p`
///       a + b, a*b   `a_plus_b`, `a_times_b`; x*y and X @ w of one- or two-letter names `xy`, `Xw`
///                    (but the argument of a call the user named is `z_N`, below)
///       exp(x)       `exp_x`, `sigmoid_z`, `sum_error`, `transpose_X` (a call of a named value)
///       -x           `minus_x`
///       v in N = sigmoid(v), N named by the user: `z_N` (the pre-activation, `z_hidden`)
///   else the op's noun, `product`, `quotient`, `total`, `difference`, `average`, `negation`
///   (then `t<position>`).
///   A name is built only from names that say what their value is (not a noun, not `t3`) and
///   have at most 12 characters, and is at most 24 long, so names do not snowball.
///
/// A suffix `_2`, `_3`, … keeps names unique, and a value's name in `reserved` (for printed
/// source, the language's keywords and built-in names: `BuiltinFunctions.reservedNames`) gets a
/// trailing `_` (a param or input keeps its declared name).
///
/// A user's name belongs to the user: a generated name (`t3`, `d_x`, `error`, or a suffixed one)
/// is never a name some node of the graph carries, wherever that node stands, so a program that
/// calls its own values `t1`, `error` or `d_x` keeps them, and the names made up around them are new.
public struct NameTable {
    public private(set) var names: [String]

    /// How made-up names are made.
    public enum Style: Sendable {
        /// `t<position>`.
        case positional
        /// After what the value is: `error`, `x_squared`, `z_hidden`, `product`.
        case descriptive
    }

    /// `taken` names are in use elsewhere (a suffix keeps clear of them); `reserved` names may
    /// not be used at all; `preferred` gives nodes the exact name they must print under (the
    /// printed gradients of `slope grad`), reserved before anything else is named. With `shown`,
    /// only the values on the page (those, the leaves, and what a shown gradient is the gradient
    /// of) take part in keeping names unique, so the suffixes a reader sees count from 2 without
    /// gaps; the others still get a name to build on, which is never printed.
    public init(_ graph: Graph, reserving taken: Set<String> = [], avoiding reserved: Set<String> = [],
                preferring preferred: [NodeID: String] = [:], style: Style = .positional, shown: Set<NodeID>? = nil) {
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
        let callers = style == .descriptive ? Self.namedCallers(in: graph) : [:]
        // Whether a node's name says what it is (so other names may be built on it): not
        // `t<position>` nor an op's noun.
        var telling: [Bool] = []
        telling.reserveCapacity(graph.count)
        var participating = shown
        if let shown {
            for id in shown { if let forward = graph[id].adjointOf { participating?.insert(forward) } }
        }
        for (index, node) in graph.nodes.enumerated() {
            if let name = preferred[NodeID(index)] {
                names.append(name)
                telling.append(true)
                continue
            }
            var base: String
            if let name = node.name {
                base = name
                telling.append(true)
            } else if let forward = node.adjointOf {
                base = "d_" + (style == .positional && graph[forward].name == nil ? "t\(forward.index)" : names[forward.int])
                telling.append(telling[forward.int])
            } else if style == .descriptive, let description = Self.description(of: NodeID(index), in: graph, names: names,
                                                                                 telling: telling, callers: callers) {
                base = description
                telling.append(true)
            } else if style == .descriptive, let noun = Self.noun(of: node.op) {
                base = noun
                telling.append(false)
            } else {
                base = "t\(index)"
                telling.append(false)
            }
            // A param or input keeps its name: its declaration is printed as written, and the
            // only reserved names a declaration can take are the prelude's functions
            // (`param outer`), which live in another namespace than values.
            if reserved.contains(base) && !node.op.isLeaf { base += "_" }
            if let participating, !participating.contains(NodeID(index)), !node.op.isLeaf {
                names.append(base)
                continue
            }
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

    /// The longest name a descriptive name is built from.
    static let longestPart = 12

    /// For each node that is the argument of an elementwise call the user named (`hidden =
    /// sigmoid(v)`), the first such name: one pass over the graph.
    static func namedCallers(in graph: Graph) -> [NodeID: String] {
        var callers: [NodeID: String] = [:]
        for node in graph.nodes {
            guard case .unary(let op) = node.op, op.notation == .call, let name = node.name, name.count <= longestPart,
                  callers[node.operands[0]] == nil else { continue }
            callers[node.operands[0]] = name
        }
        return callers
    }

    /// A descriptive name for the unnamed, non-adjoint node `id`, from the names its operands
    /// already have (`names` holds every earlier node's, `telling` whether each says what the
    /// node is) or the call it feeds (`callers`); nil when no rule applies.
    static func description(of id: NodeID, in graph: Graph, names: [String], telling: [Bool], callers: [NodeID: String]) -> String? {
        describing(id, in: graph, names: names, telling: telling, callers: callers).flatMap { $0.count <= longestName ? $0 : nil }
    }

    /// The longest descriptive name made.
    static let longestName = 24

    static func describing(_ id: NodeID, in graph: Graph, names: [String], telling: [Bool], callers: [NodeID: String]) -> String? {
        let node = graph[id]
        let operands = node.operands
        // An operand's name, when it says what the operand is and is short enough to build on.
        func part(_ operand: NodeID) -> String? {
            let name = names[operand.int]
            return telling[operand.int] && graph[operand].op.constantValue == nil && name.count <= longestPart ? name : nil
        }
        func wholeConstant(_ operand: NodeID) -> Int? {
            guard let c = graph[operand].op.constantValue?.scalarValue, c == c.rounded(), Swift.abs(c) < 1000 else { return nil }
            return Int(c)
        }
        func isInput(_ operand: NodeID) -> Bool {
            if case .leaf(.input, _) = graph[operand].op { return true }
            // An input held as a constant while the readable gradient was optimized (5.2).
            return !graph[operand].shape.isScalar && graph[operand].op.constantValue != nil
        }
        switch node.op {
        case .binary(.sub) where isInput(operands[1]) && !graph[operands[0]].op.isLeaf && graph[operands[0]].op.constantValue == nil:
            return "error"
        case .binary(.mul):
            let (a, b) = (operands[0], operands[1])
            if a == b { return part(a).map { $0 + "_squared" } }
            for (x, s) in [(a, b), (b, a)] where graph[s].op == .mul && graph[s].operands == [x, x] && graph[s].name == nil {
                return part(x).map { $0 + "_cubed" }
            }
            if let caller = callers[id] { return "z_" + caller }
            if let x = part(a), let y = part(b) { return x.count <= 2 && y.count <= 2 ? x + y : x + "_times_" + y }
        case .matmul:
            // X @ w is `Xw`, as the course writes it; longer names make no name.
            if let caller = callers[id] { return "z_" + caller }
            if let x = part(operands[0]), let y = part(operands[1]), x.count <= 2, y.count <= 2 { return x + y }
        case .binary(.pow):
            switch wholeConstant(operands[1]) {
            case 2?: return part(operands[0]).map { $0 + "_squared" }
            case 3?: return part(operands[0]).map { $0 + "_cubed" }
            default: break
            }
        case .binary(.sub) where wholeConstant(operands[0]) == 1:
            if let x = part(operands[1]) { return "one_minus_" + x }
        case .binary(let op) where op == .add || op == .sub:
            if let x = part(operands[0]), let c = wholeConstant(operands[1]) {
                return x + ((op == .add) == (c >= 0) ? "_plus_" : "_minus_") + "\(Swift.abs(c))"
            }
            if let caller = callers[id] { return "z_" + caller }
            if let x = part(operands[0]), let y = part(operands[1]) { return x + (op == .add ? "_plus_" : "_minus_") + y }
        case .unary(.neg):
            if let x = part(operands[0]) { return "minus_" + x }
        case .unary, .reduce, .transpose:
            if let x = part(operands[0]) { return node.op.name + "_" + x }
        default:
            break
        }
        // The argument of a call the user named: N = sigmoid(v) makes v `z_N`.
        if let name = callers[id] { return "z_" + name }
        return nil
    }

    /// The noun for a value no rule describes: `product`, `quotient`, `total`, `difference`,
    /// `average`, `negation`.
    static func noun(of op: Op) -> String? {
        switch op {
        case .binary(.mul), .matmul: return "product"
        case .binary(.div): return "quotient"
        case .binary(.add), .reduce(.sum, _), .sumTo: return "total"
        case .binary(.sub): return "difference"
        case .reduce(.mean, _): return "average"
        case .unary(.neg): return "negation"
        default: return nil
        }
    }
}
