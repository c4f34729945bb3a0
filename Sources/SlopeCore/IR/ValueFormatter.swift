/// How numbers and tensors are written in text: the shortest decimal that reads back as the
/// same float64 (`0.1`, `1e-05`), whole numbers without a fraction (`13`), and `nan`, `inf`,
/// `-inf`. Tensors are nested brackets, row-major; in summaries, long axes show their first
/// and last three entries around `...`, as NumPy prints them.
public enum ValueFormatter {
    /// Tensors with more elements than this are summarised in text output.
    public static let summaryThreshold = 1000

    public static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), Swift.abs(value) < 1e16 {
            if value == 0 { return value.sign == .minus ? "-0" : "0" }
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// The value as a literal of the language: a number, or nested brackets, each element
    /// written by `spelling` (`number` unless given).
    public static func literal(_ values: [Double], shape: Shape, summarize: Bool = false,
                               spelling: (Double) -> String = number) -> String {
        guard !shape.isScalar else { return spelling(values.first ?? .nan) }
        var out = ""
        let strides = shape.strides
        let folding = summarize && shape.count > summaryThreshold
        func write(_ axis: Int, _ base: Int) {
            out += "["
            let size = shape[axis]
            var index = 0
            var first = true
            while index < size {
                if folding && size > 6 && index == 3 {
                    out += ", ..."
                    index = size - 3
                }
                if !first { out += ", " }
                first = false
                if axis == shape.rank - 1 {
                    out += spelling(values[base + index])
                } else {
                    write(axis + 1, base + index * strides[axis])
                }
                index += 1
            }
            out += "]"
        }
        write(0, 0)
        return out
    }

    public static func literal(_ tensor: Tensor, summarize: Bool = false) -> String {
        literal(tensor.values, shape: tensor.shape, summarize: summarize)
    }
}
