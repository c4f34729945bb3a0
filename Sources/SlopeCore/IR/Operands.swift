/// A node's operands: up to three held inline, more (a `stack`, an integral's captures) in an
/// array. Nearly every node has one or two, so building, copying and freeing a node allocates
/// nothing for them (an array per node was a malloc and a free in every pass that rebuilt the
/// graph). A random-access collection of node ids, written as an array literal.
public struct Operands: RandomAccessCollection, MutableCollection, Hashable, Sendable, ExpressibleByArrayLiteral,
                        CustomStringConvertible {
    private var inlineCount: Int32
    private var first = NodeID(0), second = NodeID(0), third = NodeID(0)
    /// All of them, when there are more than three.
    private var spilled: [NodeID]?

    public init() { inlineCount = 0 }

    public init<S: Sequence>(_ ids: S) where S.Element == NodeID {
        var iterator = ids.makeIterator()
        inlineCount = 0
        while let id = iterator.next() {
            if inlineCount == 3 {
                var all = [first, second, third, id]
                while let more = iterator.next() { all.append(more) }
                spilled = all
                return
            }
            setInline(Int(inlineCount), id)
            inlineCount += 1
        }
    }

    /// From an array: the common case, without a generic iterator. Always inlined, so that for
    /// a literal (`[a, b]`) the array is never allocated: out of line, every `emit(.add, [a, b])`
    /// made and freed one.
    @inline(__always)
    public init(_ ids: [NodeID]) {
        switch ids.count {
        case 0: inlineCount = 0
        case 1: (inlineCount, first) = (1, ids[0])
        case 2: (inlineCount, first, second) = (2, ids[0], ids[1])
        case 3: (inlineCount, first, second, third) = (3, ids[0], ids[1], ids[2])
        default: (inlineCount, spilled) = (0, ids)
        }
    }

    @inline(__always)
    public init(arrayLiteral ids: NodeID...) { self.init(ids) }

    /// Two operands, with no array in between. The optimizer removes a literal's array where
    /// `add` is called, but not always where `add` is inlined: in `GraphBuilder.materialize`,
    /// every `[sum, part]` was an array allocated and freed unused.
    @inline(__always)
    public init(_ first: NodeID, _ second: NodeID) { (inlineCount, self.first, self.second) = (2, first, second) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { spilled?.count ?? Int(inlineCount) }
    public var count: Int { endIndex }

    public subscript(position: Int) -> NodeID {
        get {
            if let spilled { return spilled[position] }
            precondition(position >= 0 && position < Int(inlineCount), "operand index out of range")
            switch position {
            case 0: return first
            case 1: return second
            default: return third
            }
        }
        set {
            if spilled != nil { spilled![position] = newValue; return }
            precondition(position >= 0 && position < Int(inlineCount), "operand index out of range")
            setInline(position, newValue)
        }
    }

    private mutating func setInline(_ position: Int, _ id: NodeID) {
        switch position {
        case 0: first = id
        case 1: second = id
        default: third = id
        }
    }

    public static func == (lhs: Operands, rhs: Operands) -> Bool {
        if lhs.spilled == nil && rhs.spilled == nil {
            // Only the slots below the count hold operands.
            guard lhs.inlineCount == rhs.inlineCount else { return false }
            switch lhs.inlineCount {
            case 0: return true
            case 1: return lhs.first == rhs.first
            case 2: return lhs.first == rhs.first && lhs.second == rhs.second
            default: return lhs.first == rhs.first && lhs.second == rhs.second && lhs.third == rhs.third
            }
        }
        return lhs.count == rhs.count && lhs.elementsEqual(rhs)
    }

    public static func == (lhs: Operands, rhs: [NodeID]) -> Bool { lhs.count == rhs.count && lhs.elementsEqual(rhs) }
    public static func == (lhs: [NodeID], rhs: Operands) -> Bool { rhs == lhs }
    public static func != (lhs: Operands, rhs: [NodeID]) -> Bool { !(lhs == rhs) }
    public static func != (lhs: [NodeID], rhs: Operands) -> Bool { !(rhs == lhs) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for id in self { hasher.combine(id) }
    }

    public var description: String { "[" + map(\.description).joined(separator: ", ") + "]" }

    /// Each operand replaced by `transform` of it, as operands again (no array in between).
    public func remapped(_ transform: (NodeID) throws -> NodeID) rethrows -> Operands {
        if let spilled { return Operands(try spilled.map(transform)) }
        var result = self
        for position in 0..<Int(inlineCount) { result.setInline(position, try transform(self[position])) }
        return result
    }

    /// The operands as an array, for APIs that keep one.
    public var array: [NodeID] { Array(self) }
}
