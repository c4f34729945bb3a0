// W3 mlp by hand: 64 -> 128 sigmoid -> 1 sigmoid, bce, 200 GD steps, one thread.
// Each step streams the rows once: for row i, h = sigmoid(x W1 + b1), p = sigmoid(h W2 + b2),
// dz2 = (p - y) / N, dW2 += h dz2, db2 += dz2, dz1 = dz2 W2 ⊙ h ⊙ (1 - h), db1 += dz1,
// dW1 += xᵀ dz1 (an outer product); then all parameters are updated together.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let inputs = 64, hidden = 128, rate = 0.5

@main
enum W3 {
    static func main() {
        let data = Table("w3_mlp.csv")
        let X = data.matrix((0..<inputs).map { "x\($0)" })
        let y = data.column("label")
        let W1i = Table("w3_init_W1.csv").matrix(), b1i = Table("w3_init_b1.csv").matrix()
        let W2i = Table("w3_init_W2.csv").matrix(), b2i = Table("w3_init_b2.csv").matrix()[0]
        let n = y.count
        benchmark("w3") {
            var W1 = W1i, b1 = b1i, W2 = W2i, b2 = b2i
            var dW1 = [Double](repeating: 0, count: inputs * hidden)
            var db1 = [Double](repeating: 0, count: hidden), dW2 = db1
            var h = db1, dz1 = db1
            func forward(_ X: UnsafeBufferPointer<Double>, _ i: Int,
                         _ W1: UnsafeBufferPointer<Double>, _ b1: UnsafeBufferPointer<Double>,
                         _ W2: UnsafeBufferPointer<Double>, _ b2: Double,
                         _ h: UnsafeMutableBufferPointer<Double>) -> Double {
                for j in 0..<hidden { h[j] = 0 }
                for k in 0..<inputs {
                    let xik = X[i * inputs + k]
                    for j in 0..<hidden { h[j] += xik * W1[k * hidden + j] }
                }
                var z2 = 0.0
                for j in 0..<hidden {
                    h[j] = 1 / (1 + exp(-(h[j] + b1[j])))
                    z2 += h[j] * W2[j]
                }
                return 1 / (1 + exp(-(z2 + b2)))
            }
            X.withUnsafeBufferPointer { X in
            y.withUnsafeBufferPointer { y in
            W1.withUnsafeMutableBufferPointer { W1 in
            b1.withUnsafeMutableBufferPointer { b1 in
            W2.withUnsafeMutableBufferPointer { W2 in
            dW1.withUnsafeMutableBufferPointer { dW1 in
            db1.withUnsafeMutableBufferPointer { db1 in
            dW2.withUnsafeMutableBufferPointer { dW2 in
            h.withUnsafeMutableBufferPointer { h in
            dz1.withUnsafeMutableBufferPointer { dz1 in
                for _ in 0..<200 {
                    for j in 0..<dW1.count { dW1[j] = 0 }
                    for j in 0..<hidden { db1[j] = 0; dW2[j] = 0 }
                    var db2 = 0.0
                    for i in 0..<n {
                        let p = forward(X, i, UnsafeBufferPointer(W1), UnsafeBufferPointer(b1),
                                        UnsafeBufferPointer(W2), b2, h)
                        let dz2 = (p - y[i]) / Double(n)
                        db2 += dz2
                        for j in 0..<hidden {
                            dW2[j] += h[j] * dz2
                            dz1[j] = dz2 * W2[j] * h[j] * (1 - h[j])
                            db1[j] += dz1[j]
                        }
                        for k in 0..<inputs {
                            let xik = X[i * inputs + k]
                            for j in 0..<hidden { dW1[k * hidden + j] += xik * dz1[j] }
                        }
                    }
                    for j in 0..<dW1.count { W1[j] -= rate * dW1[j] }
                    for j in 0..<hidden { b1[j] -= rate * db1[j]; W2[j] -= rate * dW2[j] }
                    b2 -= rate * db2
                }
            }}}}}}}}}}
            var loss = 0.0, correct = 0.0
            X.withUnsafeBufferPointer { X in
            W1.withUnsafeBufferPointer { W1 in
            b1.withUnsafeBufferPointer { b1 in
            W2.withUnsafeBufferPointer { W2 in
            h.withUnsafeMutableBufferPointer { h in
                for i in 0..<n {
                    let p = forward(X, i, W1, b1, W2, b2, h)
                    loss += y[i] * log(p) + (1 - y[i]) * log(1 - p)
                    if (p > 0.5) == (y[i] == 1) { correct += 1 }
                }
            }}}}}
            return [("loss", -loss / Double(n)), ("accuracy", correct / Double(n))]
        }
    }
}
