import Foundation
import Testing

@testable import DescentPlots

@Suite("Templates")
struct TemplateTests {
  /// The repository's `plot/` folder, found from this file's path.
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("plot")

  @Test("Each embedded template is identical to its file in plot/", arguments: PlotTemplate.all.map(\.file))
  func identical(_ file: String) throws {
    let onDisk = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
    let embedded = PlotTemplate.all.first { $0.file == file }!.text
    #expect(
      onDisk == embedded,
      "plot/\(file) and its text in Sources/DescentPlots/PlotTemplate+Text.swift differ: copy one onto the other")
  }

  @Test("plot/ holds a template for every kind of plot, and nothing else")
  func complete() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".gp") }
    #expect(Set(files) == Set(PlotTemplate.all.map(\.file)))
  }
}
