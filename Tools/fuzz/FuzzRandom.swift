/// The fuzzer's random numbers: SplitMix64, so a seed and an input's index give the same input
/// on every machine and in every run, whatever the inputs before it did.
struct FuzzRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// The generator of input `index` of the campaign seeded with `seed`: each input has a
    /// stream of its own, so `--only INDEX` rebuilds exactly that input.
    init(seed: UInt64, index: Int) {
        var mixer = FuzzRandom(seed: seed ^ 0x5107_E0F0_2245_C0DE)
        for _ in 0..<2 { _ = mixer.next() }
        state = mixer.next() ^ (UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `0..<bound` (0 when the bound is not positive).
    mutating func int(_ bound: Int) -> Int {
        guard bound > 0 else { return 0 }
        return Int(next() % UInt64(bound))
    }

    /// A whole number in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + int(range.count) }

    /// A double in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

    /// An index chosen with the given weights.
    mutating func weighted(_ weights: [Int]) -> Int {
        var roll = int(weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }

    /// A number written with two decimals in [low, high].
    mutating func decimal(_ low: Double, _ high: Double) -> String {
        let value = low + (high - low) * unit()
        let hundredths = (value * 100).rounded()
        let whole = Int(hundredths.magnitude) / 100, cents = Int(hundredths.magnitude) % 100
        let text = String(whole) + (cents < 10 ? ".0" : ".") + String(cents)
        return hundredths < 0 ? "-" + text : text
    }
}
