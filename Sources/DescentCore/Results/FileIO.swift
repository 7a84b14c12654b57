import Dispatch
import Foundation
import Synchronization

/// Small POSIX file helpers: atomic replace-by-rename, and writes that report errno clearly.
enum FileIO {
  static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

  /// Writes `bytes` to `path` as a `PendingFile`, so a reader or a crash never sees a half-written file
  /// under the final name.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws(OutputError) {
    try writeAtomically(pieces: [bytes[...]], to: path)
  }

  /// `writeAtomically` of a text's UTF-8, written from the string's own storage: a baseline of 100,000 runs
  /// copied into an array first held its 32 MB text twice, a fifth of `descent baseline`'s peak.
  static func writeAtomically(text: String, to path: String) throws(OutputError) {
    let file = try PendingFile(path: path)
    do { try file.write(text.utf8) } catch {
      file.discard()
      throw error
    }
    try file.commit()
  }

  /// Writes the concatenation of `pieces` as `writeAtomically` does, gathering small pieces into writes of
  /// 64 KB, so a large file can be written from its parts without being joined in memory. (A gathering
  /// buffer of a megabyte was fresh memory each time: 256 page faults, on this VM 1–2 ms per file.)
  static func writeAtomically(pieces: [ArraySlice<UInt8>], to path: String) throws(OutputError) {
    let file = try PendingFile(path: path)
    do {
      let size = 64 << 10
      var buffer: [UInt8] = []
      buffer.reserveCapacity(min(size, pieces.reduce(0) { $0 + $1.count }))
      for piece in pieces {
        if buffer.count + piece.count > size, !buffer.isEmpty {
          try file.write(buffer)
          buffer.removeAll(keepingCapacity: true)
        }
        if piece.count >= size {
          try file.write(piece)
        } else {
          buffer += piece
        }
      }
      try file.write(buffer)
    } catch {
      file.discard()
      throw error
    }
    try file.commit()
  }

  /// Writes `bytes` into the existing `path` as it is, without creating or replacing it: for devices and pipes.
  static func writeInto(_ path: String, _ bytes: some Collection<UInt8>) throws(OutputError) {
    let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else { throw OutputError("cannot open \(path) for writing: \(errorText(errno))") }
    defer { close(fd) }
    try writeAll(fd, bytes, path: path)
  }

  /// This process's id, asked once.
  static let processID = getpid()

  /// `dir/.name.tmp-<pid>` beside `dir/name`. Plain string work: `URL` would ask the file system
  /// whether the path is a directory, a system call per trajectory file.
  static func temporaryName(for path: String) -> String {
    let suffix = ".tmp-\(processID)"
    guard let slash = lastSlash(path) else { return "." + path + suffix }
    let name = path.utf8.index(after: slash)
    return path[..<name] + "." + path[name...] + suffix
  }

  /// The directory part of `path` (`.` for a bare name), by string work as `temporaryName` does.
  static func directoryName(of path: String) -> String {
    guard let slash = lastSlash(path) else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// The last `/` of `path`, found in its bytes: searching its `Character`s decodes grapheme clusters
  /// from the end, some 20,000 instructions for a trajectory's path, once per file.
  private static func lastSlash(_ path: String) -> String.Index? {
    path.utf8.lastIndex(of: UInt8(ascii: "/"))
  }

  static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>, path: String) throws(OutputError) {
    let result: Int32? = bytes.withContiguousStorageIfAvailable { buffer -> Int32 in
      var offset = 0
      while offset < buffer.count {
        let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += n
      }
      return 0
    }
    if let result {
      guard result == 0 else { throw OutputError("cannot write \(path): \(errorText(result))") }
    } else {
      try writeAll(fd, Array(bytes), path: path)
    }
  }

  /// Writes all of `bytes` at `offset` in the file (`pwrite`: writers of other parts of one file do not
  /// share a file position).
  static func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, path: String) throws(OutputError) {
    var done = 0
    while done < bytes.count {
      let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
      if n < 0 {
        if errno == EINTR { continue }
        throw OutputError("cannot write \(path): \(errorText(errno))")
      }
      done += n
    }
  }

  /// `count` float64 values read at byte `offset` of a regular file (a run's slot in a pack); `nil` if the file
  /// cannot be read or ends before them, with `fileBytes` told its size in that case. `room`: capacity for
  /// that many values more, as in `readDoubles(_:count:room:actualBytes:)`.
  static func readDoubles(_ path: String, offset: Int, count: Int, room: Int = 0, fileBytes: (Int) -> Void) -> [Double]? {
    guard var values = read(Double.self, path, offset: offset, count: count, room: room, fileBytes: fileBytes) else { return nil }
    if 1.littleEndian != 1 {
      for i in values.indices { values[i] = Double(bitPattern: UInt64(littleEndian: values[i].bitPattern)) }
    }
    return values
  }

  /// The last line of a file, as `lastLine` finds it.
  enum LastLine: Equatable {
    /// The line, without its newline (a file of one line gives that line).
    case line([UInt8])
    /// Longer than the limit: not read.
    case tooLong
    /// The file cannot be read, is empty, or does not end with a newline.
    case none
  }

  /// The last line of a regular file that ends with a newline, read from the file's end, a chunk of
  /// `chunk` bytes and then up to `limit`.
  static func lastLine(_ path: String, chunk: Int = 4096, limit: Int = 64 << 20) -> LastLine {
    guard let fd = openDescriptorForReading(path) else { return .none }
    defer { close(fd) }
    var s = stat()
    guard fstat(fd, &s) == 0, (s.st_mode & S_IFMT) == S_IFREG, s.st_size > 0 else { return .none }
    let size = Int(s.st_size)
    var want = min(size, chunk)
    while true {
      var tail = [UInt8](repeating: 0, count: want)
      let got = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, want, off_t(size - want)) }
      guard got == want, tail.last == UInt8(ascii: "\n") else { return .none }
      tail.removeLast()
      if let newline = tail.lastIndex(of: UInt8(ascii: "\n")) { return .line(Array(tail[(newline + 1)...])) }
      if want == size { return .line(tail) }
      guard want < limit else { return .tooLong }
      want = min(size, limit, want * 16)
    }
  }

  /// `count` values of `T` as the file's bytes hold them, read at byte `offset` of a regular file, with
  /// capacity for `room` more; `nil` as for `readDoubles(_:offset:count:room:fileBytes:)`.
  static func read<T: BitwiseCopyable>(_: T.Type, _ path: String, offset: Int, count: Int, room: Int = 0, fileBytes: (Int) -> Void) -> [T]? {
    guard let fd = openDescriptorForReading(path) else { return nil }
    defer { close(fd) }
    var s = stat()
    guard fstat(fd, &s) == 0, (s.st_mode & S_IFMT) == S_IFREG else { return nil }
    let bytes = count * MemoryLayout<T>.stride
    guard Int(s.st_size) >= offset + bytes else {
      fileBytes(Int(s.st_size))
      return nil
    }
    var failed = false
    let values = [T](unsafeUninitializedCapacity: count + room) { buffer, initialized in
      let raw = UnsafeMutableRawBufferPointer(buffer)
      var read = 0
      while read < bytes {
        let n = pread(fd, raw.baseAddress! + read, bytes - read, off_t(offset + read))
        if n < 0, errno == EINTR { continue }
        if n <= 0 {
          failed = true
          break
        }
        read += n
      }
      initialized = read / MemoryLayout<T>.stride
    }
    return failed ? nil : values
  }

  static func isDirectory(_ path: String) -> Bool {
    var s = stat()
    return lstat(path, &s) == 0 && (s.st_mode & S_IFMT) == S_IFDIR
  }

  /// A directory, or a link to one.
  static func leadsToDirectory(_ path: String) -> Bool {
    var s = stat()
    return stat(path, &s) == 0 && (s.st_mode & S_IFMT) == S_IFDIR
  }

  /// A regular file, not a link to one.
  static func isRegularFile(_ path: String) -> Bool {
    var s = stat()
    return lstat(path, &s) == 0 && (s.st_mode & S_IFMT) == S_IFREG
  }

  static func exists(_ path: String) -> Bool {
    var s = stat()
    return lstat(path, &s) == 0
  }

  static func isSymlink(_ path: String) -> Bool {
    var s = stat()
    return lstat(path, &s) == 0 && (s.st_mode & S_IFMT) == S_IFLNK
  }

  static func makeDirectory(_ path: String) throws(OutputError) {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      // Foundation says "The operation could not be completed" where a file stands in the way: name it.
      var ancestor = path
      while !ancestor.isEmpty && ancestor != "/" {
        if exists(ancestor) && !leadsToDirectory(ancestor) {
          throw OutputError("cannot create directory \(path): \(ancestor) is not a directory")
        }
        ancestor = (ancestor as NSString).deletingLastPathComponent
      }
      let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
      let reason = underlying?.domain == NSPOSIXErrorDomain ? errorText(Int32(underlying!.code)) : (error as NSError).localizedDescription
      throw OutputError("cannot create directory \(path): \(reason)")
    }
  }

  /// Opens `path` for reading without waiting: opening a FIFO that no one writes to would block forever (it
  /// reads as empty instead). Reads then block as usual, so a pipe given as a config still works.
  static func openForReading(_ path: String) -> FileHandle? {
    openDescriptorForReading(path).map { FileHandle(fileDescriptor: $0, closeOnDealloc: true) }
  }

  /// `openForReading`'s descriptor, which the caller closes.
  static func openDescriptorForReading(_ path: String) -> Int32? {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return fd
  }

  /// A regular file of exactly `count` little-endian float64, read straight into the array (reading the bytes
  /// first held a binary trajectory twice); `nil` if it cannot be read, and `actualBytes` called with its size
  /// if that is not `count` × 8. The array has capacity for `room` values more, so that they can be added
  /// without moving it.
  static func readDoubles(_ path: String, count: Int, room: Int = 0, actualBytes: (Int) -> Void) -> [Double]? {
    guard let fd = openDescriptorForReading(path) else { return nil }
    defer { close(fd) }
    var s = stat()
    guard fstat(fd, &s) == 0, (s.st_mode & S_IFMT) == S_IFREG else { return nil }
    guard Int(s.st_size) == count * 8 else {
      actualBytes(Int(s.st_size))
      return nil
    }
    var read = 0
    var failed = false
    var values = [Double](unsafeUninitializedCapacity: count + room) { buffer, initialized in
      let raw = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[..<(count * 8)])
      while read < raw.count {
        let n = Foundation.read(fd, raw.baseAddress! + read, raw.count - read)
        if n < 0, errno == EINTR { continue }
        if n < 0 { failed = true }
        if n <= 0 { break }
        read += n
      }
      // Whole values only: the rest of the buffer stays uninitialized and uncounted.
      initialized = read / 8
    }
    guard !failed else { return nil }
    // Shorter or longer than `fstat` said (changed while read): not the file the sidecar describes.
    var probe: UInt8 = 0
    let more = Foundation.read(fd, &probe, 1)
    guard read == count * 8, more == 0 else {
      actualBytes(read + max(more, 0))
      return nil
    }
    if 1.littleEndian != 1 {
      for i in values.indices { values[i] = Double(bitPattern: UInt64(littleEndian: values[i].bitPattern)) }
    }
    return values
  }

  /// How a line passed by `forEachLine` ended.
  enum LineEnd: Equatable {
    case newline
    /// The file's last line, without a newline.
    case endOfFile
    /// Longer than `maxLine`: only its first `maxLine` bytes are passed.
    case overlong
  }

  /// Calls `body` with each line of a regular file, without its newline, and how it ended, reading `chunk`
  /// bytes at a time: a journal of gigabytes is read in the memory of its longest line (at most `maxLine`
  /// bytes are kept of one), where reading it whole held it all beside its records. A line within a chunk
  /// is passed where it lies; only one that spans chunks is copied. `false`, with `body` called for the
  /// lines read so far, if the file cannot be read, is not a regular file or holds more than `limit` bytes
  /// (checked as it is read too: the file may grow).
  static func forEachLine(_ path: String, limit: Int, chunk: Int = 1 << 20, maxLine: Int = .max,
                          _ body: (UnsafeBufferPointer<UInt8>, LineEnd) -> Void) -> Bool {
    guard let fd = openDescriptorForReading(path) else { return false }
    defer { close(fd) }
    var s = stat()
    guard fstat(fd, &s) == 0, (s.st_mode & S_IFMT) == S_IFREG, Int(s.st_size) <= limit else { return false }
    let newline = UInt8(ascii: "\n")
    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(chunk, 1))
    defer { buffer.deallocate() }
    var carried: [UInt8] = []  // the start of a line that spans chunks (at most `maxLine` bytes of it)
    var carriedLength = 0  // the whole length of that start
    func carry(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
      if carried.count < maxLine { carried += bytes.prefix(maxLine - carried.count) }
      carriedLength += bytes.count
    }
    var total = 0
    while true {
      let n = Foundation.read(fd, buffer.baseAddress!, buffer.count)
      if n < 0, errno == EINTR { continue }
      if n < 0 { return false }
      if n == 0 { break }
      total += n
      if total > limit { return false }
      let bytes = UnsafeBufferPointer(rebasing: buffer[..<n])
      var start = 0
      // memchr: a scan a byte at a time took minutes for gigabytes in a debug build.
      while start < n, let found = memchr(bytes.baseAddress! + start, Int32(newline), n - start) {
        let end = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - bytes.baseAddress!
        if carriedLength == 0 {
          let overlong = end - start > maxLine
          body(UnsafeBufferPointer(rebasing: bytes[start..<(overlong ? start + maxLine : end)]), overlong ? .overlong : .newline)
        } else {
          carry(bytes[start..<end])
          carried.withUnsafeBufferPointer { body($0, carriedLength > maxLine ? .overlong : .newline) }
          carried.removeAll(keepingCapacity: true)
          carriedLength = 0
        }
        start = end + 1
      }
      carry(bytes[start...])
    }
    if carriedLength > 0 { carried.withUnsafeBufferPointer { body($0, carriedLength > maxLine ? .overlong : .endOfFile) } }
    return true
  }

  /// The bytes of a regular file; `nil` if it cannot be read, is not a regular file (a directory, a FIFO, a
  /// device: files in a results directory are untrusted) or holds more than `limit` bytes. Read straight
  /// into an array of the size `fstat` gives (going through `Data` held the file twice at the peak), then
  /// on to the end of the file.
  static func read(_ path: String, limit: Int = 64 << 20) -> [UInt8]? {
    guard let fd = openDescriptorForReading(path) else { return nil }
    defer { close(fd) }
    var s = stat()
    guard fstat(fd, &s) == 0, (s.st_mode & S_IFMT) == S_IFREG, Int(s.st_size) <= limit else { return nil }
    let size = Int(s.st_size)
    var failed = false
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      count = 0
      while count < size {
        let n = Foundation.read(fd, buffer.baseAddress! + count, size - count)
        if n < 0, errno == EINTR { continue }
        if n < 0 { failed = true }
        if n <= 0 { break }
        count += n
      }
    }
    guard !failed else { return nil }
    // Read on to the end: the file may have grown since `fstat` (a journal being appended to), or report
    // less than it holds (procfs, some network file systems).
    // On the stack: the usual answer is one read of nothing, and a buffer per file read would be wasted.
    let rest = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk -> [UInt8]? in
      var rest: [UInt8] = []
      while true {
        let n = Foundation.read(fd, chunk.baseAddress!, chunk.count)
        if n < 0, errno == EINTR { continue }
        if n < 0 { return nil }
        if n == 0 { return rest }
        rest += UnsafeBufferPointer(rebasing: chunk[..<n])
        if size + rest.count > limit { return nil }
      }
    }
    guard let rest else { return nil }
    return rest.isEmpty ? bytes : bytes + rest
  }
}

extension OutputError {
  /// Runs `body(0..<count)` on every core (`concurrentPerform`), each to its end whatever the others do, and
  /// throws the failure of the smallest index that failed, so the error reported does not depend on the cores.
  static func everyCore(_ count: Int, _ body: @Sendable (Int) throws(OutputError) -> Void) throws(OutputError) {
    let failures = Mutex([OutputError?](repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { k in
      do throws(OutputError) { try body(k) } catch { failures.withLock { $0[k] = error } }
    }
    if let failure = failures.withLock({ $0.lazy.compactMap { $0 }.first }) { throw failure }
  }
}
