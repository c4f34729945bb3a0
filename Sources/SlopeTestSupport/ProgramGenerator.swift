/// Generated programs and data for the limit tests: sizes far beyond anything written by hand,
/// made to check that no stage recurses on depth or does quadratic work.
public enum ProgramGenerator {
    /// `x0 = 1`, `x1 = x0 + 1`, …, `xN = x(N-1) + 1`, then `print xN` (which is N + 1).
    /// With `undefinedAtEnd`, the print also reads the undefined name `missing`.
    public static func chain(_ count: Int, undefinedAtEnd: Bool = false) -> String {
        var lines: [String] = ["x0 = 1"]
        lines.reserveCapacity(count + 2)
        for index in 1...count { lines.append("x\(index) = x\(index - 1) + 1") }
        lines.append("print x\(count)" + (undefinedAtEnd ? " + missing" : ""))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `s = 1 + 1 + … + 1` with `terms` terms on one line, then `print s` (which is `terms`).
    public static func longSum(_ terms: Int, undefinedAtEnd: Bool = false) -> String {
        var line = "s = 1"
        line.reserveCapacity(terms * 4 + 16)
        for _ in 1..<terms { line += " + 1" }
        if undefinedAtEnd { line += " + missing" }
        return line + "\nprint s\n"
    }

    /// `x = ((…(1)…))` with `depth` pairs of parentheses.
    public static func nestedParentheses(_ depth: Int) -> String {
        "x = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + "\nprint x\n"
    }

    /// `count` bytes from xorshift64* seeded with `seed`: reproducible binary garbage.
    public static func garbage(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            let word = state &* 0x2545_F491_4F6C_DD1D
            for shift in stride(from: 0, to: 64, by: 8) where bytes.count < count {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return bytes
    }

    /// A CSV file with columns `a,b` and `rows` rows `r,2r`, except that the cell in column `b`
    /// of data row `badRow` (1-based; file line `badRow + 1`) is `oops`. Written byte by byte,
    /// as formatting a million rows through string interpolation is slow in debug builds.
    public static func csv(rows: Int, badRow: Int) -> [UInt8] {
        var bytes: [UInt8] = Array("a,b\n".utf8)
        bytes.reserveCapacity(rows * 16)
        var digits: [UInt8] = []
        func append(_ number: Int) {
            digits.removeAll(keepingCapacity: true)
            var rest = number
            repeat {
                digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: digits.reversed())
        }
        for row in 1...rows {
            append(row)
            bytes.append(UInt8(ascii: ","))
            if row == badRow { bytes.append(contentsOf: Array("oops".utf8)) } else { append(2 * row) }
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
