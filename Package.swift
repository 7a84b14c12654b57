// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Descent",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "descent", targets: ["descent"]),
    .library(name: "DescentCore", targets: ["DescentCore"]),
    .library(name: "GnuplotKit", targets: ["GnuplotKit"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  ],
  targets: [
    // Objectives, optimizers, schedules, experiments, runner, results, regression. No CLI, no gnuplot.
    .target(name: "DescentCore", dependencies: ["DescentShims"]),
    // C the Swift importer cannot reach by itself: sincos, the runtime's decimal reader, unnamed files.
    .target(name: "DescentShims"),
    // Talks to gnuplot over a pipe. Knows nothing about optimizers.
    .target(name: "GnuplotKit"),
    // Turns a results directory into gnuplot scripts and pictures.
    .target(name: "DescentPlots", dependencies: ["DescentCore", "GnuplotKit"]),
    .executableTarget(
      name: "descent",
      dependencies: [
        "DescentCore", "DescentPlots", "DescentShims",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .testTarget(name: "DescentCoreTests", dependencies: ["DescentCore"], resources: [.copy("Fixtures")]),
    .testTarget(name: "GnuplotKitTests", dependencies: ["GnuplotKit"]),
    .testTarget(name: "DescentPlotsTests", dependencies: ["DescentPlots", "DescentCore", "GnuplotKit"]),
    .testTarget(name: "DescentCLITests", dependencies: ["DescentCore", "DescentPlots", "GnuplotKit"]),
  ],
  swiftLanguageModes: [.v6]
)
