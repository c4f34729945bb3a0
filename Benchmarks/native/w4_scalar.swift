// W4 scalar by hand: f(x, y) = 85 - (1/90) g(x) g(y) with g(t) = t²(t - 6), and its partials
// fx = -(1/90) g'(x) g(y), fy = -(1/90) g(x) g'(y), g'(t) = 3t² - 12t, at every point,
// summed sequentially in file order.

@main
enum W4 {
    static func main() {
        let table = Table("w4_points.csv")
        let x = table.column("x"), y = table.column("y")
        benchmark("w4") {
            x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    var sf = 0.0, sfx = 0.0, sfy = 0.0
                    for i in 0..<x.count {
                        let a = x[i], b = y[i]
                        let ga = a * a * (a - 6), gb = b * b * (b - 6)
                        sf += 85 - (1.0 / 90) * ga * gb
                        sfx += -(1.0 / 90) * (3 * a * a - 12 * a) * gb
                        sfy += -(1.0 / 90) * ga * (3 * b * b - 12 * b)
                    }
                    return [("sum_f", sf), ("sum_fx", sfx), ("sum_fy", sfy)]
                }
            }
        }
    }
}
