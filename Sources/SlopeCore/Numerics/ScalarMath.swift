import Foundation

/// Scalar helpers that the op table's meanings share (`UnaryOp`, `BinaryOp`).
public enum ScalarMath {
    @inline(__always)
    public static func sigmoid(_ x: Double) -> Double { VectorMath.sigmoid(x) }

    @inline(__always)
    public static func softplus(_ x: Double) -> Double { VectorMath.softplus(x) }

    /// a^b, with small whole exponents by multiplication (exact where pow may not be).
    @inline(__always)
    public static func power(_ a: Double, _ b: Double) -> Double {
        if b == 2 { return a * a }
        if b == 1 { return a }
        if b == 3 { return a * a * a }
        if b == 0.5 { return a.squareRoot() }
        return Foundation.pow(a, b)
    }
}
