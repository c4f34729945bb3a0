// W1 linreg by hand: 1000 GD steps on mean((m x + b - y)^2), closed-form gradients
// dm = 2 mean(r x), db = 2 mean(r) with r = m x + b - y; one sequential pass per step.

@main
enum W1 {
    static func main() {
        let table = Table("w1_linreg.csv")
        let x = table.column("x"), y = table.column("y")
        let n = x.count
        benchmark("w1") {
            x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    var m = 0.0, b = 0.0
                    for _ in 0..<1000 {
                        var sm = 0.0, sb = 0.0
                        for i in 0..<n {
                            let r = m * x[i] + b - y[i]
                            sm += r * x[i]
                            sb += r
                        }
                        let gm = 2 * sm / Double(n), gb = 2 * sb / Double(n)
                        m -= 0.5 * gm
                        b -= 0.5 * gb
                    }
                    var cost = 0.0
                    for i in 0..<n {
                        let r = m * x[i] + b - y[i]
                        cost += r * r
                    }
                    return [("m", m), ("b", b), ("cost", cost / Double(n))]
                }
            }
        }
    }
}
