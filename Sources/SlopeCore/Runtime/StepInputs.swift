/// The arena offsets a plan step reads: up to two held inline, more (a `stack`, an integral's
/// captures) in an array. Nearly every step reads one or two, so planning a graph of a hundred
/// thousand steps allocates nothing for them (an array per step was a malloc in planning and a
/// retain in every run of the step).
struct StepInputs: RandomAccessCollection {
    private let inlineCount: Int
    private let first: Int, second: Int
    /// All of them, when there are more than two.
    private let spilled: [Int]?

    init<S: Sequence>(_ offsets: S) where S.Element == Int {
        var iterator = offsets.makeIterator()
        guard let a = iterator.next() else { (inlineCount, first, second, spilled) = (0, 0, 0, nil); return }
        guard let b = iterator.next() else { (inlineCount, first, second, spilled) = (1, a, 0, nil); return }
        guard let c = iterator.next() else { (inlineCount, first, second, spilled) = (2, a, b, nil); return }
        var all = [a, b, c]
        while let more = iterator.next() { all.append(more) }
        (inlineCount, first, second, spilled) = (0, 0, 0, all)
    }

    /// The offset of each operand, as `offset` gives it: without a sequence in between (a
    /// lazy map capturing the planner's arrays retained and released them for every operand).
    init(_ operands: Operands, offset: (NodeID) -> Int) {
        switch operands.count {
        case 0: (inlineCount, first, second, spilled) = (0, 0, 0, nil)
        case 1: (inlineCount, first, second, spilled) = (1, offset(operands[0]), 0, nil)
        case 2: (inlineCount, first, second, spilled) = (2, offset(operands[0]), offset(operands[1]), nil)
        default: (inlineCount, first, second, spilled) = (0, 0, 0, operands.map(offset))
        }
    }

    var startIndex: Int { 0 }
    var endIndex: Int { spilled?.count ?? inlineCount }

    subscript(position: Int) -> Int {
        if let spilled { return spilled[position] }
        precondition(position >= 0 && position < inlineCount, "step input index out of range")
        return position == 0 ? first : second
    }
}
