/// The standard prelude, written in Slope and compiled into the binary. A user's `fn` with one
/// of these names replaces the prelude's.
public enum Prelude {
    public static let path = "<prelude>"

    public static let source = """
    # Mean squared error between a prediction and its target.
    fn mse(pred, y) = mean((pred - y)^2)
    # Binary cross-entropy (log loss) of probabilities p against labels y in {0, 1}.
    fn bce(p, y) = -mean(y*log(p) + (1-y)*log(1-p))
    # An affine layer: inputs [n, k] times weights [k, m] plus bias [m].
    fn linear(x, W, b) = x @ W + b
    # A sigmoid layer.
    fn dense(x, W, b) = sigmoid(x @ W + b)
    # The outer product of vectors u [n] and v [m], [n, m]: u as a column times v as a row
    # (as NumPy's outer, other shapes are flattened first).
    fn outer(u, v) = reshape(u, [-1, 1]) @ reshape(v, [1, -1])
    # Fraction of probabilities p on the right side of 0.5 for labels y in {0, 1}.
    fn accuracy(p, y) = mean(1 - abs(step(p - 0.5) - y))

    """

    public static let file = SourceFile(path: path, text: source)

    /// The prelude's syntax tree, parsed once per process.
    static let ast: AST = {
        let (ast, diagnostics) = Parser.parse(file)
        precondition(diagnostics.isEmpty, "internal error: the prelude does not parse: \(diagnostics)")
        return ast
    }()

    /// The names of the prelude's functions.
    public static let functionNames: Set<String> = Set(ast.statements.compactMap { statement in
        if case .function(let name, _, _, _) = statement.kind { return name }
        return nil
    })
}
