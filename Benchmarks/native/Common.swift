// Shared plumbing of the native limits: CSV loading, timing and the JSON result line.
//
// Each native program is built by run.sh as
//     swiftc -Ounchecked -parse-as-library Common.swift wN_NAME.swift -o BINARY
// and run as `BINARY [--once]`; it prints one JSON object like the Python peers (peers/common.py):
//     {"peer": "native", "workload": "w1", "values": {...}, "times": [s, s, s], "median": s}
// Times are wall seconds around the work only (CSV loading is outside the clock); each of the
// 3 repeats (1 with --once) starts again from the initial values.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder of data/*.csv: $SLOPE_BENCH_DATA, else ./data (run.sh runs from Benchmarks/).
func dataPath(_ name: String) -> String {
    let base: String
    if let env = getenv("SLOPE_BENCH_DATA") { base = String(cString: env) } else { base = "data" }
    return base + "/" + name
}

/// A CSV file of WORKLOADS.md's format, held column by column.
struct Table {
    var header: [String]
    var columns: [[Double]]

    /// Reads one header line, then rows of numbers separated by ',' and ending in '\n'.
    /// strtod rounds correctly, so the doubles are the ones every peer reads.
    init(_ name: String) {
        let path = dataPath(name)
        guard let file = fopen(path, "rb") else { fail("cannot open \(path): run generate_data.py") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        fclose(file)
        bytes.append(0)
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { fail("\(path): no header line") }
        header = String(decoding: bytes[0..<newline], as: UTF8.self).split(separator: ",").map(String.init)
        var columns = [[Double]](repeating: [], count: header.count)
        let count = header.count
        bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var p = UnsafeMutablePointer(mutating: base + newline + 1)
            let end = UnsafeMutablePointer(mutating: base + buffer.count - 1)
            while p < end {
                for c in 0..<count {
                    var next: UnsafeMutablePointer<CChar>? = nil
                    let value = strtod(p, &next)
                    guard let stop = next, stop != p else { fail("\(path): bad number in column \(c)") }
                    columns[c].append(value)
                    p = stop + 1  // past ',' or '\n'
                }
            }
        }
        self.columns = columns
    }

    func column(_ name: String) -> [Double] {
        guard let i = header.firstIndex(of: name) else { fail("no column \(name)") }
        return columns[i]
    }

    /// Every column, row-major [rows, columns].
    func matrix(_ names: [String]? = nil) -> [Double] {
        let cols = (names ?? header).map(column)
        let rows = cols[0].count
        var out = [Double](repeating: 0, count: rows * cols.count)
        for (j, col) in cols.enumerated() {
            for i in 0..<rows { out[i * cols.count + j] = col[i] }
        }
        return out
    }
}

func fail(_ message: String) -> Never {
    fputs("native: error: \(message)\n", stderr)
    exit(1)
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Runs `work` 3 times (once with --once), then prints the JSON result of the last run.
func benchmark(_ workload: String, _ work: () -> [(String, Double)]) {
    let repeats = CommandLine.arguments.contains("--once") ? 1 : 3
    var times: [Double] = []
    var values: [(String, Double)] = []
    for _ in 0..<repeats {
        let start = now()
        values = work()
        times.append(now() - start)
    }
    let median = times.sorted()[times.count / 2]
    let fields = values.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ")
    let list = times.map { "\($0)" }.joined(separator: ", ")
    print("{\"peer\": \"native\", \"workload\": \"\(workload)\", \"values\": {\(fields)}, "
        + "\"times\": [\(list)], \"median\": \(median), \"first\": null, \"threads\": 1}")
}
