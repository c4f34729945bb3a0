// W2 logistic by hand: 1000 GD steps on bce(sigmoid(w1 x1 + w2 x2 + b), label);
// d bce / d z = (p - label) / N, so each step is one sequential pass over the rows.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
enum W2 {
    static func main() {
        let table = Table("w2_logistic.csv")
        let x1 = table.column("x1"), x2 = table.column("x2"), label = table.column("label")
        let n = x1.count
        benchmark("w2") {
            x1.withUnsafeBufferPointer { x1 in
            x2.withUnsafeBufferPointer { x2 in
            label.withUnsafeBufferPointer { y in
                var w1 = 0.0, w2 = 0.0, b = 0.0
                for _ in 0..<1000 {
                    var s1 = 0.0, s2 = 0.0, sb = 0.0
                    for i in 0..<n {
                        let z = w1 * x1[i] + w2 * x2[i] + b
                        let d = 1 / (1 + exp(-z)) - y[i]
                        s1 += d * x1[i]
                        s2 += d * x2[i]
                        sb += d
                    }
                    w1 -= 0.5 * s1 / Double(n)
                    w2 -= 0.5 * s2 / Double(n)
                    b -= 0.5 * sb / Double(n)
                }
                var loss = 0.0, correct = 0.0
                for i in 0..<n {
                    let z = w1 * x1[i] + w2 * x2[i] + b
                    let p = 1 / (1 + exp(-z))
                    loss += y[i] * log(p) + (1 - y[i]) * log(1 - p)
                    if (z > 0) == (y[i] == 1) { correct += 1 }
                }
                return [("loss", -loss / Double(n)), ("accuracy", correct / Double(n)),
                        ("w1", w1), ("w2", w2), ("b", b)]
            }}}
        }
    }
}
