import Dispatch

/// The optimizer's pass list, in phases. Each phase runs its passes in order, round after
/// round, until a round changes nothing; the phases run in order, and the whole sequence
/// repeats while any phase changed something. Both loops are bounded: rules converge (none
/// undoes another), so the bounds are a safety net that no test reaches.
///
///     canonicalize: simplify (which also folds and merges duplicates), dce
///     stabilize:    stabilize, dce
///
/// Each pass rebuilds the graph, so the pipeline has few of them: folding and common
/// subexpressions are done inside `simplify`'s walk (`fold` and `cse` remain as passes of their
/// own, for tests and for pipelines built by hand).
///
/// Fusion is not a phase: the planner fuses elementwise loops when it plans (`FusionScheduler`).
public struct Pipeline: Sendable {
    public struct Phase: Sendable {
        public let name: String
        public let passes: [Pass]
        public init(name: String, passes: [Pass]) {
            self.name = name
            self.passes = passes
        }
    }

    public var phases: [Phase]
    /// Rounds of one phase before giving up on a fixed point.
    public var maximumRounds: Int
    /// Repetitions of the whole phase sequence.
    public var maximumSweeps: Int

    public init(phases: [Phase], maximumRounds: Int = 16, maximumSweeps: Int = 4) {
        self.phases = phases
        self.maximumRounds = maximumRounds
        self.maximumSweeps = maximumSweeps
    }

    public static let canonicalize = Phase(name: "canonicalize", passes: [AlgebraicSimplification.pass, DeadCodeElimination.pass])
    public static let stabilize = Phase(name: "stabilize", passes: [Stabilization.pass, DeadCodeElimination.pass])

    /// Every pass Slope runs between lowering and execution, with the rules that keep values:
    /// what `run`, training, `grad --json`, `ir` and `dot --opt` use.
    public static let standard = Pipeline(phases: [canonicalize, stabilize])

    /// A pipeline for the readable gradient `slope grad` prints, never for values: the standard
    /// passes with the rules of the `admitted` classes, such as those that give a number where
    /// IEEE arithmetic gives NaN (`finiteOnly`: x*0 = 0, x/x = 1) and the polynomial expansion
    /// that can cancel (`cancelling`).
    public static func readable(admitting admitted: Set<Exactness>) -> Pipeline {
        Pipeline(phases: [
            Phase(name: "canonicalize", passes: [AlgebraicSimplification.pass(admitting: admitted), DeadCodeElimination.pass]),
            stabilize,
        ])
    }

    /// Every rule, for reading (and for testing each rule).
    public static let readable = readable(admitting: Set(Exactness.allCases))

    /// Runs the pipeline for the graph's outputs and `roots` (each pass keeps both, and moves
    /// the graph's interface onto its result). `recordGraphs` keeps a copy of the IR after each
    /// pass that changed it (for `slope ir --passes`).
    public func run(_ graph: Graph, roots: [NodeID], recordGraphs: Bool = false) -> Optimized {
        var graph = graph
        var roots = roots
        var replacement: [NodeID?] = graph.ids.map { Optional($0) }
        var runs: [PassRun] = []
        var limitReached = false
        // A phase is at its fixed point once every one of its passes has run since the last
        // change; the pipeline is, once every phase has been at its fixed point since the last
        // phase that changed anything. (A phase that changed the graph ended at its own fixed
        // point, so it counts as settled.)
        var sweep = 1
        var settledPhases = 0
        var phaseIndex = 0
        while settledPhases < phases.count {
            let phase = phases[phaseIndex]
            var phaseChanged = false
            var round = 1
            // A pass is settled when running it now would change nothing: it has run since the
            // last change, or it changed the graph and reported its result a fixed point, or
            // only dead nodes were removed since it settled.
            var settled = [Bool](repeating: false, count: phase.passes.count)
            var passIndex = 0
            while settled.contains(false) {
                if round > maximumRounds { limitReached = true; break }
                if settled[passIndex] {
                    passIndex += 1
                    if passIndex == phase.passes.count { passIndex = 0; round += 1 }
                    continue
                }
                let pass = phase.passes[passIndex]
                var report = PassReport()
                let before = graph.count
                let start = DispatchTime.now().uptimeNanoseconds
                let result = pass.run(graph, roots: roots, report: &report)
                if result.changed {
                    if !pass.onlyRemovesDeadNodes { settled = settled.map { _ in false } }
                    settled[passIndex] = result.atFixedPoint
                    phaseChanged = true
                    graph = result.graph
                    roots = roots.map { root in
                        guard let mapped = result.replacement[root.int] else {
                            preconditionFailure("internal error: pass '\(pass.name)' dropped a root")
                        }
                        return mapped
                    }
                    replacement = replacement.map { $0.flatMap { result.replacement[$0.int] } }
                    runs.append(PassRun(pass: pass.name, phase: phase.name, sweep: sweep, round: round, nodesBefore: before,
                                        nodesAfter: graph.count, firings: report.firings,
                                        seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                                        graph: recordGraphs ? graph : nil, roots: roots))
                } else {
                    settled[passIndex] = true
                }
                passIndex += 1
                if passIndex == phase.passes.count { passIndex = 0; round += 1 }
            }
            settledPhases = phaseChanged ? 1 : settledPhases + 1
            phaseIndex += 1
            if phaseIndex == phases.count {
                phaseIndex = 0
                sweep += 1
                if sweep > maximumSweeps && settledPhases < phases.count { limitReached = true; break }
            }
        }
        return Optimized(graph: graph, roots: roots, replacement: replacement, runs: runs, limitReached: limitReached)
    }
}

/// One run of a pass that changed the graph.
public struct PassRun: Sendable {
    public let pass: String
    public let phase: String
    /// Which repetition of the phase sequence (from 1).
    public let sweep: Int
    /// Which round of its phase within the sweep (from 1).
    public let round: Int
    public let nodesBefore: Int
    public let nodesAfter: Int
    public let firings: [RuleFiring]
    /// Wall-clock time of the pass.
    public let seconds: Double
    /// The IR after the pass, when the pipeline was asked to record it.
    public let graph: Graph?
    /// The extra roots given to the pipeline, in `graph` (its outputs are in `graph.outputs`).
    public let roots: [NodeID]
}
