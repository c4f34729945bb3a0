/// A node's position in its graph. Operands always point to earlier positions.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int32
    public init(_ index: Int) { self.index = Int32(index) }
    public var int: Int { Int(index) }
    public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.index < rhs.index }
    public var description: String { "%\(index)" }
}

/// One operation in a graph: small, and immutable but for the two labels a builder may attach
/// after the fact (a user's name, an adjoint mark), which are set in place, and the node ids it
/// holds, which compaction renumbers in place.
public struct Node: Sendable {
    public let op: Op
    /// `frame` and `adjointOf` stored as plain 32-bit numbers (−1 for none) and placed before the
    /// range: optionals padded each to 8 bytes, and a node array of a hundred thousand nodes is
    /// copied by every pass (the layout follows the declaration order).
    private let storedFrame: Int32
    private var storedAdjointOf: Int32
    /// The source the node came from: the user's expression, or for a node created by autodiff
    /// or a pass, the forward node it was derived from.
    public let range: SourceRange?
    public internal(set) var operands: Operands
    public let shape: Shape
    /// The user's name for the value, or a hint chosen by autodiff (`d_m`); the printer
    /// makes names unique.
    public internal(set) var name: String?

    /// The inlined `fn` call this node belongs to, an index into `Graph.frames`, or nil.
    public var frame: Int32? { storedFrame < 0 ? nil : storedFrame }

    /// For an adjoint created by reverse mode: the forward node it is the gradient of.
    public internal(set) var adjointOf: NodeID? {
        get { storedAdjointOf < 0 ? nil : NodeID(Int(storedAdjointOf)) }
        set { storedAdjointOf = newValue?.index ?? -1 }
    }

    public init(op: Op, operands: Operands, shape: Shape, range: SourceRange?, name: String? = nil,
                frame: Int32? = nil, adjointOf: NodeID? = nil) {
        self.op = op
        self.storedFrame = frame ?? -1
        self.storedAdjointOf = adjointOf?.index ?? -1
        self.range = range
        self.operands = operands
        self.shape = shape
        self.name = name
    }

    public func renamed(_ name: String?) -> Node {
        Node(op: op, operands: operands, shape: shape, range: range, name: name, frame: frame, adjointOf: adjointOf)
    }
}

/// One inlined call of a `fn`: drawn as a cluster by `slope dot`.
public struct CallFrame: Sendable {
    public let function: String
    /// The call expression in the caller.
    public let range: SourceRange
    /// The frame of the caller when calls nest, else nil.
    public let parent: Int32?
}
