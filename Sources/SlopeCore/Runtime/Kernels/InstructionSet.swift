#if arch(x86_64)
import SlopeAVX2
#endif

/// Which implementation of the vector loops a kernel runs: the portable Swift loops (checked
/// Swift, vectorised for the build's baseline CPU), or the AVX2 loops of the `SlopeAVX2` target
/// when the CPU has AVX2 and FMA. Both compute the same bits (the tests run both and compare), so
/// the choice changes speed only, never a result.
public enum InstructionSet: Sendable, Equatable, CaseIterable {
    case portable
    case avx2FMA

    /// The best the running CPU supports, found once.
    public static let host: InstructionSet = {
        #if arch(x86_64)
        return slope_cpu_has_avx2_fma() != 0 ? .avx2FMA : .portable
        #else
        return .portable
        #endif
    }()

    /// The sets this CPU can run (for tests that compare them).
    public static var available: [InstructionSet] { host == .portable ? [.portable] : [.portable, host] }
}
