/// The dimensions of a tensor, outermost first. `[]` is a scalar, `[3]` a vector, `[2, 3]` a matrix.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public var dimensions: [Int]

    public init(_ dimensions: [Int]) { self.dimensions = dimensions }

    public static let scalar = Shape([])

    public var rank: Int { dimensions.count }
    public var isScalar: Bool { dimensions.isEmpty }
    /// The number of elements (1 for a scalar).
    public var count: Int { dimensions.reduce(1, *) }
    public subscript(axis: Int) -> Int { dimensions[axis] }

    /// `[2, 3]`, as the language writes shapes.
    public var description: String { "[" + dimensions.map(String.init).joined(separator: ", ") + "]" }

    /// Row-major strides in elements.
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: rank)
        var step = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= dimensions[axis]
        }
        return strides
    }

    /// NumPy broadcasting: align trailing dimensions; each pair must be equal or one of them 1.
    /// Returns nil when the shapes are incompatible.
    public static func broadcast(_ lhs: Shape, _ rhs: Shape) -> Shape? {
        let rank = max(lhs.rank, rhs.rank)
        var result = [Int](repeating: 1, count: rank)
        for index in 0..<rank {
            let a = index < rank - lhs.rank ? 1 : lhs.dimensions[index - (rank - lhs.rank)]
            let b = index < rank - rhs.rank ? 1 : rhs.dimensions[index - (rank - rhs.rank)]
            if a == b || b == 1 { result[index] = a }
            else if a == 1 { result[index] = b }
            else { return nil }
        }
        return Shape(result)
    }

    /// Whether a tensor of this shape broadcasts to `target` without changing `target`.
    public func broadcasts(to target: Shape) -> Bool {
        Shape.broadcast(self, target) == target
    }
}
