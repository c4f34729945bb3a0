/// The hash-consing index of a `GraphBuilder`: for each (op, operands) pair, the first node
/// that computes it.
///
/// An open-addressing table of node positions (linear probing, at most half full), each slot
/// holding its hash beside the position. It stores no keys: a candidate is compared against the node it names
/// in the graph, so inserting a node copies neither its op nor its operand array, and the hash
/// is computed from the op's tag and the operand positions without `Hasher` (a multiply-rotate
/// mix, as rustc's FxHash). Removal leaves a tombstone, reused by later insertions.
///
/// A node's probe sequence starts near its newest operand (`localWindow` slots from twice the
/// operand's position, picked by the hash) and then continues linearly from the hash's slot.
/// Builders add nodes in order and a node's operands are mostly the last few nodes, so
/// consecutive lookups touch neighbouring slots instead of a random word of a table of
/// megabytes each (a cache and TLB miss per node, a tenth of compiling a long chain); a node
/// read by many others fills its window and the rest go to random slots, so a wide fan-out
/// costs no long probe. Leaves and constants, without operands, start at the hash's slot.
struct HashConsingTable {
    /// Each slot: the hash in the high 32 bits, the position + 2 in the low ones (0 empty,
    /// 1 removed), so a probe touches one word.
    private var slots: [UInt64] = []
    private var live = 0
    private var used = 0
    private static let empty: UInt64 = 0, removed: UInt64 = 1


    private static func entry(_ id: NodeID, _ hash: UInt32) -> UInt64 { UInt64(hash) << 32 | UInt64(UInt32(id.index) + 2) }
    private static func position(_ slot: UInt64) -> Int { Int(UInt32(truncatingIfNeeded: slot)) - 2 }

    mutating func removeAll(reservingCapacity capacity: Int) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [UInt64](repeating: Self.empty, count: size)
        live = 0
        used = 0
    }

    /// Makes room for `count` more entries without growing on the way.
    mutating func reserve(_ count: Int, nodes: [Node]) {
        if 2 * (used + count) > slots.count { grow(to: live + count, nodes: nodes) }
    }

    /// The first node computing `op(operands)`, or nil.
    func find(_ op: Op, _ operands: Operands, in nodes: [Node]) -> NodeID? {
        guard !slots.isEmpty else { return nil }
        let hash = Self.hash(op, operands)
        var probe = Probe(hash: hash, newest: Self.newest(operands), mask: slots.count - 1)
        while true {
            let word = slots[probe.slot]
            if word == Self.empty { return nil }
            if word != Self.removed, UInt32(word >> 32) == hash, Self.matches(Self.position(word), in: nodes, op, operands) {
                return NodeID(Self.position(word))
            }
            probe.advance()
        }
    }

    /// The first node computing `op(operands)`; when there is none, records `id` (the position
    /// the caller is about to append it at) and returns it.
    mutating func findOrInsert(_ op: Op, _ operands: Operands, id: NodeID, in nodes: [Node]) -> NodeID {
        if 2 * (used + 1) > slots.count { grow(to: live + 1, nodes: nodes) }
        let hash = Self.hash(op, operands)
        var probe = Probe(hash: hash, newest: Self.newest(operands), mask: slots.count - 1)
        var reusable = -1
        while true {
            let word = slots[probe.slot]
            if word == Self.empty { break }
            if word == Self.removed {
                if reusable < 0 { reusable = probe.slot }
            } else if UInt32(word >> 32) == hash, Self.matches(Self.position(word), in: nodes, op, operands) {
                return NodeID(Self.position(word))
            }
            probe.advance()
        }
        var slot = probe.slot
        if reusable >= 0 { slot = reusable } else { used += 1 }
        slots[slot] = Self.entry(id, hash)
        live += 1
        return id
    }

    /// Forgets `id` if it is the entry for its (op, operands).
    mutating func remove(_ id: NodeID, in nodes: [Node]) {
        guard !slots.isEmpty else { return }
        let hash = Self.hash(nodes[id.int].op, nodes[id.int].operands)
        var probe = Probe(hash: hash, newest: Self.newest(nodes[id.int].operands), mask: slots.count - 1)
        while true {
            let word = slots[probe.slot]
            if word == Self.empty { return }
            if word != Self.removed, Self.position(word) == id.int {
                slots[probe.slot] = Self.removed
                live -= 1
                return
            }
            probe.advance()
        }
    }

    private mutating func grow(to count: Int, nodes: [Node]) {
        let old = slots
        removeAll(reservingCapacity: max(count, 2 * live, 8))
        let mask = slots.count - 1
        for word in old where word != Self.empty && word != Self.removed {
            var probe = Probe(hash: UInt32(word >> 32), newest: Self.newest(nodes[Self.position(word)].operands), mask: mask)
            while slots[probe.slot] != Self.empty { probe.advance() }
            slots[probe.slot] = word
            live += 1
            used += 1
        }
    }

    /// Slots this many from a node's local start are tried before its hash's slot.
    static let localWindow = 8

    /// The slots a key is looked for in, in order: `localWindow` slots from near twice its
    /// newest operand's position (the hash picks the start within the window), then every
    /// slot from the hash's own on. Without operands, the hash's slot on.
    struct Probe {
        private(set) var slot: Int
        private var step: Int
        private let start: Int
        private let mask: Int

        init(hash: UInt32, newest: Int, mask: Int) {
            self.mask = mask
            start = Int(hash) & mask
            if newest < 0 {
                slot = start
                step = HashConsingTable.localWindow
            } else {
                slot = (2 &* newest &+ Int(hash >> 29)) & mask
                step = 0
            }
        }

        mutating func advance() {
            step += 1
            slot = step == HashConsingTable.localWindow ? start : (slot + 1) & mask
        }
    }

    /// The position of the latest operand, or -1 without operands.
    private static func newest(_ operands: Operands) -> Int {
        var newest = -1
        for operand in operands where operand.int > newest { newest = operand.int }
        return newest
    }

    /// Whether node `position` computes `op(operands)`, its fields compared in place (passing
    /// the node copied it, retaining and releasing each field).
    private static func matches(_ position: Int, in nodes: [Node], _ op: Op, _ operands: Operands) -> Bool {
        nodes[position].operands == operands && nodes[position].op == op
    }

    // MARK: Hashing

    private static func mix(_ state: UInt64, _ value: UInt64) -> UInt64 {
        ((state << 5 | state >> 59) ^ value) &* 0x517c_c1b7_2722_0a95
    }

    static func hash(_ op: Op, _ operands: Operands) -> UInt32 {
        var state = opHash(op)
        for operand in operands { state = mix(state, UInt64(UInt32(bitPattern: operand.index))) }
        state = mix(state, UInt64(operands.count))
        // The multiply carries information only upwards, and the slot is taken from the low
        // bits: a finalizer (MurmurHash3's fmix64) spreads every bit over them.
        state ^= state >> 33
        state &*= 0xff51_afd7_ed55_8ccd
        state ^= state >> 33
        return UInt32(truncatingIfNeeded: state)
    }

    /// A hash of the op that agrees with `==`: its tag and payload (a constant's shape and
    /// first values; an integrand, which is rare, through `Hasher`).
    private static func opHash(_ op: Op) -> UInt64 {
        switch op {
        case .constant(let value):
            var state = mix(1, shapeHash(value.shape))
            state = mix(state, UInt64(value.values.count))
            for element in value.values.prefix(8) { state = mix(state, element.bitPattern) }
            return state
        case .leaf(let kind, let name):
            return mix(mix(2, kind == .param ? 0 : 1), UInt64(UInt(bitPattern: name.hashValue)))
        case .unary(let unary): return mix(3, caseTag(unary))
        case .binary(let binary): return mix(4, caseTag(binary))
        case .reduce(let reduce, let axis): return mix(mix(5, caseTag(reduce)), UInt64(bitPattern: Int64(axis ?? -1)))
        case .matmul: return 6
        case .transpose: return 7
        case .reshape(let shape): return mix(8, shapeHash(shape))
        case .broadcast(let shape): return mix(9, shapeHash(shape))
        case .sumTo(let shape): return mix(10, shapeHash(shape))
        case .stack: return 11
        case .index(let position): return mix(12, UInt64(bitPattern: Int64(position)))
        case .cumsum(let axis): return mix(13, UInt64(bitPattern: Int64(axis)))
        case .integral(let integrand): return mix(14, UInt64(UInt(bitPattern: integrand.hashValue)))
        }
    }

    /// The case of an enum without payloads, as stored: its bytes (one for these enums).
    private static func caseTag<T>(_ value: T) -> UInt64 {
        withUnsafeBytes(of: value) { bytes in bytes.reduce(0) { $0 << 8 | UInt64($1) } }
    }

    private static func shapeHash(_ shape: Shape) -> UInt64 {
        var state: UInt64 = UInt64(shape.rank)
        for dimension in shape.dimensions { state = mix(state, UInt64(bitPattern: Int64(dimension))) }
        return state
    }
}
