import Testing
@testable import SlopeCore

private func ids(_ values: [Int]) -> [NodeID] { values.map(NodeID.init) }

@Test(arguments: [0, 1, 2, 3, 4, 7])
func operandsHoldWhatTheyAreGivenInOrder(count: Int) {
    let array = ids(Array(0..<count).map { 10 * $0 + 1 })
    var operands = Operands(array)
    #expect(operands.count == count)
    #expect(Array(operands) == array)
    #expect(operands == array)
    #expect(Operands(array) == operands)
    #expect(Operands(array).hashValue == operands.hashValue)
    #expect(operands.remapped { NodeID($0.int + 1) } == array.map { NodeID($0.int + 1) })
    if count >= 2 {
        operands.swapAt(0, count - 1)
        #expect(operands.first == array.last && operands.last == array.first)
        operands[0] = NodeID(99)
        #expect(operands[0] == NodeID(99) && operands.count == count)
    }
}

@Test func operandsOfDifferentLengthsDifferEvenWhenOnePrefixesTheOther() {
    // The slots past the count must not take part: [a] built from [a, b] by dropping is [a].
    let one: Operands = [NodeID(1)]
    let two: Operands = [NodeID(1), NodeID(2)]
    #expect(one != two)
    #expect(Operands(two.prefix(1)) == one)
    #expect(Operands(two.prefix(1)).hashValue == one.hashValue)
    #expect(Operands() == [] as [NodeID])
    let literal: Operands = [NodeID(3), NodeID(4), NodeID(5), NodeID(6)]
    #expect(literal == ids([3, 4, 5, 6]))
    #expect(literal.description == "[%3, %4, %5, %6]")
}

@Test func twoOperandsGivenApartAreTheLiteralOfThem() {
    let pair = Operands(NodeID(4), NodeID(2))
    #expect(pair == [NodeID(4), NodeID(2)] as Operands)
    #expect(pair.hashValue == ([NodeID(4), NodeID(2)] as Operands).hashValue)
}
