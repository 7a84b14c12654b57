import Foundation

/// Writes the files `descent baseline` and `descent check` produce: atomically (a reader never sees half a
/// file), creating the parent directory when it is missing.
public enum ReportFile {
  public static func write(_ text: String, to path: String) throws(OutputError) {
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    if !FileIO.exists(parent) { try FileIO.makeDirectory(parent) }
    if FileIO.isDirectory(path) { throw OutputError("\(path) is a directory; give a file name") }
    try FileIO.writeAtomically(Array(text.utf8), to: path)
  }
}
