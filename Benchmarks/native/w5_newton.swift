// W5 newton by hand: 20 Newton iterations per start on f(x, y) = 85 - (1/90) g(x) g(y),
// g(t) = t²(t - 6). With g' = 3t² - 12t and g'' = 6t - 12:
//   fx = -(1/90) g'(x) g(y),   fy = -(1/90) g(x) g'(y),
//   fxx = -(1/90) g''(x) g(y), fyy = -(1/90) g(x) g''(y), fxy = -(1/90) g'(x) g'(y),
// and the step solves the 2x2 system by Cramer's rule (both updates from the old x, y).
// This is the "same Newton loop written by hand in plain Swift".

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
enum W5 {
    static func main() {
        let table = Table("w5_starts.csv")
        let x0 = table.column("x0"), y0 = table.column("y0")
        benchmark("w5") {
            x0.withUnsafeBufferPointer { x0 in
                y0.withUnsafeBufferPointer { y0 in
                    var converged = 0.0, sx = 0.0, sy = 0.0
                    for i in 0..<x0.count {
                        var x = x0[i], y = y0[i]
                        for _ in 0..<20 {
                            let gx = x * x * (x - 6), gy = y * y * (y - 6)
                            let dgx = 3 * x * x - 12 * x, dgy = 3 * y * y - 12 * y
                            let fx = -(1.0 / 90) * dgx * gy, fy = -(1.0 / 90) * gx * dgy
                            let fxx = -(1.0 / 90) * (6 * x - 12) * gy
                            let fyy = -(1.0 / 90) * gx * (6 * y - 12)
                            let fxy = -(1.0 / 90) * dgx * dgy
                            let det = fxx * fyy - fxy * fxy
                            (x, y) = (x - (fyy * fx - fxy * fy) / det, y - (fxx * fy - fxy * fx) / det)
                        }
                        if abs(x - 4) < 1e-6 && abs(y - 4) < 1e-6 { converged += 1 }
                        sx += x
                        sy += y
                    }
                    return [("converged", converged), ("sum_x", sx), ("sum_y", sy)]
                }
            }
        }
    }
}
