import Foundation
import Testing
import SlopeCore
import SlopeTestSupport

/// Results never depend on the number of threads (issue 12: the 64-128-1 network differed in
/// the last bits between SLOPE_THREADS=1 and the default). Every program here is large enough
/// that its products and fused loops split over two threads; the JSON must be identical.
struct ThreadCountTests {
    static let programs: [String: String] = [
        "mlp": """
            seed 3
            input X: [1024, 64] = normal(0, 1)
            input y: [1024] = uniform(0, 1)
            param W1: [64, 128] = normal(0, 0.1)
            param b1: [128] = 0
            param W2: [128] = normal(0, 0.1)
            param b2 = 0
            h = tanh(X @ W1 + b1)
            p = sigmoid(h @ W2 + b2)
            loss = bce(p, y)
            minimize loss by adam(rate: 0.01, steps: 5)
            print loss, sum(h), mean(h * h, axis: 0)
            """,
        "logistic": """
            seed 8
            input X: [100000, 2] = normal(0, 1)
            input y: [100000] = uniform(0, 1)
            param w: [2] = 0
            param b = 0
            p = sigmoid(X @ w + b)
            loss = -mean(y * log(p) + (1 - y) * log(1 - p))
            minimize loss by gd(rate: 0.5, steps: 5)
            print loss, sum(p * p)
            """,
    ]

    @Test(arguments: programs.keys.sorted())
    func oneAndTwoThreadsGiveTheSameBits(_ name: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("\(name).graph", Self.programs[name]!)
        var outputs: [String] = []
        for threads in ["1", "2"] {
            let result = InProcess.run(["run", path, "--json"], environment: ["SLOPE_THREADS": threads])
            #expect(result.status == .success, "\(result)")
            outputs.append(result.out)
        }
        #expect(outputs[0] == outputs[1])
        #expect(!outputs[0].isEmpty)
    }
}
