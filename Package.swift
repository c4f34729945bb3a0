// swift-tools-version:6.0
import PackageDescription

/// Slope: a computation-graph compiler and interpreter. No package dependencies:
/// the toolchain's Foundation, Dispatch and Swift Testing only.
///
/// The release build is the standard checked one (-O, whole-module): no unsafe flags, so
/// bounds checks and internal-error preconditions stay on, and the package builds for any CPU.
/// The inner loops that need AVX2 and FMA live in the small C target `SlopeAVX2`, compiled with
/// per-function target attributes and chosen at run time when the CPU has them.

let package = Package(
    name: "Slope",
    products: [
        .executable(name: "slope", targets: ["slope"]),
        .library(name: "SlopeCore", targets: ["SlopeCore"]),
    ],
    targets: [
        .target(name: "SlopeAVX2"),
        .target(name: "SlopeCore", dependencies: ["SlopeAVX2"]),
        .executableTarget(name: "slope", dependencies: ["SlopeCore"]),
        .executableTarget(name: "slope-fuzz", path: "Tools/fuzz", exclude: ["run.sh", "known-issues.txt"]),
        .target(name: "SlopeTestSupport", dependencies: ["SlopeCore"]),
        .testTarget(name: "SyntaxTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "SemanticsTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "IRTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "PassesTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "AutodiffTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "CalculusTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "RuntimeTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "EmitTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "IOTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "DriverTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
        .testTarget(name: "ServerTests", dependencies: ["SlopeCore", "SlopeTestSupport"]),
    ]
)
