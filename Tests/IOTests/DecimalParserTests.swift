import Foundation
import Testing
@testable import SlopeCore
import SlopeTestSupport

/// DecimalParser against its oracle, the C library's strtod (correctly rounded in glibc): every
/// text gives strtod's bits when strtod reads all of it, and nil when strtod stops early.

/// What strtod reads from the whole of `text`, or nil when it stops before the end.
private func strtodWhole(_ text: String) -> Double? {
    guard !text.isEmpty else { return nil }
    return text.withCString { start -> Double? in
        var end: UnsafeMutablePointer<CChar>?
        let value = strtod(start, &end)
        guard let end, end - UnsafeMutablePointer(mutating: start) == text.utf8.count else { return nil }
        return value
    }
}

private func parsed(_ text: String) -> Double? {
    Array(text.utf8).withUnsafeBufferPointer(DecimalParser.parse)
}

private func fastPath(_ text: String) -> Double? {
    Array(text.utf8).withUnsafeBufferPointer(DecimalParser.fastPath)
}

/// Whether two results are the same: both nil, or the same 64 bits (so -0 differs from 0, and
/// a NaN only matches a NaN with the same payload).
private func sameBits(_ a: Double?, _ b: Double?) -> Bool {
    a?.bitPattern == b?.bitPattern
}

/// A seeded generator of decimal text: 1–25 digits with leading zeros now and then, a point
/// anywhere (`.5`, `5.`), a sign, and an exponent written every way strtod reads one (`e5`,
/// `E+05`, `e-0300`), reaching from below the subnormals (1e-400) to past the largest float64.
private struct DecimalText {
    var random: SplitMix64

    mutating func next() -> String {
        var text = ""
        switch random.below(8) {
        case 0: text += "-"
        case 1: text += "+"
        default: break
        }
        let digitCount = 1 + random.below(25)
        var digits = (0..<digitCount).map { _ in Character(String(random.below(10))) }
        if random.below(4) == 0 { digits[0] = "0" }
        if random.below(8) == 0 { digits.insert(contentsOf: repeatElement("0", count: 1 + random.below(6)), at: 0) }
        var body = String(digits)
        if random.below(3) != 0 {
            // A point anywhere from before the first digit to after the last.
            let point = body.index(body.startIndex, offsetBy: random.below(body.count + 1))
            body.insert(".", at: point)
        }
        text += body
        if random.below(2) == 0 {
            text += random.below(2) == 0 ? "e" : "E"
            switch random.below(3) {
            case 0: text += "-"
            case 1: text += "+"
            default: break
            }
            let magnitude = random.below(4) == 0 ? random.below(420) : random.below(40)
            let written = String(magnitude)
            text += String(repeating: "0", count: random.below(3)) + written
        }
        return text
    }
}


@Test func randomDecimalsGiveStrtodsBits() {
    let seed: UInt64 = 15
    var generator = DecimalText(random: SplitMix64(state: seed))
    var failures: [String] = []
    var fast = 0
    let count = 200_000
    for _ in 0..<count {
        let text = generator.next()
        if !sameBits(parsed(text), strtodWhole(text)) { failures.append(text) }
        if fastPath(text) != nil { fast += 1 }
    }
    #expect(failures.isEmpty, "seed \(seed): \(failures.prefix(10).map { "'\($0)'" }.joined(separator: ", "))")
    // The generator reaches both paths: the check above covers the fast path and the fallback.
    #expect(fast > count / 4 && fast < count * 3 / 4, "\(fast) of \(count) took the fast path")
}

@Test func randomTextNearDecimalsIsReadOrRefusedAsStrtodDoes() {
    // Short strings over the characters a decimal is made of and a few that end one early.
    let alphabet = Array("0123456789.+-eE x,ni")
    var random = SplitMix64(state: 16)
    var failures: [String] = []
    for _ in 0..<100_000 {
        let text = String((0..<(1 + random.below(8))).map { _ in alphabet[random.below(alphabet.count)] })
        if !sameBits(parsed(text), strtodWhole(text)) { failures.append(text) }
    }
    #expect(failures.isEmpty, "seed 16: \(failures.prefix(10).map { "'\($0)'" }.joined(separator: ", "))")
}

@Test(arguments: [
    // Signs and zeros: -0 keeps its sign bit.
    "0", "-0", "+0", "-0.000", "0e0", "-0e400", "0.0e-400",
    // Points at either end, exponents written every way.
    ".5", "5.", "-.5", "+5.", "1e5", "1E+05", "1e-05", "1.e5", "12.5E-1",
    // The fast path's edges: 2^53 and 2^53 + 1 (which rounds to even), 10^22 and 10^23, and
    // exponents past 22 that fit after shifting digits into w (12e30) or do not (9e37).
    "9007199254740992", "9007199254740993", "1e22", "1e23", "12e30", "9e37", "123456789e-22",
    "1234567890123456789", "12345678901234567890", "0.0000000000000000000001",
    // Subnormals, the smallest and largest float64s, and both sides of overflow.
    "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.2250738585072011e-308",
    "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e400", "-1e309", "1e-400",
    // The long digit strings strtod rounds with all of them.
    "0.1000000000000000055511151231257827021181583404541015625",
    "2.00000000000000011102230246251565404236316680908203125",
    // Words and text that is not (all) one number.
    "inf", "-Infinity", "nan", "0x10", "1e", "1e+", "e5", ".", "-", "+", "", " 1", "1 ", "1.5.2", "--1", "1,5",
])
func edgeCasesGiveStrtodsBits(_ text: String) {
    #expect(sameBits(parsed(text), strtodWhole(text)), "'\(text)': \(String(describing: parsed(text))) against strtod's \(String(describing: strtodWhole(text)))")
}

@Test func everyBenchmarkStyleValueTakesTheFastPathExactly() {
    // WORKLOADS.md writes k / 10^4 (W4, W5), k / 10^6 (W1, W2) as shortest round-trip decimals;
    // each must come back as the same double, and without strtod.
    var failures: [String] = []
    for k in stride(from: -2_000_000, through: 2_000_000, by: 7) {
        for scale in [1e4, 1e6] {
            let value = Double(k) / scale
            let text = "\(value)"
            guard let read = fastPath(text), read.bitPattern == value.bitPattern else {
                failures.append(text)
                continue
            }
        }
    }
    #expect(failures.isEmpty, "\(failures.prefix(10))")
}

@Test func theFastPrefixEndsWhereStrtodStops() {
    let text = Array("1.5x,-2e3,7e+,8".utf8)
    text.withUnsafeBufferPointer { bytes in
        #expect(DecimalParser.fastPrefix(of: bytes, from: 0).map { [$0.value, Double($0.end)] } == [1.5, 3])
        #expect(DecimalParser.fastPrefix(of: bytes, from: 5).map { [$0.value, Double($0.end)] } == [-2000, 9])
        // An exponent without digits is not part of the number: '7' ends before the 'e'.
        #expect(DecimalParser.fastPrefix(of: bytes, from: 10).map { [$0.value, Double($0.end)] } == [7, 11])
        #expect(DecimalParser.fastPrefix(of: bytes, from: 14).map { [$0.value, Double($0.end)] } == [8, 15])
        #expect(DecimalParser.fastPrefix(of: bytes, from: 3) == nil)
    }
}
