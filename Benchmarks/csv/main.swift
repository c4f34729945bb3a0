// The CSV parser alone, in MB/s: for each file named on the command line, the bytes are read
// once, then counted and parsed as `csv()` does (CSVTable.cellBound, then CSVTable.parse) nine
// times; the best and median runs are printed, as wall and as CPU time of this thread (the
// second is steadier when other work shares the machine). Built by Benchmarks/csv_parse.sh from
// the SlopeCore sources it needs.
import Foundation

func threadSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

@main struct CSVParseBenchmark {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            let bytes = try CSVTable.read(path: path)
            var wall: [Double] = [], cpu: [Double] = []
            var cells = 0
            for _ in 0..<9 {
                let start = Date(), startCPU = threadSeconds()
                let table = try CSVTable.parse(path: path, bytes: bytes, cellBound: CSVTable.cellBound(bytes))
                cpu.append(threadSeconds() - startCPU)
                wall.append(Date().timeIntervalSince(start))
                cells = table.rowCount * table.header.count
            }
            wall.sort()
            cpu.sort()
            let megabytes = Double(bytes.count) / 1e6
            print(String(format: "%@  %.1f MB, %d cells: wall best %.1f ms (%.0f MB/s), median %.1f ms (%.0f MB/s); cpu best %.1f ms (%.0f MB/s), median %.1f ms (%.0f MB/s)",
                         (path as NSString).lastPathComponent, megabytes, cells,
                         wall[0] * 1e3, megabytes / wall[0], wall[4] * 1e3, megabytes / wall[4],
                         cpu[0] * 1e3, megabytes / cpu[0], cpu[4] * 1e3, megabytes / cpu[4]))
        }
    }
}
