import Foundation
import Testing
@testable import SlopeCore

/// Jacobi's method against eigenvalues known in closed form, and against the identities every
/// decomposition must satisfy (A·v = λ·v, trace = Σλ, orthonormal vectors) on random matrices.
@Suite struct SymmetricEigenTests {
    @Test func aTwoByTwoHasTheRootsOfItsCharacteristicPolynomial() {
        // [[2, 1], [1, 2]]: λ² − 4λ + 3 = 0, so λ = 1 and 3, with vectors (1, −1)/√2 and (1, 1)/√2.
        let eigen = SymmetricEigen([[2, 1], [1, 2]])
        #expect(eigen.values.count == 2)
        #expect(Swift.abs(eigen.values[0] - 1) < 1e-15 && Swift.abs(eigen.values[1] - 3) < 1e-15, "\(eigen.values)")
        let v = eigen.vectors[1]
        #expect(Swift.abs(Swift.abs(v[0]) - 0.5.squareRoot()) < 1e-15 && Swift.abs(v[0] - v[1]) < 1e-15, "\(v)")
    }

    @Test func theSecondDifferenceMatrixHasEigenvaluesTwoMinusTwoCosines() {
        // The n × n tridiagonal [-1, 2, -1] has λₖ = 2 − 2cos(kπ/(n+1)), k = 1…n.
        let n = 7
        let matrix = (0..<n).map { i in (0..<n).map { j in i == j ? 2.0 : Swift.abs(i - j) == 1 ? -1 : 0 } }
        let eigen = SymmetricEigen(matrix)
        let expected = (1...n).map { 2 - 2 * cos(Double($0) * Double.pi / Double(n + 1)) }
        for (value, exact) in zip(eigen.values, expected) { #expect(Swift.abs(value - exact) < 1e-14, "\(value) vs \(exact)") }
    }

    @Test func aDiagonalMatrixIsItsOwnDecompositionSorted() {
        let eigen = SymmetricEigen([[3, 0, 0], [0, -1, 0], [0, 0, 0]])
        #expect(eigen.values == [-1, 0, 3])
        #expect(eigen.vectors == [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    }

    @Test func aMatrixOfOneEntryOrNoneIsHandled() {
        #expect(SymmetricEigen([[-4]]).values == [-4])
        #expect(SymmetricEigen([]).values.isEmpty)
    }

    @Test(arguments: [2, 3, 5, 8, 16])
    func randomSymmetricMatricesSatisfyTheEigenEquation(_ n: Int) {
        var random = SeededNumbers(seed: UInt64(n))
        var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n { for j in i..<n { a[i][j] = random.next() * 10 - 5; a[j][i] = a[i][j] } }
        let eigen = SymmetricEigen(a)
        let trace = (0..<n).reduce(0.0) { $0 + a[$1][$1] }
        #expect(Swift.abs(eigen.values.reduce(0, +) - trace) < 1e-12)
        #expect(zip(eigen.values, eigen.values.dropFirst()).allSatisfy { $0 <= $1 }, "ascending")
        for (lambda, v) in zip(eigen.values, eigen.vectors) {
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(Swift.abs(norm - 1) < 1e-13)
            for i in 0..<n {
                let av = (0..<n).reduce(0.0) { $0 + a[i][$1] * v[$1] }
                #expect(Swift.abs(av - lambda * v[i]) < 1e-12, "row \(i) of A·v − λv")
            }
        }
        for k in 0..<n {
            for l in (k + 1)..<n {
                let dot = (0..<n).reduce(0.0) { $0 + eigen.vectors[k][$1] * eigen.vectors[l][$1] }
                #expect(Swift.abs(dot) < 1e-13, "vectors \(k) and \(l) are orthogonal")
            }
        }
    }

    @Test func theSymmetricPartIsWhatIsDecomposed() {
        // ½([[1, 3], [1, 1]] + its transpose) = [[1, 2], [2, 1]]: λ = −1 and 3.
        let eigen = SymmetricEigen([[1, 3], [1, 1]])
        #expect(Swift.abs(eigen.values[0] + 1) < 1e-15 && Swift.abs(eigen.values[1] - 3) < 1e-15, "\(eigen.values)")
    }

    @Test func pseudoSolveLeavesOutTheNullSpace() {
        // [[1, 1], [1, 1]] has λ = 0 along (1, −1) and λ = 2 along (1, 1): for b = (2, 0) the
        // pseudo-inverse keeps b's component along (1, 1), which is (1, 1), and divides by 2.
        let x = SymmetricEigen([[1, 1], [1, 1]]).pseudoSolve([2, 0])
        #expect(Swift.abs(x[0] - 0.5) < 1e-15 && Swift.abs(x[1] - 0.5) < 1e-15, "\(x)")
        #expect(SymmetricEigen([[0, 0], [0, 0]]).pseudoSolve([1, 1]) == [0, 0])
    }
}

/// A small seeded generator (SplitMix64) for test matrices.
struct SeededNumbers {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// A double in [0, 1).
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
    }
}
