import DescentShims
import Foundation

/// Writes the files `descent baseline` and `descent check` produce: atomically (a reader never sees half a
/// file), creating the parent directory when it is missing.
public enum ReportFile {
  public static func write(_ text: String, to path: String) throws(OutputError) {
    // One of this process's own descriptors (`/dev/stdout`, `/dev/fd/3`) is written through the descriptor
    // itself, where the caller's redirection points it (`>> log`), after what stdout already holds: opened
    // again by name it would write from the file's start, and replaced it would lose the log.
    if let fd = ownDescriptor(path) {
      guard fcntl(fd, F_GETFD) != -1 else { throw OutputError("\(path): descriptor \(fd) is not open") }
      if fd == STDOUT_FILENO, descent_flush_standard_output() != 0 {
        throw OutputError("\(path): cannot write all of standard output")
      }
      return try FileIO.writeAll(fd, Array(text.utf8), path: path)
    }
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    if !FileIO.exists(parent) { try FileIO.makeDirectory(parent) }
    var status = stat()
    if stat(path, &status) == 0 {  // through symbolic links
      switch status.st_mode & S_IFMT {
      case S_IFDIR:
        throw OutputError("\(path) is a directory; give a file name")
      case S_IFREG:
        // A symbolic link to a file stays a link: the file it names is replaced.
        if FileIO.isSymlink(path) { return try FileIO.writeAtomically(text: text, to: canonical(path)) }
      default:
        // A device or a pipe (`/dev/stdout`, a FIFO) is written into; replacing it by a file would
        // remove it (run as root, `--markdown /dev/full` did).
        return try FileIO.writeInto(path, text.utf8)
      }
    }
    try FileIO.writeAtomically(text: text, to: path)
  }

  /// The descriptor `path` names when it is one of this process's own: `/dev/stdout`, `/dev/stderr`,
  /// `/dev/fd/N` or `/proc/self/fd/N`.
  static func ownDescriptor(_ path: String) -> Int32? {
    switch path {
    case "/dev/stdout": return STDOUT_FILENO
    case "/dev/stderr": return STDERR_FILENO
    default:
      for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
        return Int32(path.dropFirst(prefix.count)).flatMap { $0 >= 0 ? $0 : nil }
      }
      return nil
    }
  }

  /// The files of a results directory that `descent run` writes, at its top level; `runs/` and `plots/` are its
  /// own as a whole.
  static let resultFiles: Set<String> = ["config.json", "manifest.json", "summary.csv", "summary.json"]
  static let resultFolders: Set<String> = ["runs", "plots"]

  /// Why the report or baseline file `path` must not be written, if it must not: it would replace one of the
  /// results in `results`, or one of `others` (the baseline being read, another report), each named by what it
  /// is. A new file inside the results directory, such as `Results/ci/junit.xml`, is fine.
  /// An empty path names no file (it would have been renamed onto "", after the results printed).
  public static func conflict(_ path: String, results: String, others: [(path: String, what: String)] = []) -> String? {
    guard !path.isEmpty else { return "the path is empty; give a file name" }
    let target = canonical(path)
    for other in others where canonical(other.path) == target {
      return "\(path) is also \(other.what); give each file its own path"
    }
    let directory = canonical(results)
    guard target.hasPrefix(directory + "/") else { return nil }
    let inside = target.dropFirst(directory.count + 1).split(separator: "/").map(String.init)
    if inside.count == 1 ? resultFiles.contains(inside[0]) : resultFolders.contains(inside[0]) {
      return "\(path) is part of the results in \(results); writing there would replace them"
    }
    return nil
  }

  /// `path` absolute, with `.`, `..` and symbolic links resolved: the whole path where it exists (`realpath`), else
  /// its folder's, plus its name.
  static func canonical(_ path: String) -> String {
    let absolute = URL(fileURLWithPath: path).path
    if let resolved = realpath(absolute, nil) {
      defer { free(resolved) }
      return String(cString: resolved)
    }
    let url = URL(fileURLWithPath: absolute)
    let name = url.lastPathComponent
    let parent = url.deletingLastPathComponent().path
    guard parent != absolute, !parent.isEmpty else { return absolute }
    let folder = canonical(parent)
    return (folder == "/" ? "" : folder) + "/" + name
  }
}
