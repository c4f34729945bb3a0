/// exp and log for float64 buffers, written as straight-line code (selects instead of branches,
/// integer tricks instead of conversions) so the compiler vectorises the loops over buffers;
/// within 1.25 units in the last place of the exact value for exp, 2 for log and 3 for sigmoid
/// and softplus (`VectorMathAccuracyTests`, against Float80), at a fraction of a library call's
/// cost.
///
/// exp(x): k = round(x / ln 2) by adding and subtracting 1.5·2⁵² (which also leaves k in the low
/// bits), r = x − k·ln2_hi − k·ln2_lo (|r| ≤ 0.347; fdlibm's two-part ln 2 keeps r exact), exp(r)
/// by its Taylor series to r¹³ (the first omitted term is below 5e-18 relative), then scaled by
/// 2^k built from exponent bits in two halves, so k from −1075 to 1024 reaches subnormal results.
/// x > 709.78 gives inf, x < −745.14 gives 0, NaN stays NaN.
///
/// log(x): x = 2^e · m with m in [√½, √2), s = (m − 1)/(m + 1) (|s| ≤ 0.1716) and
/// log(m) = 2 atanh(s) = 2(s + s³/3 + … + s²¹/21) (the first omitted term is below 1e-18
/// relative); log(x) = e·ln 2 + log(m). Subnormal x is scaled by 2⁵⁴ first. log(0) = −inf,
/// log(x < 0) = NaN, log(inf) = inf.
public enum VectorMath {
    static let ln2High = 6.93147180369123816490e-01
    static let ln2Low = 1.90821492927058770002e-10
    static let log2e = 1.44269504088896338700e+00
    /// 1.5 · 2⁵²: adding it rounds to an integer held in the low mantissa bits.
    static let shifter = 6755399441055744.0

    @inline(__always)
    public static func exp(_ x: Double) -> Double {
        let clamped = Swift.min(Swift.max(x, -1100), 1100)
        let t = clamped * log2e + shifter
        let k = t - shifter
        let r = (clamped - k * ln2High) - k * ln2Low
        var p = 1.0 / 6227020800.0
        p = p * r + 1.0 / 479001600.0
        p = p * r + 1.0 / 39916800.0
        p = p * r + 1.0 / 3628800.0
        p = p * r + 1.0 / 362880.0
        p = p * r + 1.0 / 40320.0
        p = p * r + 1.0 / 5040.0
        p = p * r + 1.0 / 720.0
        p = p * r + 1.0 / 120.0
        p = p * r + 1.0 / 24.0
        p = p * r + 1.0 / 6.0
        p = p * r + 0.5
        p = p * r + 1.0
        p = p * r + 1.0
        let kBits = Int64(bitPattern: t.bitPattern &- shifter.bitPattern)
        let half = kBits &>> 1
        let scaleA = Double(bitPattern: UInt64(bitPattern: (half &+ 1023) &<< 52))
        let scaleB = Double(bitPattern: UInt64(bitPattern: (kBits &- half &+ 1023) &<< 52))
        var result = p * scaleA * scaleB
        result = x > 709.782712893383973096 ? .infinity : result
        result = x < -745.133219101941108420 ? 0 : result
        return x != x ? x : result
    }

    @inline(__always)
    public static func log(_ input: Double) -> Double {
        let tiny = input < 2.2250738585072014e-308
        let x = tiny ? input * 18014398509481984.0 : input
        let bits = x.bitPattern
        // The biased exponent as a double: 2⁵² + field, minus 2⁵².
        let field = Double(bitPattern: 0x4330_0000_0000_0000 | ((bits &>> 52) & 0x7FF)) - 4503599627370496.0
        var e = field - 1023
        var m = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        let high = m > 1.4142135623730951
        m = high ? m * 0.5 : m
        e = high ? e + 1 : e
        e = tiny ? e - 54 : e
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var p = 1.0 / 21.0
        p = p * s2 + 1.0 / 19.0
        p = p * s2 + 1.0 / 17.0
        p = p * s2 + 1.0 / 15.0
        p = p * s2 + 1.0 / 13.0
        p = p * s2 + 1.0 / 11.0
        p = p * s2 + 1.0 / 9.0
        p = p * s2 + 1.0 / 7.0
        p = p * s2 + 1.0 / 5.0
        p = p * s2 + 1.0 / 3.0
        let logM = 2 * s + 2 * s * s2 * p
        var result = e * ln2High + (logM + e * ln2Low)
        result = input == 0 ? -.infinity : result
        result = input < 0 ? .nan : result
        result = input == .infinity ? .infinity : result
        return input != input ? input : result
    }

    /// sigmoid(x) with one division. For a = −|x| reduced as in exp (a = k·ln 2 + r, |r| ≤ ln2/2),
    /// Cephes' Padé form gives e^r = (q + p)/(q − p) with p = r·P(r²) and q = Q(r²) (degrees 2
    /// and 3, accurate to below 1e-17 on the interval), so with M = 2^k·(q + p) and D = q − p,
    /// 1/(1 + e^a) = D/(D + M) and e^a/(1 + e^a) = M/(D + M): sigmoid(x) is the first for
    /// x ≥ 0 and the second for x < 0, within 2.5 ulp (a Float80 reference over two million
    /// points in the tests). 2^k is built in two halves as in exp, so M reaches subnormals and
    /// then 0; x = ±inf gives 1 and 0, NaN stays NaN.
    @inline(__always)
    public static func sigmoid(_ x: Double) -> Double {
        let clamped = Swift.max(-Swift.abs(x), -1100)
        let t = clamped * log2e + shifter
        let k = t - shifter
        let r = (clamped - k * ln2High) - k * ln2Low
        let r2 = r * r
        var p = 1.26177193074810590878e-4
        p = p * r2 + 3.02994407707441961300e-2
        p = p * r2 + 9.99999999999999999910e-1
        p = p * r
        var q = 3.00198505138664455042e-6
        q = q * r2 + 2.52448340349684104192e-3
        q = q * r2 + 2.27265548208155028766e-1
        q = q * r2 + 2.00000000000000000009e0
        let kBits = Int64(bitPattern: t.bitPattern &- shifter.bitPattern)
        let half = kBits &>> 1
        let scaleA = Double(bitPattern: UInt64(bitPattern: (half &+ 1023) &<< 52))
        let scaleB = Double(bitPattern: UInt64(bitPattern: (kBits &- half &+ 1023) &<< 52))
        let m = (q + p) * scaleA * scaleB
        let d = q - p
        return (x < 0 ? m : d) / (d + m)
    }

    /// softplus(x) = max(x, 0) + log1p(e^−|x|), where log1p(t) = log(u) − ((u − 1) − t)/u for
    /// u = 1 + t: the correction restores the bits of t lost in rounding 1 + t.
    @inline(__always)
    public static func softplus(_ x: Double) -> Double {
        let t = exp(-Swift.abs(x))
        let u = 1 + t
        let log1p = u == 1 ? t : log(u) - ((u - 1) - t) / u
        let result = (x > 0 ? x : 0) + log1p
        return x != x ? x : result
    }
}
