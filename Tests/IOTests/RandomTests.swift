import Testing
@testable import SlopeCore
import SlopeTestSupport

// Reference values computed independently (a short Python transcription of SplitMix64 seeding
// and xoshiro256**, as documented in IO/Random.swift). Any change to the generator, its
// seeding or the uniform/normal transforms changes these numbers.

@Test func seed42GivesThePinnedBits() {
    var random = Random(seed: 42)
    #expect([random.nextBits(), random.nextBits(), random.nextBits()] ==
            [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1])
}

@Test func seed0IsAnOrdinarySeed() {
    // SplitMix64 makes a usable state from 0 too.
    var random = Random(seed: 0)
    #expect([random.nextBits(), random.nextBits()] == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A])
}

@Test func uniformsAreTheTop53BitsScaled() {
    // (0x15780b2e0c2ec716 >> 11) · 2^-53 = 0.08386297105988216, and so on.
    var random = Random(seed: 42)
    #expect([random.nextUniform(), random.nextUniform(), random.nextUniform()] ==
            [0.08386297105988216, 0.3789802506626686, 0.6800434110281394])
}

@Test func normalsUseBoxMullerOnPairsOfUniforms() {
    // sqrt(-2 ln(1 - u1)) · cos(2π u2) for the pairs (u1, u2) above; log and cos come from the
    // platform's libm, so allow an ulp or two.
    var random = Random(seed: 42)
    let draws = (0..<3).map { _ in random.normal(0, 1) }
    let pinned = [-0.303263064678738, 1.3438117634372806, 0.3834617912676943]
    for (draw, pin) in zip(draws, pinned) { #expect(Swift.abs(draw - pin) <= 4e-16 * Swift.abs(pin)) }
    var scaled = Random(seed: 42)
    #expect(Swift.abs(scaled.normal(10, 2) - (10 + 2 * pinned[0])) <= 1e-14)
}

@Test func aPermutationContainsEveryIndexOnce() {
    var random = Random(seed: 7)
    let order = random.permutation(100)
    #expect(order.sorted() == Array(0..<100))
    #expect(order != Array(0..<100))
    var same = Random(seed: 7)
    #expect(same.permutation(100) == order)
}
