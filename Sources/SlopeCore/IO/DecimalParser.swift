import Foundation

/// Decimal text to float64, correctly rounded: for every text, the bits C's `strtod` gives when
/// it reads the whole text, or nil when it would stop early. `CSVTable` reads its cells with it.
///
/// Most numbers in data files are short plain decimals (`4.1234`, `-0.5`, `310`), and those take
/// Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately", PLDI
/// 1990): written as w · 10^q with a whole number w, the value is one exact operation away when
///
/// - w ≤ 2^53, so w is a float64 exactly (every whole number up to 2^53 is one), and
/// - |q| ≤ 22, so 10^q = 5^q · 2^q is a float64 exactly (5^22 < 2^53 < 5^23).
///
/// Then w · 10^q (or w / 10^-q) is a single IEEE 754 multiplication (or division) of two exact
/// operands, which rounds the exact product (or quotient) to the nearest float64, ties to even:
/// that is the correctly rounded value of the decimal, the one strtod returns. A larger q still
/// takes the path when w · 10^(q − 22) is a whole number ≤ 2^53 (w = 12, q = 30: 12 · 10^8 is
/// exact in integers, then one multiplication by 10^22). A sign is applied last, which is exact
/// because rounding to nearest is symmetric about zero.
///
/// Everything else goes to strtod itself, so the fast path only ever has to be right, never
/// complete: more than 19 digits (leading zeros included, so w always fits in 64 bits), w over
/// 2^53, an exponent out of reach, the words `inf` and `nan`, hexadecimal, leading white space,
/// and text that is no number at all. (strtod reads the decimal point of the C locale, `.`,
/// which Slope never changes.)
enum DecimalParser {
    /// The float64 that strtod reads from the whole of `text`, or nil when strtod would not
    /// consume all of it (or the text is empty).
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        if let value = fastPath(text) { return value }
        return strtodWholeText(text)
    }

    /// The value of `text` when all of it is a plain decimal that the fast path reads exactly.
    static func fastPath(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let (value, end) = fastPrefix(of: text, from: 0), end == text.count else { return nil }
        return value
    }

    /// The plain decimal `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?` that
    /// starts at `start`, as long as it goes, and the index after it: nil when there is none,
    /// or when its value is not one the fast path gives exactly. What follows it is the
    /// caller's to judge (in `1.5x` the decimal is `1.5`; `1e` and `1e+` end before the `e`).
    static func fastPrefix(of text: UnsafeBufferPointer<UInt8>, from start: Int) -> (value: Double, end: Int)? {
        let end = text.count
        var index = start
        var negative = false
        if index < end {
            // Without a branch on the sign, which is as likely as not in some columns.
            let first = text[index]
            negative = first == UInt8(ascii: "-")
            index &+= negative || first == UInt8(ascii: "+") ? 1 : 0
        }

        // The digits as one whole number w, and q, the power of ten that scales it. Past 19
        // digits w wraps around, but it is not used then.
        var significand: UInt64 = 0
        let integerStart = index
        while index < end, case let digit = text[index] &- UInt8(ascii: "0"), digit < 10 {
            significand = significand &* 10 &+ UInt64(digit)
            index &+= 1
        }
        var digits = index &- integerStart
        var exponent = 0
        if index < end, text[index] == UInt8(ascii: ".") {
            index &+= 1
            let fractionStart = index
            while index < end, case let digit = text[index] &- UInt8(ascii: "0"), digit < 10 {
                significand = significand &* 10 &+ UInt64(digit)
                index &+= 1
            }
            digits &+= index &- fractionStart
            exponent = fractionStart &- index
        }
        guard digits > 0, digits <= 19 else { return nil }

        // An exponent counts only with a digit: strtod reads `1e+` as `1` followed by `e+`.
        if index < end, text[index] | 0x20 == UInt8(ascii: "e") {
            var next = index &+ 1
            var negativeExponent = false
            if next < end, text[next] == UInt8(ascii: "-") || text[next] == UInt8(ascii: "+") {
                negativeExponent = text[next] == UInt8(ascii: "-")
                next &+= 1
            }
            let digitsStart = next
            var written = 0
            while next < end, case let digit = text[next] &- UInt8(ascii: "0"), digit < 10 {
                // Saturates far beyond the fast path's reach, so a long exponent cannot overflow.
                written = min(written &* 10 &+ Int(digit), 1_000_000)
                next &+= 1
            }
            if next > digitsStart {
                exponent &+= negativeExponent ? -written : written
                index = next
            }
        }

        guard let magnitude = exactProduct(significand, timesTenTo: exponent) else { return nil }
        // The sign bit set without a branch (magnitude is +0 or more, so this is -magnitude).
        let signBit = UInt64(negative ? 1 : 0) << 63
        return (Double(bitPattern: magnitude.bitPattern | signBit), index)
    }

    /// w · 10^q rounded once, when both factors are exact float64s (see the type's comment).
    /// Inlined into the fast path, which it ends for every number (about 10 % faster).
    @inline(__always)
    static func exactProduct(_ w: UInt64, timesTenTo q: Int) -> Double? {
        let largestExactWhole: UInt64 = 1 << 53
        guard w <= largestExactWhole else { return nil }
        let largestExactPower = exactPowersOfTen.count - 1
        if q >= 0, q <= largestExactPower { return Double(w) * exactPowersOfTen[q] }
        if q < 0, -q <= largestExactPower { return Double(w) / exactPowersOfTen[-q] }
        // 10^15 < 2^53: the most a shift of the excess into w could need.
        guard q > largestExactPower, q - largestExactPower <= 15 else { return nil }
        var shifted = w
        for _ in 0..<(q - largestExactPower) {
            let (product, overflow) = shifted.multipliedReportingOverflow(by: 10)
            guard !overflow, product <= largestExactWhole else { return nil }
            shifted = product
        }
        return Double(shifted) * exactPowersOfTen[largestExactPower]
    }

    /// 10^0 … 10^19, every power of ten a UInt64 holds.
    static let wholePowersOfTen: [UInt64] = [
        1, 10, 100, 1000, 10000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000,
        1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ]

    /// 10^0 … 10^22, each a float64 exactly.
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// strtod on a NUL-terminated copy of `text`: its value when it reads all of the text.
    static func strtodWholeText(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !text.isEmpty else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { copy -> Double? in
            guard let start = copy.baseAddress else { return nil }
            for index in text.indices { copy[index] = CChar(bitPattern: text[index]) }
            copy[text.count] = 0
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(start, &stop)
            guard let stop, stop - start == text.count else { return nil }
            return value
        }
    }
}
