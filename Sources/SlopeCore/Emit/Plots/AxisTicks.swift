import Foundation

/// Tick marks for a plot axis, at values a reader can add up in their head.
///
/// A linear axis puts ticks at whole multiples of a step of 1, 2 or 5 times a power of ten,
/// chosen so the data span needs at most about `intervals` steps, and widens the axis outward
/// to the nearest ticks (0..38 becomes 0..40 with ticks every 10). A logarithmic axis puts
/// ticks at powers of ten, every decade or every few decades, and widens to whole decades.
struct AxisTicks: Equatable {
    /// The axis runs from `lower` to `upper`: the first and last ticks.
    var lower: Double
    var upper: Double
    var values: [Double]
    var labels: [String]
    var isLogarithmic: Bool

    /// A step of `mantissa` × 10^`exponent`, mantissa 1, 2 or 5.
    struct Step: Equatable {
        var mantissa: Int
        var exponent: Int

        var value: Double { multiple(1) }

        /// k × step, computed as the integer k × mantissa scaled once by an exact power of ten,
        /// so 3 × 0.1 is the double nearest 0.3, as the label says.
        func multiple(_ k: Int) -> Double {
            let units = Double(k * mantissa)
            return exponent >= 0
                ? units * PlotNumberFormat.powerOfTen(exponent)
                : units / PlotNumberFormat.powerOfTen(-exponent)
        }

        /// The 1-2-5 step nearest above span / intervals: the rough step's leading digit is
        /// rounded up to 1, 2, 5 or 10.
        init(span: Double, intervals: Int) {
            let rough = span / Double(max(1, intervals))
            guard rough.isFinite, rough > 0 else {
                self.init(mantissa: 1, exponent: 0)
                return
            }
            var exponent = Int(log10(rough).rounded(.down))
            let leading = rough / PlotNumberFormat.powerOfTen(exponent)
            let mantissa: Int
            switch leading {
            case ...1.000000001: mantissa = 1
            case ...2.000000001: mantissa = 2
            case ...5.000000001: mantissa = 5
            default:
                mantissa = 1
                exponent += 1
            }
            self.init(mantissa: mantissa, exponent: exponent)
        }

        init(mantissa: Int, exponent: Int) {
            self.mantissa = mantissa
            self.exponent = exponent
        }
    }

    /// Ticks for a linear axis covering [lower, upper]; both must be finite. An empty span is
    /// widened by a tenth of its value on each side (or to -1...1 around zero).
    static func linear(covering lower: Double, _ upper: Double, intervals: Int = 5) -> AxisTicks {
        var (low, high) = (min(lower, upper), max(lower, upper))
        if high - low <= Swift.abs(high) * 1e-12 || high - low < Double.leastNormalMagnitude {
            let tenth = Swift.abs(low) * 0.1
            let half = tenth > 1e-300 ? tenth : 1
            (low, high) = (low - half, high + half)
        }
        let step = Step(span: high - low, intervals: intervals)
        // The small slack keeps 0.3 / 0.1 = 2.9999999999999996 from adding a tick below 0.3.
        let first = (low / step.value + 1e-9).rounded(.down)
        let last = (high / step.value - 1e-9).rounded(.up)
        guard first.isFinite, last.isFinite, Swift.abs(first) < 1e12, Swift.abs(last) < 1e12,
              last - first <= 1000, last > first else {
            // Only when the span is lost in the values' rounding (1e20 ± 1): label the ends.
            return AxisTicks(lower: low, upper: high, values: [low, high],
                             labels: [PlotNumberFormat.compact(low), PlotNumberFormat.compact(high)],
                             isLogarithmic: false)
        }
        let values = (Int(first)...Int(last)).map(step.multiple)
        return AxisTicks(lower: values.first ?? low, upper: values.last ?? high, values: values,
                         labels: values.map { label($0, step: step) }, isLogarithmic: false)
    }

    /// Ticks for a log10 axis covering [lower, upper]; both must be positive and finite. At most
    /// about seven ticks: beyond six decades, every second or third power of ten is marked.
    static func logarithmic(covering lower: Double, _ upper: Double) -> AxisTicks {
        let (low, high) = (min(lower, upper), max(lower, upper))
        // The slack keeps log10(1000) = 2.9999999999999996 from widening the axis a decade.
        let firstDecade = Int((log10(low) + 1e-9).rounded(.down))
        var lastDecade = max(Int((log10(high) - 1e-9).rounded(.up)), firstDecade + 1)
        let decadesPerTick = (lastDecade - firstDecade + 5) / 6
        let tickCount = (lastDecade - firstDecade + decadesPerTick - 1) / decadesPerTick
        lastDecade = firstDecade + decadesPerTick * tickCount
        let values = stride(from: firstDecade, through: lastDecade, by: decadesPerTick)
            .map(PlotNumberFormat.powerOfTen)
        return AxisTicks(lower: values.first ?? low, upper: values.last ?? high, values: values,
                         labels: values.map { PlotNumberFormat.compact($0, significantDigits: 1) },
                         isLogarithmic: true)
    }

    /// A tick's label with the decimals its step needs: ticks every 0.25 are never shown as
    /// 0.3. Very large or very small values switch to exponent form.
    static func label(_ value: Double, step: Step) -> String {
        if value == 0 { return "0" }
        let magnitude = Int(log10(Swift.abs(value)).rounded(.down))
        if magnitude >= 6 || step.exponent < -5 {
            return PlotNumberFormat.compact(value, significantDigits: magnitude - step.exponent + 1)
        }
        return PlotNumberFormat.fixed(value, decimals: -step.exponent)
    }
}
