/// The files one `slope run` was asked to write: `--save`, `--log` and `--plot`.
///
/// They are opened before anything runs, so a path that cannot be written (a missing folder, a
/// directory, a read-only file) is an error before the first step, not after the last. The log
/// is streamed while training runs. At the end all of them are committed together
/// (`OutputFile.commit(_:)`): each is written out and synced to its temporary file first, and
/// only when every one is complete are they renamed into place. So the files at those paths are
/// all this run's, or, when one cannot be written or the run is interrupted, all as they were.
/// A run whose training fails still writes every one of them: the params of the last good
/// step, the log's good rows, and a plot of the failed statement up to its failure.
/// `Options.keepsPlot` draws the same picture without a file, for `slope report`.
final class RunFiles {
    let save: OutputFile?
    let plot: OutputFile?
    /// True when the picture `--plot` draws is wanted: for a file, or kept in memory.
    let drawsPlot: Bool
    /// What `--plot` draws for a program that trains nothing.
    let function: PrintedPlot?
    /// `--log`'s rows, and the losses a plot of a failed statement needs; nil with neither.
    let log: LossLog?

    private init(save: OutputFile?, log: OutputFile?, plot: OutputFile?, drawsPlot: Bool, function: PrintedPlot?,
                 batchColumn: Bool) {
        self.save = save
        self.plot = plot
        self.drawsPlot = drawsPlot
        self.function = function
        self.log = log == nil && !drawsPlot ? nil : LossLog(file: log, keepsLosses: drawsPlot, batchColumn: batchColumn)
    }

    /// Opens every file asked for, or throws the first problem (and, since nothing has been
    /// committed, the files already opened are discarded and every path is left as it was).
    static func open(_ options: ProgramRunner.Options, program: Program) throws(Diagnostic) -> RunFiles {
        // Without training, --plot draws a printed function (or says why there is none).
        // Kept in memory, a program with nothing to draw simply has no picture.
        var function: PrintedPlot?
        let drawsPlot = options.plot != nil || options.keepsPlot
        if drawsPlot && !program.trains {
            if options.plot != nil { function = try FunctionPlot.choose(in: program).get() }
            else { function = try? FunctionPlot.choose(in: program).get() }
        }
        func open(_ path: String?) throws(Diagnostic) -> OutputFile? {
            guard let path else { return nil }
            switch OutputFile.open(path, protecting: program.readFiles) {
            case .success(let file): return file
            case .failure(let problem): throw DriverMessages.outputFile(problem)
            }
        }
        // A file opened before a later one fails is discarded when it goes out of scope.
        let save = try open(options.save)
        let log = try open(options.log)
        let plot = try open(options.plot)
        // sgd's steps have a loss on their batch: the log gets a column for it.
        let sgd = program.actions.contains { if case .train(let spec) = $0 { spec.method.kind == .sgd } else { false } }
        return RunFiles(save: save, log: log, plot: plot, drawsPlot: drawsPlot, function: function, batchColumn: sgd)
    }

    /// The picture `--plot` draws: the last training statement that ran (a failed one up to its
    /// failure), else the printed function or area; nil when there is none or none was asked for.
    func picture(_ result: ProgramRunner.Result, failed spec: TrainingSpec?, program: Program, values: [String: Tensor],
                 execution: ExecutionOptions, memoryInUse: Int = 0) -> String? {
        guard drawsPlot else { return nil }
        if let spec {
            return TrainingPlots.svg(failed: spec, trace: log?.trace ?? TrainingTrace(), perBatch: log?.lossesPerBatch ?? false)
        } else if let outcome = result.outcomes.last {
            return TrainingPlots.svg(outcome, program: program, values: values, execution: execution, memoryInUse: memoryInUse)
        } else if let function {
            return function.svg(program: program, values: values, execution: execution, memoryInUse: memoryInUse)
        }
        return nil
    }

    /// Writes what the run produced (`picture` is what `picture(…)` drew) and commits every
    /// file. Returns the run's diagnostics: the training failure, then the files that could not
    /// be written, then notes.
    func finish(_ result: ProgramRunner.Result, picture: String?, program: Program) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = result.failure.map { [$0.diagnostic] } ?? []
        if let save {
            let params = result.failure.map { failed in program.params.map { ($0.name, failed.lastGood[$0.name] ?? $0.value) } }
            save.write(ParamFile.text(params ?? result.params))
        }
        log?.close()
        if let plot, let picture { plot.write(picture) }
        let files = [save, log?.file, plot].compactMap { $0 }
        let problems = OutputFile.commit(files)
        diagnostics += problems.map(DriverMessages.outputFile)
        if problems.isEmpty {
            if result.failure != nil, let save { diagnostics.append(DriverMessages.savedLastGood(save.path)) }
        } else {
            for file in files where file.replacesFile && file.problem == nil {
                diagnostics.append(DriverMessages.outputKept(file.path))
            }
        }
        return diagnostics
    }
}
