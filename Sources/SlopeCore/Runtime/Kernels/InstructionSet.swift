#if arch(x86_64)
import SlopeAVX2
#endif

/// Which implementation of the vector loops a kernel runs: the portable Swift loops (checked
/// Swift, vectorised for the build's baseline CPU), the AVX2 loops of the `SlopeAVX2` target
/// when the CPU has AVX2 and FMA, or with AVX-512 as well, the eight-lane exp, log, sigmoid and
/// softplus loops (every other kernel its AVX2 loop). All compute the same bits (the tests run
/// each and compare), so the choice changes speed only, never a result.
public enum InstructionSet: Sendable, Equatable, CaseIterable {
    case portable
    case avx2FMA
    case avx512

    /// The best the running CPU supports, found once.
    public static let host: InstructionSet = {
        #if arch(x86_64)
        if slope_cpu_has_avx512() != 0 { return .avx512 }
        return slope_cpu_has_avx2_fma() != 0 ? .avx2FMA : .portable
        #else
        return .portable
        #endif
    }()

    /// Whether the AVX2 loops may run (AVX-512 machines have AVX2 too).
    var hasAVX2: Bool { self != .portable }

    /// The sets this CPU can run (for tests that compare them).
    public static var available: [InstructionSet] {
        switch host {
        case .portable: return [.portable]
        case .avx2FMA: return [.portable, .avx2FMA]
        case .avx512: return [.portable, .avx2FMA, .avx512]
        }
    }
}
