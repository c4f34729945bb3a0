import Foundation

/// Values as pictures show them: a number for a scalar (four significant digits, whole numbers
/// exactly), and for a tensor its shape (unless the picture shows it already), its first few
/// entries and its range, as in
///
///     [80, 4]: 0.5124, 0.4913, 0.6031, …
///     min 0.1022, max 0.9314
///
/// or `[4]: all 0` when every entry is the same.
/// NaNs are left out of the range and counted after it.
public enum TensorSummary {
    /// How many leading entries a tensor summary lists.
    public static let shownEntries = 3

    /// A number in at most about ten characters: `13`, `0.5124`, `-1.5e-05`, `nan`, `inf`.
    /// Negative zero is written `-0`, as `run`, `grad` and the JSON write it (one rule everywhere,
    /// as NumPy and PyTorch print it).
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), Swift.abs(value) < 1e6 { return ValueFormatter.number(value) }
        return String(format: "%.4g", value)
    }

    /// One line for a scalar; for a tensor the first entries (after the shape when `withShape`),
    /// then, when some entries are not shown, the minimum and maximum.
    public static func lines(_ tensor: Tensor, withShape: Bool = true) -> [String] {
        if tensor.shape.isScalar { return [number(tensor.values.first ?? .nan)] }
        if let fill = tensor.uniformValue, tensor.values.count > 1 {
            return [(withShape ? "\(tensor.shape): " : "") + "all \(number(fill))"]
        }
        let shown = tensor.values.prefix(shownEntries).map(number)
        let more = tensor.values.count > shownEntries
        var lines = [(withShape ? "\(tensor.shape): " : "") + shown.joined(separator: ", ") + (more ? ", …" : "")]
        guard more else { return lines }
        let numbers = tensor.values.filter { !$0.isNaN }
        let nanCount = tensor.values.count - numbers.count
        var range = ""
        if let low = numbers.min(), let high = numbers.max() {
            range = "min \(number(low)), max \(number(high))"
        }
        if nanCount > 0 { range += (range.isEmpty ? "" : ", ") + "\(nanCount) nan" }
        lines.append(range)
        return lines
    }
}
