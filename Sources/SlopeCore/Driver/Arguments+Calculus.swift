import Foundation

/// The values of `tangent --at A=V,B=V`, `tangent --order 1|2` and `critical --in A=LO:HI,…`.
/// What can be told from the text alone is checked here (a usage error, exit 2): a number that
/// is not a finite number, a range whose low end is not below its high end, a name given twice.
/// Names are checked against the program later (`CalculusRequest`).
extension Arguments {
    /// `A=V,B=V,...` (one option may repeat; `known` are the names given before).
    static func point(_ text: String, command: Command, known: [String]) throws(UsageError) -> [(name: String, value: Double)] {
        var seen = Set(known)
        var result: [(name: String, value: Double)] = []
        for (name, valueText) in try assignments(text, option: "--at", example: "--at x=2,y=3", command: command) {
            guard let value = finiteNumber(valueText) else {
                throw UsageError(message: "--at \(name)=\(valueText): the value must be a finite number", command: command)
            }
            guard seen.insert(name).inserted else { throw UsageError(message: "--at gives '\(name)' twice", command: command) }
            result.append((name, value))
        }
        return result
    }

    /// `1` or `2`.
    static func order(_ text: String, command: Command) throws(UsageError) -> Int {
        guard let order = Int(text.trimmingCharacters(in: .whitespaces)), order == 1 || order == 2 else {
            throw UsageError(message: "--order must be 1 (the tangent) or 2 (the quadratic model), found '\(text)'", command: command)
        }
        return order
    }

    /// `A=LO:HI,B=LO:HI,...` with LO < HI.
    static func box(_ text: String, command: Command,
                    known: [String]) throws(UsageError) -> [(name: String, lower: Double, upper: Double)] {
        var seen = Set(known)
        var result: [(name: String, lower: Double, upper: Double)] = []
        for (name, rangeText) in try assignments(text, option: "--in", example: "--in x=1:7,y=1:7", command: command) {
            let ends = rangeText.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard ends.count == 2, let lower = finiteNumber(ends[0]), let upper = finiteNumber(ends[1]) else {
                throw UsageError(message: "--in \(name)=\(rangeText): a range is LOW:HIGH with two finite numbers, as in \(name)=1:7",
                                 command: command)
            }
            guard lower < upper else {
                throw UsageError(message: "--in \(name)=\(rangeText): the low end must be below the high end", command: command)
            }
            guard (upper - lower).isFinite else {
                throw UsageError(message: "--in \(name)=\(rangeText): the range is wider than float64 can measure", command: command)
            }
            guard seen.insert(name).inserted else { throw UsageError(message: "--in gives '\(name)' twice", command: command) }
            result.append((name, lower, upper))
        }
        return result
    }

    /// `NAME=TEXT` pairs separated by commas.
    static func assignments(_ text: String, option: String, example: String,
                            command: Command) throws(UsageError) -> [(String, String)] {
        var result: [(String, String)] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = item.trimmingCharacters(in: .whitespaces)
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw UsageError(message: "\(option) needs NAME=VALUE pairs separated by commas, as in \(example); found '\(item)'",
                                 command: command)
            }
            result.append((item[..<equals].trimmingCharacters(in: .whitespaces),
                           item[item.index(after: equals)...].trimmingCharacters(in: .whitespaces)))
        }
        return result
    }

    /// A decimal number such as `2`, `-0.5` or `1e-3`; nil for anything else, `nan` and `inf` included.
    static func finiteNumber(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.unicodeScalars.first, first == "-" || first == "+" || first == "." || ("0"..."9").contains(first),
              let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }
}
