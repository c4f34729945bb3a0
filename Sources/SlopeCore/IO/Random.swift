/// The portable pseudo-random generator behind `normal()` and `uniform()`, so a seeded program
/// draws the same numbers on every machine:
///
/// - the state is four 64-bit words filled from the seed by SplitMix64 (Steele, Lea, Flood 2014);
/// - each draw is xoshiro256** (Blackman and Vigna 2018);
/// - a uniform double in [0, 1) is the top 53 bits of a draw times 2^-53;
/// - a normal draw uses the Box–Muller transform on two uniforms u1, u2:
///   sqrt(-2 ln(1 - u1)) · cos(2π u2), one normal per pair (the sine half is discarded).
///
/// Draws are taken in declaration order, row-major within a tensor.
public struct Random: Sendable {
    var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    @inline(__always)
    static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits (xoshiro256**).
    public mutating func nextBits() -> UInt64 {
        let result = Random.rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Random.rotateLeft(state.3, 45)
        return result
    }

    /// Uniform on [0, 1).
    public mutating func nextUniform() -> Double {
        Double(nextBits() >> 11) * 0x1.0p-53
    }

    /// Uniform on [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUniform()
    }

    /// Normal with the given mean and standard deviation (Box–Muller).
    public mutating func normal(_ mean: Double, _ std: Double) -> Double {
        let u1 = nextUniform(), u2 = nextUniform()
        let radius = (-2 * Foundation.log(1 - u1)).squareRoot()
        return mean + std * radius * Foundation.cos(2 * Double.pi * u2)
    }

    /// A uniformly random permutation of 0..<count (Fisher–Yates), for shuffling mini-batches.
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        guard count > 1 else { return order }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(nextBits() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }
}

import Foundation
