/// The syntax tree of one `.graph` file. Expressions live in one flat array and refer to their
/// children by index, so a tree of any depth is built, walked and freed without recursion.
public struct AST: Sendable {
    public var expressions: [Expression] = []
    public var statements: [Statement] = []
    /// The file the tree was parsed from, so a program with no statements still has a place
    /// for its diagnostics (nil for a tree built by hand).
    public var file: SourceFile?

    public init() {}

    public subscript(id: ExpressionID) -> Expression { expressions[Int(id.index)] }

    public mutating func add(_ kind: Expression.Kind, _ range: SourceRange) -> ExpressionID {
        expressions.append(Expression(kind: kind, range: range))
        return ExpressionID(index: Int32(expressions.count - 1))
    }
}

public struct ExpressionID: Hashable, Sendable {
    public let index: Int32
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", matmul = "@", power = "^"
}

/// A call argument: `expr` or `label: expr`.
public struct Argument: Sendable {
    public let label: String?
    public let labelRange: SourceRange?
    public let value: ExpressionID
}

public struct Expression: Sendable {
    public enum Kind: Sendable {
        case number(Double)
        case string(String)
        case name(String)
        case negate(ExpressionID)
        /// `operatorRange` is where a shape error under this operator points.
        case binary(BinaryOperator, ExpressionID, ExpressionID, operatorRange: SourceRange)
        case call(String, calleeRange: SourceRange, [Argument])
        case tensor([ExpressionID])
        /// Stands in for an expression that failed to parse; already diagnosed.
        case invalid
    }

    public let kind: Kind
    /// The whole expression, from its first to its last token.
    public let range: SourceRange

    /// The direct subexpressions, left to right.
    public var children: [ExpressionID] {
        switch kind {
        case .number, .string, .name, .invalid: return []
        case .negate(let operand): return [operand]
        case .binary(_, let lhs, let rhs, _): return [lhs, rhs]
        case .call(_, _, let arguments): return arguments.map(\.value)
        case .tensor(let elements): return elements
        }
    }
}

/// A dimension list written in a declaration, `[2, 3]`.
public struct DeclaredShape: Sendable {
    public let dimensions: [Int]
    public let range: SourceRange
}

public struct Statement: Sendable {
    public enum Kind: Sendable {
        /// `param NAME [: SHAPE] = INIT` and `input NAME [: SHAPE] = INIT`.
        case declaration(LeafKind, name: String, nameRange: SourceRange, shape: DeclaredShape?, initializer: ExpressionID)
        case seed(ExpressionID)
        case function(name: String, nameRange: SourceRange, parameters: [(String, SourceRange)], body: ExpressionID)
        case print([PrintItem])
        case train(TrainDirection, target: ExpressionID, method: String, methodRange: SourceRange, [Argument])
        case assignment(name: String, nameRange: SourceRange, value: ExpressionID)
    }

    public let kind: Kind
    public let range: SourceRange
}

/// Trainable parameters and fixed inputs are both leaves of the graph.

public enum TrainDirection: String, Sendable { case minimize, maximize }

/// One expression of a `print` statement, with the range of its source text as written
/// (parentheses included), which `--json` reports as `expr`.
public struct PrintItem: Sendable {
    public let value: ExpressionID
    public let range: SourceRange
}
