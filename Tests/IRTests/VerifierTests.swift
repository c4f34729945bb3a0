import Testing
@testable import SlopeCore
import SlopeTestSupport

/// A graph made of exactly these nodes, bypassing the builder's checks.
private func graph(_ nodes: [Node], frames: [CallFrame] = []) -> Graph {
    var graph = Graph()
    graph.nodes = nodes
    graph.frames = frames
    return graph
}

private func constant(_ values: [Double], _ shape: [Int]) -> Node {
    let value = Tensor(shape: Shape(shape), values: values)
    return Node(op: .constant(value), operands: [], shape: value.shape, range: nil)
}

@Test func aWellFormedGraphVerifies() {
    let nodes = [
        constant([1, 2], [2]),
        constant([3], []),
        Node(op: .binary(.add), operands: [NodeID(0), NodeID(1)], shape: Shape([2]), range: nil),
        Node(op: .reduce(.sum, axis: nil), operands: [NodeID(2)], shape: .scalar, range: nil),
    ]
    #expect(Verifier.verify(graph(nodes)) == nil)
}

@Test func anOperandAfterItsUserIsCaught() throws {
    let nodes = [
        constant([1], []),
        Node(op: .binary(.add), operands: [NodeID(0), NodeID(2)], shape: .scalar, range: nil),
        constant([2], []),
    ]
    let failure = try #require(Verifier.verify(graph(nodes)))
    #expect(failure.node == NodeID(1))
    #expect(failure.problem == "operand %2 does not come before its user")
}

@Test func aNodeUsingItselfIsCaught() throws {
    let nodes = [Node(op: .unary(.neg), operands: [NodeID(0)], shape: .scalar, range: nil)]
    let failure = try #require(Verifier.verify(graph(nodes)))
    #expect(failure.problem == "operand %0 does not come before its user")
}

@Test func aRecordedShapeThatDisagreesWithTheOpIsCaught() throws {
    let nodes = [
        constant([1, 2], [2]),
        Node(op: .unary(.exp), operands: [NodeID(0)], shape: Shape([3]), range: nil),
    ]
    let failure = try #require(Verifier.verify(graph(nodes)))
    #expect(failure.node == NodeID(1))
    #expect(failure.problem == "shape [3] recorded, [2] inferred")
}

@Test func operandsThatDoNotBroadcastAreCaught() throws {
    let nodes = [
        constant([1, 2], [2]),
        constant([1, 2, 3], [3]),
        Node(op: .binary(.mul), operands: [NodeID(0), NodeID(1)], shape: Shape([3]), range: nil),
    ]
    let failure = try #require(Verifier.verify(graph(nodes)))
    #expect(failure.problem == "cannot broadcast shapes [2] and [3]")
}

@Test(arguments: [
    (Op.neg, 2, "neg takes 1 operands, found 2"),
    (Op.add, 1, "add takes 2 operands, found 1"),
    (Op.matmul, 3, "matmul takes 2 operands, found 3"),
    (Op.reduce(.sum, axis: nil), 0, "sum takes 1 operands, found 0"),
])
func theWrongNumberOfOperandsIsCaught(op: Op, count: Int, problem: String) throws {
    let nodes = [constant([1], [])] + [Node(op: op, operands: Operands(Array(repeating: NodeID(0), count: count)), shape: .scalar, range: nil)]
    let failure = try #require(Verifier.verify(graph(nodes)))
    #expect(failure.node == NodeID(1))
    #expect(failure.problem == problem)
}

@Test func aLeafDeclaredTwiceIsCaught() throws {
    let nodes = [
        Node(op: .leaf(.param, "w"), operands: [], shape: .scalar, range: nil),
        Node(op: .leaf(.param, "w"), operands: [], shape: .scalar, range: nil),
    ]
    let failure = try #require(Verifier.verify(graph(nodes)))
    #expect(failure.problem == "leaf 'w' is declared twice")
}

@Test func aMissingCallFrameIsCaught() throws {
    let nodes = [Node(op: .constant(Tensor(1)), operands: [], shape: .scalar, range: nil, frame: 3)]
    let failure = try #require(Verifier.verify(graph(nodes)))
    #expect(failure.problem == "call frame 3 does not exist")
}

@Test func aFailureShowsTheNodeAmongItsNeighbours() throws {
    var nodes = (0..<8).map { constant([Double($0)], []) }
    nodes.append(Node(op: .unary(.exp), operands: [NodeID(2)], shape: Shape([5]), range: nil))
    nodes.append(constant([9], []))
    let failure = try #require(Verifier.verify(graph(nodes)))
    let lines = failure.neighbourhood.split(separator: "\n")
    // Three lines either side where they exist: %5 … %9, with the arrow on %8.
    #expect(lines.count == 5)
    #expect(lines.filter { $0.hasPrefix("-> ") } == ["-> t8: [5] = exp(t2)"])
    #expect(failure.description.hasPrefix("IR verification failed at %8: shape [5] recorded, [] inferred\n"))
}

@Test(arguments: PackagePaths.graphPrograms().map(\.lastPathComponent))
func everyExampleProgramLowersToAVerifiedGraph(name: String) throws {
    let url = PackagePaths.graphs.appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8)
    let (program, diagnostics) = InProcess.lower(text, path: url.path,
                                                 options: LoweringOptions(baseDirectory: PackagePaths.graphs.path))
    #expect(diagnostics.filter(\.isError).isEmpty, "\(DiagnosticsError(diagnostics: diagnostics))")
    let graph = try #require(program).graph
    let failure = Verifier.verify(graph)
    #expect(failure == nil, "\(failure.map(String.init(describing:)) ?? "")")
}
