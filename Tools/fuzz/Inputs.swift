import Foundation

/// The seed programs mutations start from: `Graphs/*.graph` and `Tests/Cases/*.graph`, sorted
/// by name, with the CSV files under their `data/` folders (which the programs name as
/// `data/…`).
struct Corpus {
    var programs: [(name: String, bytes: [UInt8])] = []
    var data: [String: [UInt8]] = [:]

    init(root: URL) {
        for folder in ["Graphs", "Tests/Cases"] {
            let url = root.appendingPathComponent(folder)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
            for name in names where name.hasSuffix(".graph") {
                if let data = FileManager.default.contents(atPath: url.appendingPathComponent(name).path) {
                    programs.append(("\(folder)/\(name)", [UInt8](data)))
                }
            }
            let dataURL = url.appendingPathComponent("data")
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: dataURL.path)) ?? []).sorted() {
                if let bytes = FileManager.default.contents(atPath: dataURL.appendingPathComponent(name).path) {
                    data["data/" + name] = [UInt8](bytes)
                }
            }
        }
    }
}

/// Input number `index` of the campaign seeded with `seed`: which kind of input it is and
/// everything in it follow from the two numbers (and the corpus).
enum Inputs {
    enum Kind: String, CaseIterable {
        case generated, smooth, training, mutatedSeed = "mutated-seed", mutatedGenerated = "mutated-generated"
        case csv, params, commandLine = "command-line"

        var weight: Int {
            switch self {
            case .generated: return 18
            case .smooth: return 8
            case .training: return 14
            case .mutatedSeed: return 24
            case .mutatedGenerated: return 10
            case .csv: return 10
            case .params: return 5
            case .commandLine: return 15
            }
        }
    }

    static func make(_ index: Int, seed: UInt64, corpus: Corpus) -> FuzzCase {
        var random = FuzzRandom(seed: seed, index: index)
        let kind = Kind.allCases[random.weighted(Kind.allCases.map(\.weight))]
        switch kind {
        case .generated, .smooth:
            let program = ProgramSynthesizer.make(&random, smooth: kind == .smooth)
            var fuzzCase = FuzzCase(origin: "\(kind.rawValue) program")
            fuzzCase.program = Array(program.source.utf8)
            fuzzCase.files.merge(program.files) { a, _ in a }
            fuzzCase.smooth = program.smooth
            let lines = CommandLines(names: ProgramNames(params: program.params, inputs: program.inputs,
                                                         named: program.named, shapes: program.shapes))
            if kind == .smooth {
                var gradient = FuzzCommand(["grad", FuzzCase.programName])
                gradient.roundTrip = true
                fuzzCase.commands = [FuzzCommand(["check", FuzzCase.programName]), gradient]
                if random.chance(0.5) { fuzzCase.commands.append(lines.any(&random, &fuzzCase)) }
            } else {
                for _ in 0..<(2 + random.int(4)) { fuzzCase.commands.append(lines.any(&random, &fuzzCase)) }
            }
            return fuzzCase
        case .mutatedSeed, .mutatedGenerated:
            var source: [UInt8], origin: String
            if kind == .mutatedSeed, !corpus.programs.isEmpty {
                let seedProgram = random.pick(corpus.programs)
                (source, origin) = (seedProgram.bytes, seedProgram.name)
            } else {
                source = Array(ProgramSynthesizer.make(&random, smooth: false).source.utf8)
                origin = "a generated program"
            }
            let (mutated, mutations) = ProgramMutator.mutate(source, donors: corpus.programs.map(\.bytes), &random)
            var fuzzCase = FuzzCase(origin: "\(origin) mutated by " + mutations.joined(separator: ", "))
            fuzzCase.program = mutated
            addData(&fuzzCase, corpus)
            let lines = CommandLines(names: ProgramNames(scanning: mutated.count < 200_000 ? mutated : Array(mutated.prefix(4096))))
            for _ in 0..<(1 + random.int(3)) { fuzzCase.commands.append(lines.any(&random, &fuzzCase)) }
            return fuzzCase
        case .training:
            let program = TrainingPrograms.make(&random)
            var fuzzCase = FuzzCase(origin: "training program")
            fuzzCase.program = Array(program.source.utf8)
            fuzzCase.files.merge(program.files) { a, _ in a }
            fuzzCase.commands = TrainingPrograms.commands(program, &random, &fuzzCase)
            return fuzzCase
        case .csv:
            return DataFiles.csvCase(&random)
        case .params:
            return DataFiles.paramsCase(&random)
        case .commandLine:
            var fuzzCase = FuzzCase(origin: "bad command lines")
            var names: ProgramNames
            if random.chance(0.5), !corpus.programs.isEmpty {
                let seedProgram = random.pick(corpus.programs)
                fuzzCase.origin += " on \(seedProgram.name)"
                fuzzCase.program = seedProgram.bytes
                addData(&fuzzCase, corpus)
                names = ProgramNames(scanning: seedProgram.bytes)
            } else {
                let program = ProgramSynthesizer.make(&random, smooth: false)
                fuzzCase.program = Array(program.source.utf8)
                fuzzCase.files.merge(program.files) { a, _ in a }
                names = ProgramNames(params: program.params, inputs: program.inputs, named: program.named, shapes: program.shapes)
            }
            let lines = CommandLines(names: names)
            for _ in 0..<(1 + random.int(3)) { fuzzCase.commands.append(lines.bad(&random, &fuzzCase)) }
            return fuzzCase
        }
    }

    /// The corpus's CSV files, when the program reads any.
    static func addData(_ fuzzCase: inout FuzzCase, _ corpus: Corpus) {
        guard fuzzCase.program.count < 4_000_000,
              String(decoding: fuzzCase.program, as: UTF8.self).contains("csv") else { return }
        fuzzCase.files.merge(corpus.data) { a, _ in a }
    }
}
