import Foundation
import Testing
@testable import DescentCore

@Suite("Runner specializations")
struct SpecializationTests {
  /// `tools/specializations.py` writes one `@_specialize` per registered pair so every catalogue run is
  /// fully specialized; this fails when a type was registered without re-running it.
  @Test("every registered objective and optimizer type has its specializations")
  func complete() throws {
    let runner = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Sources/DescentCore/Runner/Runner.swift").path
    let text = try String(contentsOfFile: runner, encoding: .utf8)
    let optimizerTypes = Set(Catalog.builtIn.optimizers.map { String(describing: $0.type) }).sorted()
    var missing: [String] = []
    for objective in Catalog.builtIn.objectives {
      for optimizer in optimizerTypes {
        for recorder in ["DiscardingRecorder", "TrajectoryWriter"]
        where !text.contains("@_specialize(where F == \(objective), O == \(optimizer), R == \(recorder))") {
          missing.append("\(objective) × \(optimizer) × \(recorder)")
        }
      }
    }
    // One short message, not the whole file once per pair.
    #expect(missing.isEmpty, "run python3 tools/specializations.py: \(missing.count) specializations missing, such as \(missing.prefix(3).joined(separator: "; "))")
  }
}
