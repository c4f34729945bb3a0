import Foundation

/// Numbers as they appear in a plot: tick labels with exactly the decimals their step needs
/// (`0.3`, never `0.30000000000000004`), short labels with a few significant digits, and
/// pixel coordinates rounded to hundredths. Everything is built from integer arithmetic, so the
/// text does not depend on the C library or the locale, and the same value always gives the same
/// bytes.
enum PlotNumberFormat {
    /// 10^exponent, exact for |exponent| ≤ 22 (every such power of ten is a float64, and each
    /// partial product in the loop is too).
    static func powerOfTen(_ exponent: Int) -> Double {
        guard Swift.abs(exponent) <= 22 else { return pow10Slow(exponent) }
        var result = 1.0
        for _ in 0..<Swift.abs(exponent) { result *= 10 }
        return exponent >= 0 ? result : 1 / result
    }

    private static func pow10Slow(_ exponent: Int) -> Double {
        var result = 1.0
        let factor = exponent >= 0 ? 10.0 : 0.1
        for _ in 0..<min(Swift.abs(exponent), 400) { result *= factor }
        return result
    }

    /// `value` rounded to `decimals` places, trailing zeros removed: fixed(2.50, 2) is "2.5".
    /// Falls back to `compact` when the scaled value does not fit an integer.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return special(value) }
        let places = max(0, min(decimals, 15))
        let scaled = (value * powerOfTen(places)).rounded()
        guard Swift.abs(scaled) < 9e15 else { return compact(value) }
        let units = Int64(scaled)
        if units == 0 { return "0" }
        let magnitude = units.magnitude
        let divisor = UInt64(powerOfTen(places))
        var text = String(magnitude / divisor)
        var fraction = places > 0 ? String(magnitude % divisor) : ""
        if places > 0 {
            fraction = String(repeating: "0", count: places - fraction.count) + fraction
            while fraction.last == "0" { fraction.removeLast() }
            if !fraction.isEmpty { text += "." + fraction }
        }
        return units < 0 ? "-" + text : text
    }

    /// `value` with about `significantDigits` significant digits: plain decimals between 1e-4
    /// and 1e6, `1.5e-07` style outside.
    static func compact(_ value: Double, significantDigits: Int = 4) -> String {
        guard value.isFinite else { return special(value) }
        if value == 0 { return "0" }
        // Capped so the scaled mantissa below always fits `fixed`'s integer range.
        let digits = max(1, min(significantDigits, 15))
        var exponent = Int(log10(Swift.abs(value)).rounded(.down))
        // Rounding to the digits kept can carry into the next power (9.99996 -> 10.00).
        let mantissa = (Swift.abs(value) / powerOfTen(exponent) * powerOfTen(digits - 1)).rounded()
        if mantissa >= powerOfTen(digits) { exponent += 1 }
        if exponent >= -4 && exponent < 6 {
            return fixed(value, decimals: digits - 1 - exponent)
        }
        let scaledMantissa = fixed(value / powerOfTen(exponent), decimals: digits - 1)
        let sign = exponent < 0 ? "-" : "+"
        let exponentDigits = String(Swift.abs(exponent))
        return scaledMantissa + "e" + sign + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
    }

    /// A pixel coordinate: hundredths of a pixel are more than any renderer shows.
    static func pixel(_ value: Double) -> String {
        fixed(value.isFinite ? value : 0, decimals: 2)
    }

    private static func special(_ value: Double) -> String {
        value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf")
    }
}
