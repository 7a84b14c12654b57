// swift-tools-version: 6.1
// The allocation benchmarks live in their own package so that `make test` never pays to build
// package-benchmark. Run them with `make bench-allocations` (or `swift package benchmark` in this folder).
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder: the checkout's directory name, whatever it is.
let descent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
  name: "DescentBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(path: ".."),
    .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "StepLoop",
      dependencies: [
        .product(name: "Benchmark", package: "package-benchmark"),
        .product(name: "DescentCore", package: descent),
      ],
      path: "Benchmarks/StepLoop",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]),
  ],
  swiftLanguageModes: [.v6]
)
