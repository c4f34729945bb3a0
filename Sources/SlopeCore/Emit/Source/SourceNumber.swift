/// How printed source spells a number: as the shortest decimal that reads back as the same
/// float64 (`0.5`, `2.5`, `0.025`, `42`) or, when that decimal is long and the number is exactly
/// the float64 nearest a small fraction, as that fraction: 0.03333333333333333 is `1/30`.
///
/// Why a fraction is exact: the language reads `1/30` as the division of 1 by 30, and IEEE
/// division of two integers that float64 holds exactly is correctly rounded, so it yields the
/// float64 nearest 1/30, the very constant printed. A fraction is chosen only when that holds
/// bit for bit (`Double(p) / Double(q) == value`), never because it is close. As source, `p/q` is
/// a division: it stands at the multiplicative level, so the printer parenthesises it where
/// a division would need it (`x/(1/30)`, `(1/30)^x`) and `1/30*x` reads as (1/30)·x. A negative
/// fraction is written `-1/30`, which the grammar reads as (−1)/30, the same float64 negated
/// (negation is exact and division rounds symmetrically).
enum SourceNumber {
    /// The largest denominator tried.
    static let maximumDenominator = 1000
    /// The largest numerator (in magnitude) written.
    static let maximumNumerator = 10_000
    /// A decimal of at most this many significant digits is short enough to stay a decimal
    /// (0.5, 0.25, 2.5, 0.0125); 1/30 needs 16.
    static let shortDecimalDigits = 6

    /// The number as source, and whether it is a fraction (a division, for precedence).
    /// Non-finite numbers are spelt by the caller.
    static func spelling(_ value: Double) -> (text: String, isFraction: Bool) {
        if let (p, q) = fraction(value) { return ("\(p)/\(q)", true) }
        return (ValueFormatter.number(value), false)
    }

    /// The fraction p/q with the smallest denominator 2 ≤ q ≤ `maximumDenominator` whose float64
    /// quotient is `value` bit for bit, when `value` is not a whole number and its shortest decimal
    /// is long; nil otherwise. The smallest such q gives p/q in lowest terms.
    static func fraction(_ value: Double) -> (numerator: Int, denominator: Int)? {
        guard value.isFinite, value != value.rounded(), significantDigits(of: value) > shortDecimalDigits else { return nil }
        for q in 2...maximumDenominator {
            let p = (value * Double(q)).rounded()
            // |p| grows with q, so once it is too large it stays too large.
            guard Swift.abs(p) <= Double(maximumNumerator) else { return nil }
            if p != 0, p / Double(q) == value { return (Int(p), q) }
        }
        return nil
    }

    /// Significant digits of the shortest decimal that reads back as `value`: the digits of
    /// `0.03333333333333333` without its leading zeros (16), of `1.25e-05` before the exponent (3).
    static func significantDigits(of value: Double) -> Int {
        let mantissa = "\(Swift.abs(value))".prefix { $0 != "e" && $0 != "E" }
        let digits = mantissa.filter(\.isNumber).drop { $0 == "0" }
        return digits.count
    }
}
