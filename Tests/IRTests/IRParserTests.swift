import Testing
@testable import SlopeCore
import SlopeTestSupport

/// The parser of the IR's text form (SPEC.md 3.3): what each form means, that every op and
/// every constant reads back exactly, and the diagnostics for malformed text.
@Suite struct IRParserTests {
    /// Parses text that must be valid.
    static func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (Graph, [String: NodeID]) {
        let result = IRParser.parse(text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))", sourceLocation: sourceLocation)
        return (try #require(result.graph, sourceLocation: sourceLocation), result.names)
    }

    // MARK: Meaning

    @Test func aLineIsANodeWithItsOpOperandsAndShape() throws {
        let (graph, names) = try Self.parse("""
        x: [2] = param
        t1: [] = constant(3)
        y: [2] = mul(x, t1)
        t3: [] = sum(y)
        """)
        #expect(graph.count == 4)
        #expect(graph[NodeID(0)].op == .leaf(.param, "x"))
        #expect(graph[NodeID(1)].op == .constant(Tensor(3)))
        #expect(graph[NodeID(2)].op == .mul && graph[NodeID(2)].operands == [NodeID(0), NodeID(1)])
        #expect(graph[NodeID(2)].shape == Shape([2]))
        #expect(graph[NodeID(3)].op == .reduce(.sum, axis: nil))
        #expect(names == ["x": NodeID(0), "t1": NodeID(1), "y": NodeID(2), "t3": NodeID(3)])
    }

    @Test func commentsAndBlankLinesAreIgnored() throws {
        let (graph, _) = try Self.parse("""
        # the printer's comments are for people
        x: [] = input                # 1:1 input x = 2

        t1: [] = exp(x)              # 2:5 exp(x)
        """)
        #expect(graph.count == 2)
        #expect(graph[NodeID(0)].range == nil && graph[NodeID(1)].range == nil)
    }

    @Test func theTextIsBuiltAsWrittenWithoutMerging() throws {
        // Hash-consing is off: two equal products stay two nodes, and y*x keeps its order.
        let (graph, _) = try Self.parse("""
        x: [] = param
        y: [] = param
        a: [] = mul(y, x)
        b: [] = mul(y, x)
        """)
        #expect(graph.count == 4)
        #expect(graph[NodeID(3)].operands == [NodeID(1), NodeID(0)])
    }

    @Test func aLeafTakesTheNodesNameUnlessItGivesItsOwn() throws {
        let (graph, _) = try Self.parse("""
        m: [] = param
        m_2: [3] = input "m2"
        t2: [] = param "odd \\"name\\""
        """)
        #expect(graph[NodeID(0)].op == .leaf(.param, "m"))
        #expect(graph[NodeID(1)].op == .leaf(.input, "m2"))
        #expect(graph[NodeID(2)].op == .leaf(.param, "odd \"name\""))
        #expect(IRPrinter.print(graph) == "m: [] = param\nm_2: [3] = input \"m2\"\nt2: [] = param \"odd \\\"name\\\"\"\n")
    }

    @Test func generatedNamesAreNotKeptButOtherNamesAre() throws {
        // t1 on line 2 is node 1: the name the printer makes up anyway. t7 on line 3 is not.
        let (graph, _) = try Self.parse("""
        x: [] = param
        t1: [] = neg(x)
        t7: [] = exp(t1)
        d_x: [] = neg(t7)
        """)
        #expect(graph.nodes.map(\.name) == ["x", nil, "t7", "d_x"])
        #expect(graph.nodes.allSatisfy { $0.adjointOf == nil })
    }

    @Test func maxAndMinWithTwoOperandsAreElementwiseWithOneTheyReduce() throws {
        let (graph, _) = try Self.parse("""
        v: [2, 3] = param
        w: [3] = param
        a: [2, 3] = max(v, w)
        b: [] = max(v)
        c: [3] = min(v, axis: 0)
        d: [2, 3] = min(v, w)
        """)
        #expect(graph.nodes[2...].map(\.op) == [.binary(.max), .reduce(.max, axis: nil), .reduce(.min, axis: 0), .binary(.min)])
    }

    @Test func attributesOfStructuralOps() throws {
        let (graph, _) = try Self.parse("""
        A: [2, 3] = param
        s: [] = param
        t2: [6] = reshape(A, [6])
        t3: [2, 3] = broadcast(s, [2, 3])
        t4: [3] = sum_to(A, [3])
        t5: [3] = index(A, 1)
        t6: [3, 2] = transpose(A)
        t7: [2] = matmul(A, t4)
        t8: [3, 3] = stack(t4, t4, t5)
        t9: [0] = stack()
        """)
        #expect(graph.nodes[2...].map(\.op) == [.reshape(Shape([6])), .broadcast(Shape([2, 3])), .sumTo(Shape([3])), .index(1),
                                                .transpose, .matmul, .stack, .stack])
        #expect(graph[NodeID(8)].operands == [NodeID(4), NodeID(4), NodeID(5)])
    }

    @Test func aConstantIsANestedLiteralOrOneNumberFillingItsShape() throws {
        let (graph, _) = try Self.parse("""
        t0: [2, 3] = constant([[1, 2, 3], [4, 5, 6]])
        t1: [2, 2] = constant(-0.5)
        t2: [0, 3] = constant([])
        t3: [2, 0] = constant([[], []])
        t4: [1] = constant([7])
        """)
        #expect(graph[NodeID(0)].op.constantValue == Tensor(shape: Shape([2, 3]), values: [1, 2, 3, 4, 5, 6]))
        #expect(graph[NodeID(1)].op.constantValue == Tensor(filling: Shape([2, 2]), with: -0.5))
        #expect(graph[NodeID(2)].op.constantValue == Tensor(shape: Shape([0, 3]), values: []))
        #expect(graph[NodeID(3)].op.constantValue == Tensor(shape: Shape([2, 0]), values: []))
        #expect(graph[NodeID(4)].op.constantValue == Tensor(shape: Shape([1]), values: [7]))
        // The printer writes a uniform tensor as its one number, other tensors in full.
        #expect(IRPrinter.print(graph) == """
        t0: [2, 3] = constant([[1, 2, 3], [4, 5, 6]])
        t1: [2, 2] = constant(-0.5)
        t2: [0, 3] = constant([])
        t3: [2, 0] = constant([[], []])
        t4: [1] = constant(7)

        """)
    }

    // MARK: Exactness

    static let specialValues: [Double] = [
        0, -0.0, 1, -1, 0.1, 1.0 / 3, 2.0 / 3, 1e-5, 123456.789, 1e16, 9007199254740994, -1e300,
        .infinity, -.infinity, .nan, -Double.nan, Double(nan: 1, signaling: false), Double(nan: 7, signaling: true),
        -Double(nan: 0x1234, signaling: false), .leastNonzeroMagnitude, -.leastNormalMagnitude,
        .greatestFiniteMagnitude, .ulpOfOne, 1 + .ulpOfOne, .pi,
    ]

    @Test func everyConstantReadsBackBitForBit() throws {
        var random = Random(seed: 11)
        var values = Self.specialValues
        // Arbitrary bit patterns: every exponent and sign, and NaNs with payloads.
        for _ in 0..<2000 { values.append(Double(bitPattern: random.nextBits())) }
        var builder = GraphBuilder()
        for value in values { _ = builder.constant(value, range: nil) }
        _ = builder.constant(Tensor(shape: Shape([values.count]), values: values), range: nil)
        let graph = builder.finish()
        let problems = IRRoundTrip.problems(graph)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "-0"), (0.1, "0.1"), (1e-5, "1e-05"), (13, "13"), (.infinity, "inf"), (-.infinity, "-inf"),
        (.nan, "nan"), (-Double.nan, "-nan"), (Double(bitPattern: 0x7FF4_0000_0000_0001), "nan(0x7ff4000000000001)"),
        (Double(bitPattern: 0xFFF8_0000_0000_0002), "nan(0xfff8000000000002)"),
    ])
    func numbersPrintAsTheShortestTextThatReadsBack(_ value: Double, _ text: String) throws {
        #expect(IRPrinter.number(value) == text)
        let (graph, _) = try Self.parse("t0: [] = constant(\(text))")
        #expect(graph[NodeID(0)].op.constantValue?.values[0].bitPattern == value.bitPattern)
    }

    @Test func minusFlipsTheSignBitOfANaNWithBits() throws {
        let (graph, _) = try Self.parse("t0: [] = constant(-nan(0x7ff4000000000001))")
        #expect(graph[NodeID(0)].op.constantValue?.values[0].bitPattern == 0xFFF4_0000_0000_0001)
    }

    /// A graph with every op of the op table, built with the builder.
    static func everyOp() -> Graph {
        var b = GraphBuilder()
        let a = b.add(.leaf(.param, "a"), [], shape: Shape([2, 3]), range: nil, name: "a")
        let v = b.add(.leaf(.input, "v"), [], shape: Shape([3]), range: nil, name: "v")
        let s = b.add(.leaf(.param, "s"), [], shape: .scalar, range: nil)   // unnamed: prints as t2 = param "s"
        let positive = b.add(.leaf(.input, "p"), [], shape: Shape([2, 3]), range: nil, name: "p")
        for op in UnaryOp.allCases { b.add(.unary(op), [positive], range: nil) }
        for op in BinaryOp.allCases { b.add(.binary(op), [a, v], range: nil) }
        for op in ReduceOp.allCases {
            b.add(.reduce(op, axis: nil), [a], range: nil)
            b.add(.reduce(op, axis: 1), [a], range: nil)
        }
        b.add(.matmul, [a, v], range: nil)
        let t = b.add(.transpose, [a], range: nil)
        b.add(.reshape(Shape([3, 2])), [t], range: nil)
        b.add(.broadcast(Shape([4, 3])), [v], range: nil)
        b.add(.sumTo(Shape([1, 3])), [a], range: nil)
        b.add(.stack, [v, v, v], range: nil)
        b.add(.stack, [s], range: nil)
        b.add(.index(1), [a], range: nil)
        b.add(.cumsum(axis: 1), [a], range: nil)
        // ∫₀ˢ a·t dt, a tensor integrand with a tensor capture.
        let integrand = Integrand.build(name: "g", variable: "t", captures: [.init(shape: Shape([2, 3]), hint: "a")]) { body, t, captures in
            body.add(.mul, [captures[0], t], range: nil)
        }
        b.add(.integral(integrand), [b.constant(0, range: nil), s, a], range: nil)
        _ = b.constant(Tensor(shape: Shape([2, 2]), values: [1, -0.0, .nan, -.infinity]), range: nil)
        _ = b.constant(Tensor(filling: Shape([80, 4]), with: 0), range: nil)
        return b.finish()
    }

    @Test func everyOpOfTheOpTableRoundTrips() throws {
        let graph = Self.everyOp()
        let problems = IRRoundTrip.problems(graph)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(Set(IRParser.usages.keys).subtracting(graph.nodes.map(\.op.name)).sorted() == [])
    }

    // MARK: Diagnostics

    /// Parses marked text and checks its errors against the markers.
    static func expectErrors(_ marked: String, _ expected: ExpectedDiagnostic..., sourceLocation: SourceLocation = #_sourceLocation) {
        let source = MarkedSource(marked)
        let result = IRParser.parse(source.text)
        expectDiagnostics(result.diagnostics, in: source, expected, sourceLocation: sourceLocation)
        #expect(result.graph == nil || expected.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func anUndefinedOperandIsReportedWithASuggestion() {
        Self.expectErrors("x: [] = param\ny: [] = add(x, 1️⃣xx)\n", .error("1️⃣", "'xx' is not defined", id: "ir.undefined-name"))
        let result = IRParser.parse("alpha: [] = param\ny: [] = neg(alpah)\n")
        #expect(result.diagnostics.first?.notes.first?.message == "did you mean 'alpha'?")
    }

    @Test func anOperandDefinedLaterIsUndefined() {
        Self.expectErrors("y: [] = neg(1️⃣x)\nx: [] = param\n", .error("1️⃣", "'x' is not defined on an earlier line"))
    }

    @Test func aNameDefinedTwiceIsAnError() {
        Self.expectErrors("x: [] = param\n1️⃣x: [] = input \"y\"\n", .error("1️⃣", "'x' is defined twice", id: "ir.duplicate-name"))
    }

    @Test func aLeafDeclaredTwiceIsAnError() {
        Self.expectErrors("x: [] = param\nx_2: [] = 1️⃣param \"x\"\n", .error("1️⃣", "the leaf 'x' is declared twice"))
    }

    @Test func aStatedShapeThatDisagreesWithInferenceIsAnError() {
        Self.expectErrors("""
        x: [2] = param
        y: 1️⃣[3] = exp(x)
        z: [] = 2️⃣add(x, x, x)
        w: [2] = 3️⃣sum(x, axis: 1)
        """,
        .error("1️⃣", "'y' is stated to have shape [3], but 'exp' gives [2]", id: "ir.shape-mismatch"),
        .error("2️⃣", "'add' cannot take 3 operands; write 'add(a, b)'", id: "ir.wrong-arguments"),
        .error("3️⃣", "axis 1 is out of range for shape [2]"))
    }

    @Test func shapesTheOpRejectsAreReportedAsTheLanguageReportsThem() {
        Self.expectErrors("""
        a: [2] = param
        b: [3] = param
        c: [3] = 1️⃣add(a, b)
        d: [] = 2️⃣matmul(a, b)
        """,
        .error("1️⃣", "cannot add shapes [2] and [3]", id: "shape.broadcast-mismatch"),
        .error("2️⃣", "cannot multiply matrices of shapes [2] and [3]"))
    }

    @Test func unknownOpsAndWrongArgumentsSayWhatToWrite() {
        Self.expectErrors("""
        x: [3] = param
        y: [3] = 1️⃣ad(x, x)
        z: [] = 2️⃣max(x, [3])
        w: [3] = 3️⃣reshape(x)
        u: [] = sum(axis: 0, 4️⃣x)
        """,
        .error("1️⃣", "unknown op 'ad'", id: "ir.unknown-op"),
        .error("2️⃣", "'max' cannot take 1 operand and a shape; write 'max(a, b)' or 'max(x)' or 'max(x, axis: 0)'"),
        .error("3️⃣", "write 'reshape(x, [2, 3])'"),
        .error("4️⃣", "the operands of 'sum' come before its attribute"))
    }

    @Test func malformedLinesPointAtTheOffendingToken() {
        Self.expectErrors("""
        a: [] = param
        x 1️⃣[] = param
        y: [] 2️⃣param
        z: [2] = constant([1, 3️⃣1.2.3])
        u: [] = neg(a) 4️⃣z
        v: [2] = constant([1, 2, 5️⃣3])
        w: [2, 2] = constant([[1, 2], [36️⃣]])
        q: [7️⃣-1] = param
        """,
        .error("1️⃣", "expected ':' and the shape of 'x', found '['"),
        .error("2️⃣", "expected '=' and the op of 'y', found 'param'"),
        .error("3️⃣", "malformed number '1.2.3'", id: "ir.malformed-number"),
        .error("4️⃣", "expected end of line after the node, found 'z'"),
        .error("5️⃣", "a constant of shape [2] has 2 elements along axis 0, found more", id: "ir.literal-shape"),
        .error("6️⃣", "a constant of shape [2, 2] has 2 elements along axis 1, found 1"),
        .error("7️⃣", "expected a dimension, found '-'"))
    }

    @Test func badCharactersStringsAndNaNBits() {
        Self.expectErrors("""
        x: [] = param 1️⃣"x
        y: [] = 2️⃣$exp(x)
        z: [] = constant(nan(3️⃣0x3ff0000000000000))
        w: [] = constant(4️⃣0x12)
        """,
        .error("1️⃣", "unterminated string", id: "ir.unterminated-string"),
        .error("2️⃣", "unexpected character '$'"),
        .error("3️⃣", "'0x3ff0000000000000' are not the bits of a NaN", id: "ir.invalid-nan"),
        .error("4️⃣", "expected a number (an element of a constant of shape []), found '0x12'"))
    }

    @Test func aLineThatFailedDefinesNothingAndItsUsersFailQuietly() {
        // One error for line 2; lines 3 and 4 use the failed name and add none; line 5 has its own.
        Self.expectErrors("""
        x: [] = param
        y: [] = neg(1️⃣q)
        z: [] = exp(y)
        w: [] = add(z, x)
        v: [] = 2️⃣bogus(x)
        """,
        .error("1️⃣", "'q' is not defined"),
        .error("2️⃣", "unknown op 'bogus'"))
    }

    @Test func limitsEndInDiagnostics() {
        let deep = "t0: [" + Array(repeating: "1", count: 65).joined(separator: ", ") + "] = param"
        #expect(IRParser.parse(deep).diagnostics.map(\.id) == ["ir.rank-too-large"])
        #expect(IRParser.parse("t0: [4294967296, 4294967296] = param").diagnostics.map(\.id) == ["ir.shape-too-large"])
        #expect(IRParser.parse("t0: [100000, 100000] = constant(0)").diagnostics.map(\.id) == ["ir.constant-too-large"])
        #expect(IRParser.parse("x: [3] = param\ny: [] = index(x, 99999999999999999999)").diagnostics.map(\.id) == ["ir.invalid-integer"])
        let nested = "t0: [1] = constant(" + String(repeating: "[", count: 10_000) + ")"
        #expect(!IRParser.parse(nested).diagnostics.isEmpty)
        let many = (0..<200).map { "y\($0): [] = neg(missing)" }.joined(separator: "\n")
        #expect(IRParser.parse(many).diagnostics.count == IRParser.maximumErrors)
        let empty = IRParser.parse("")
        #expect(empty.diagnostics.isEmpty && empty.graph?.count == 0)
    }

    @Test func longChainsAndLongLinesParse() throws {
        // Ten thousand nodes, each using the one before: no recursion on the graph's depth.
        let chain = try #require(InProcess.lower(ProgramGenerator.chain(10_000)).program)
        let problems = IRRoundTrip.problems(chain.graph)
        #expect(problems.isEmpty, "\(problems.prefix(3))")
        // One line of about half a megabyte: a stack of 100,000 operands.
        let operands = Array(repeating: "x", count: 100_000).joined(separator: ", ")
        let (graph, _) = try Self.parse("x: [] = param\nt1: [100000] = stack(\(operands))\n")
        #expect(graph[NodeID(1)].operands.count == 100_000)
    }

    @Test func garbageAndMutatedTextGiveDiagnosticsNotCrashes() {
        let garbage = String(decoding: ProgramGenerator.garbage(4096, seed: 3), as: UTF8.self)
        let result = IRParser.parse(garbage)
        #expect(result.graph == nil && !result.diagnostics.isEmpty)
        // Delete, duplicate or replace one character of a valid text, many times over: each
        // result either parses or explains itself with a located diagnostic.
        let valid = IRPrinter.print(Self.everyOp())
        let characters = Array(valid)
        var random = Random(seed: 5)
        let replacements: [Character] = ["(", ")", "[", "]", ",", ":", "=", "-", "\"", "#", "\n", "0", "x", " "]
        for _ in 0..<400 {
            var mutated = characters
            let index = Int(random.nextBits() % UInt64(mutated.count))
            switch random.nextBits() % 3 {
            case 0: mutated.remove(at: index)
            case 1: mutated.insert(mutated[index], at: index)
            default: mutated[index] = replacements[Int(random.nextBits() % UInt64(replacements.count))]
            }
            let parsed = IRParser.parse(String(mutated))
            if parsed.graph == nil {
                #expect(!parsed.diagnostics.isEmpty && parsed.diagnostics.allSatisfy { $0.range != nil })
            } else {
                #expect(Verifier.verify(parsed.graph!) == nil)
            }
        }
    }
}
