/// A closed interval that holds every element of a value: what the ops' bound rules
/// (`UnaryOp.bounds`, `BinaryOp.bounds`, `ReduceOp.bounds`, `Op.bounds`) propagate to prove
/// that a value cannot be NaN or infinite without computing it (`LossCertificate`).
///
/// Bounds exist only well inside the finite range: every rule returns nil (nothing proved)
/// when an end would pass `limit`, so the values the kernels compute, which differ from the
/// exact ones by a few roundings, stay finite whenever the bounds exist. Each end of a rule's
/// result is widened by `slack` of its magnitude (and by the smallest normal number), which
/// covers the rounding of the kernels' approximations (exp, log, sigmoid, softplus, sums in any
/// order) many times over.
public struct ValueBounds: Equatable, Sendable {
    public let lower: Double
    public let upper: Double

    /// Ends beyond this magnitude prove nothing: 2^1000, 2^24 below the largest double.
    static let limit = 0x1p1000
    /// Relative widening of every derived end.
    static let slack = 0x1p-40

    /// The interval [lower, upper], or nil when it is not an interval of finite values within
    /// `limit` (NaN, an infinite end, or lower > upper).
    public init?(_ lower: Double, _ upper: Double) {
        guard lower <= upper, lower.magnitude <= ValueBounds.limit, upper.magnitude <= ValueBounds.limit else { return nil }
        self.lower = lower
        self.upper = upper
    }

    /// The interval of one value.
    public init?(point value: Double) { self.init(value, value) }

    /// The smallest interval holding every element of `values`; nil for no values or any NaN.
    public init?<Values: Sequence<Double>>(of values: Values) {
        var low = Double.infinity, high = -Double.infinity
        for value in values {
            guard !value.isNaN else { return nil }
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        self.init(low, high)
    }

    /// A derived interval: [lower, upper] widened by `slack` at each end; nil when NaN, or when
    /// an end leaves the finite range within `limit`.
    static func derived(_ lower: Double, _ upper: Double) -> ValueBounds? {
        guard !lower.isNaN, !upper.isNaN else { return nil }
        let low = lower - (lower.magnitude * slack + Double.leastNormalMagnitude)
        let high = upper + (upper.magnitude * slack + Double.leastNormalMagnitude)
        return ValueBounds(low, high)
    }

    /// The image of a nondecreasing function.
    func increasing(_ f: (Double) -> Double) -> ValueBounds? { .derived(f(lower), f(upper)) }

    /// The image of a nonincreasing function.
    func decreasing(_ f: (Double) -> Double) -> ValueBounds? { .derived(f(upper), f(lower)) }

    /// Whether the interval contains x.
    func contains(_ x: Double) -> Bool { lower <= x && x <= upper }

    /// The largest magnitude in the interval.
    var magnitude: Double { Swift.max(lower.magnitude, upper.magnitude) }

    /// The smallest interval holding both.
    func union(_ other: ValueBounds) -> ValueBounds {
        ValueBounds(Swift.min(lower, other.lower), Swift.max(upper, other.upper))!
    }

    /// Every value of a sum of `count` terms, each in this interval (and of every partial sum,
    /// whatever the order of the additions).
    func summed(_ count: Int) -> ValueBounds? {
        let n = Double(count)
        return .derived(Swift.min(lower * n, lower), Swift.max(upper * n, upper))
    }

    /// The products of any element of each.
    func times(_ other: ValueBounds) -> ValueBounds? {
        let a = lower * other.lower, b = lower * other.upper, c = upper * other.lower, d = upper * other.upper
        return .derived(Swift.min(Swift.min(a, b), Swift.min(c, d)), Swift.max(Swift.max(a, b), Swift.max(c, d)))
    }
}
