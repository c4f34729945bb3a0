import Foundation

/// The fuzzer's own command line.
struct FuzzOptions {
    var slope = ".build/release/slope"
    var seed: UInt64 = 1
    /// Seconds of fuzzing (0: no limit); minimizing the last finding may run past it.
    var timeLimit = 60.0
    var maximumInputs: Int?
    var start = 0
    var output = ".build/fuzz"
    var corpus = "."
    var timeout = 10.0
    var memoryMegabytes = 4096
    var known: String?
    var minimizeSeconds = 60.0
    var minimize = true
    var only: Int?
    var show: Int?
    var quiet = false
    /// Worker processes; each runs every `jobs`-th input of the campaign.
    var jobs = 1
    /// Set in a worker: the distance between its inputs (the parent's `jobs`).
    var stride = 1

    static let usage = """
        usage: slope-fuzz [options]

        Runs the slope binary on generated, mutated and malformed inputs under every command and
        reports crashes, hangs, exit statuses outside 0/1/2, errors without a diagnostic or without
        FILE:LINE:COL and a caret, invalid --json, and gradient programs that do not run. Each
        finding is minimized and written, with a reproduction script, to the output folder.
        Exit status: 0 nothing new found, 1 findings (not counting known issues), 2 usage.

          --slope PATH           the binary (default .build/release/slope)
          --seed N               the campaign's seed (default 1): the same seed, the same inputs
          --time-limit S         stop after S seconds (default 60; 0 for no limit)
          --max-inputs K         stop after K inputs
          --start I              begin at input I (to continue a campaign)
          --out DIR              where findings go (default .build/fuzz)
          --corpus DIR           the package root holding Graphs/ and Tests/Cases/ (default .)
          --timeout S            CPU seconds before one run counts as a hang (default 10; or 4× as
                                 many seconds of wall-clock time)
          --memory-mb M          address-space limit of each run (default 4096)
          --known FILE           findings to report without failing (Tools/fuzz/known-issues.txt)
          --minimize-seconds S   time spent minimizing each finding (default 60)
          --no-minimize          keep findings as found
          --only I               run input I alone
          --show I               print input I without running it
          --quiet                no progress lines
          --jobs N               run the campaign in N worker processes, input I in worker I mod N
                                 (findings in DIR/job-J, one summary in DIR/summary.txt)
        """

    static func parse(_ arguments: [String]) throws -> FuzzOptions {
        var options = FuzzOptions()
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw FuzzError("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        func number<T: LosslessStringConvertible>(_ type: T.Type) throws -> T {
            let text = try value()
            guard let number = T(text) else { throw FuzzError("\(arguments[index - 1]) needs a number, found '\(text)'") }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--slope": options.slope = try value()
            case "--seed": options.seed = try number(UInt64.self)
            case "--time-limit": options.timeLimit = try number(Double.self)
            case "--max-inputs": options.maximumInputs = try number(Int.self)
            case "--start": options.start = try number(Int.self)
            case "--out": options.output = try value()
            case "--corpus": options.corpus = try value()
            case "--timeout": options.timeout = try number(Double.self)
            case "--memory-mb": options.memoryMegabytes = try number(Int.self)
            case "--known": options.known = try value()
            case "--minimize-seconds": options.minimizeSeconds = try number(Double.self)
            case "--no-minimize": options.minimize = false
            case "--only": options.only = try number(Int.self)
            case "--show": options.show = try number(Int.self)
            case "--quiet": options.quiet = true
            case "--jobs": options.jobs = try number(Int.self)
            case "--stride": options.stride = try number(Int.self)
            case "--help", "-h": throw FuzzError("")
            default: throw FuzzError("unknown option '\(arguments[index])'")
            }
            index += 1
        }
        guard options.jobs >= 1, options.jobs <= 64 else { throw FuzzError("--jobs needs 1 to 64 workers") }
        guard options.stride >= 1 else { throw FuzzError("--stride needs a positive number") }
        guard options.jobs == 1 || options.only == nil else { throw FuzzError("--only runs one input: it takes no --jobs") }
        return options
    }
}
