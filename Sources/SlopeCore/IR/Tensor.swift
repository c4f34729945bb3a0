/// A float64 tensor value: a shape and its elements in row-major order. It is the payload of a
/// `constant` node, the initial value of a leaf, and what the interpreter returns.
/// Equality and hashing use the bit patterns of the values, so hash-consing never merges `0`
/// with `-0` and a NaN constant equals itself.
public struct Tensor: Hashable, Sendable {
    public let shape: Shape
    public let values: [Double]

    public init(shape: Shape, values: [Double]) {
        precondition(shape.count == values.count, "constant shape \(shape) holds \(shape.count) values, not \(values.count)")
        self.shape = shape
        self.values = values
    }

    public init(_ scalar: Double) { self.init(shape: .scalar, values: [scalar]) }

    /// A tensor of `shape` with every element `value`.
    public init(filling shape: Shape, with value: Double) {
        self.init(shape: shape, values: [Double](repeating: value, count: shape.count))
    }

    /// The same elements under another shape of equal count.
    public func reshaped(_ shape: Shape) -> Tensor { Tensor(shape: shape, values: values) }

    public var scalarValue: Double? { values.count == 1 && shape.isScalar ? values[0] : nil }

    public var isScalar: Bool { shape.isScalar }
    /// The single value when every element is the same (a scalar or a fill), else nil.
    public var uniformValue: Double? {
        guard let first = values.first else { return nil }
        return values.allSatisfy({ $0.bitPattern == first.bitPattern }) ? first : nil
    }

    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.values.count == rhs.values.count
            && zip(lhs.values, rhs.values).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(shape)
        hasher.combine(values.count)
        for value in values.prefix(16) { hasher.combine(value.bitPattern) }
    }
}
