import Synchronization
import Testing
@testable import SlopeCore

/// `Rule.needs`: the rewriter offers a node only to the rules whose operand kinds the node's
/// operands include. (A debug build also runs the other rules and stops if one applies, so
/// every test that optimizes a graph checks the kinds the rule tables declare.)
@Suite struct RuleOperandKindsTests {
    /// Which nodes, by op and operand count, each of the rules that never apply was offered,
    /// and separately those a debug build's check offered it.
    final class Offers: Sendable {
        let seen = Mutex<[String: [String]]>([:])
        func record(_ rule: String, _ r: Rewriter, _ match: Match) {
            let key = r.checkingNeeds ? "checked " + rule : rule
            seen.withLock { $0[key, default: []].append("\(match.op.name)/\(match.operands.count)") }
        }
        subscript(rule: String) -> [String] { seen.withLock { $0[rule] ?? [] } }
    }

    static func offers(for source: String) throws -> Offers {
        let program = try #require(PassTesting.lower(source))
        let offers = Offers()
        let rules = [
            Rule("needs-a-constant", .exact, needs: .constant) { r, m in offers.record("needs-a-constant", r, m); return nil },
            Rule("needs-a-repeat-or-neg", .exact, needs: [.repeated, .neg]) { r, m in
                offers.record("needs-a-repeat-or-neg", r, m); return nil
            },
            Rule("always", .exact) { r, m in offers.record("always", r, m); return nil },
        ]
        var report = PassReport()
        _ = Rewriter.rewrite(program.graph, keeping: PassTesting.roots(program), report: &report, rules: { _ in rules })
        return offers
    }

    @Test func aNodeIsOfferedOnlyToTheRulesItsOperandsCanMatch() throws {
        let offers = try Self.offers(for: """
        param x = 1.5
        param y = 2
        a = sin(x) * y
        b = a + 3
        c = b * b
        d = -c
        e = d / x
        print e
        """)
        // Every node with an op that takes operands: sin, mul, the constant 3, add, mul, neg, div.
        #expect(offers["always"] == ["sin/1", "mul/2", "constant/0", "add/2", "mul/2", "neg/1", "div/2"])
        // Only `a + 3` reads a constant.
        #expect(offers["needs-a-constant"] == ["add/2"])
        // `b * b` reads one value twice; `d / x` reads a negation.
        #expect(offers["needs-a-repeat-or-neg"] == ["mul/2", "div/2"])
        // A debug build offers the other nodes to the rules as a check, a release build does not.
        #if DEBUG
        #expect(offers["checked needs-a-constant"] == ["sin/1", "mul/2", "constant/0", "mul/2", "neg/1", "div/2"])
        #expect(offers["checked needs-a-repeat-or-neg"] == ["sin/1", "mul/2", "constant/0", "add/2", "neg/1"])
        #else
        #expect(offers["checked needs-a-constant"].isEmpty)
        #endif
        #expect(offers["checked always"].isEmpty)
    }

    @Test func eachOperandOpHasTheKindTheRulesLookFor() {
        #expect(OperandKinds.of(.constant(Tensor(2))) == .constant)
        #expect(OperandKinds.of(.neg) == .neg)
        #expect(OperandKinds.of(.add) == .add)
        #expect(OperandKinds.of(.sub) == .sub)
        #expect(OperandKinds.of(.mul) == .mul)
        #expect(OperandKinds.of(.div) == .div)
        #expect(OperandKinds.of(.exp) == .exp)
        #expect(OperandKinds.of(.log) == .log)
        #expect(OperandKinds.of(.sigmoid) == .sigmoid)
        #expect(OperandKinds.of(.broadcast(Shape([3]))) == .broadcast)
        #expect(OperandKinds.of(.reduce(.sum, axis: nil)) == .reduce)
        #expect(OperandKinds.of(.unary(.sin)).isEmpty)
        #expect(OperandKinds.of(.leaf(.param, "x")).isEmpty)
        #expect(OperandKinds.of(.matmul).isEmpty)
    }
}
