import DescentShims
import Foundation

/// A file being written that appears under its final name, whole, only when committed: the results
/// layout's promise that a crash or a kill never leaves a half-written file that looks complete.
///
/// Where the file system allows it (Linux's `O_TMPFILE`: ext4, XFS, Btrfs, tmpfs) the file has no name at
/// all until `commit` links it into place, and a process that dies first leaves nothing behind. Elsewhere
/// (NFS, Lustre and other shared file systems a sharded sweep may write to) it is written under a
/// temporary name beside the final one (`FileIO.temporaryName`) and renamed into place; the results
/// directory removes such names left by a killed run. The unnamed way costs the kernel one change to the
/// directory instead of three (create, and rename's remove and add): on this VM's ext4, 29–32 against
/// 35–39 µs for an empty file in a C loop, and sweep-2d at 20 steps a run (2,304 files of about 1 KB)
/// went from 164 to 148 ms (medians of 12 alternating runs, `--jobs 1`).
struct PendingFile {
  let fd: Int32
  /// The final name.
  let path: String
  /// The name the file has until committed; `nil` while it has none.
  let temporary: String?

  /// Whether unnamed files can be given a name: through `/proc/self/fd`, or directly by root. Where linking
  /// is refused all the same, `commit` copies the bytes into a named temporary instead.
  static let canLinkUnnamed = access("/proc/self/fd", F_OK) == 0 || geteuid() == 0

  /// Creates the file for writing. `unnamed: false` asks for the temporary name even where an unnamed
  /// file would do (tests use it to cover both ways).
  init(path: String, unnamed: Bool = true) throws(OutputError) {
    self.path = path
    if unnamed, Self.canLinkUnnamed {
      let fd = descent_open_anonymous(FileIO.directoryName(of: path), 0o644)
      if fd >= 0 {
        self.fd = fd
        temporary = nil
        return
      }
      // Not supported here (or the directory is unusable, which the named way reports in its own words).
    }
    let temporary = FileIO.temporaryName(for: path)
    (fd, self.temporary) = (try Self.createNamed(temporary), temporary)
  }

  /// Creates `temporary` for writing. A temporary of the same name can only be left by an earlier process
  /// that had this one's id; it is replaced. (Removing it first, every time, would cost a system call that
  /// locks the directory, per trajectory file.) `O_NOFOLLOW`: a link planted under the name is not
  /// written through.
  private static func createNamed(_ temporary: String) throws(OutputError) -> Int32 {
    let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
    var fd = open(temporary, flags, 0o644)
    if fd < 0, errno == EEXIST {
      unlink(temporary)
      fd = open(temporary, flags, 0o644)
    }
    guard fd >= 0 else { throw OutputError("cannot create \(temporary): \(FileIO.errorText(errno))") }
    return fd
  }

  /// Reserves `bytes` of disk for the file, its size unchanged (`descent_reserve`): on ext4 a large file
  /// written into reserved blocks costs the kernel about 12 % less than one allocated page by page (sweep-2d's
  /// binary files: 0.37 against 0.42 s of system time). A
  /// hint, whose failure changes nothing.
  func reserve(_ bytes: Int) {
    _ = descent_reserve(fd, Int64(bytes))
  }

  /// Gives back the disk reserved beyond the `size` bytes written (a run that stopped early): truncating to
  /// the size it has frees the blocks past it.
  func release(beyond size: Int) {
    _ = ftruncate(fd, off_t(size))
  }

  /// How errors name the file: its temporary name while it has one.
  var displayName: String { temporary ?? path }

  func write(_ bytes: some Collection<UInt8>) throws(OutputError) {
    try FileIO.writeAll(fd, bytes, path: displayName)
  }

  /// Puts the file in place under `path`, replacing what is there, and closes it.
  func commit() throws(OutputError) {
    try commit(link: { descent_link_anonymous($0, $1) })
  }

  /// `commit`, with the call that names an unnamed file given (tests make it fail).
  func commit(link: (Int32, String) -> Int32) throws(OutputError) {
    defer { close(fd) }
    if let temporary { return try Self.rename(temporary, to: path) }
    if link(fd, path) == 0 { return }
    var code = errno
    // Something is in the way (a trajectory kept from an interrupted run, a file being replaced): a link
    // cannot replace it, a rename can, from a temporary name given for that moment.
    let named = FileIO.temporaryName(for: path)
    if code == EEXIST {
      if link(fd, named) == 0 { return try Self.rename(named, to: path) }
      code = errno
      if code == EEXIST, unlink(named) == 0 {
        if link(fd, named) == 0 { return try Self.rename(named, to: path) }
        code = errno
      }
    }
    // Linking is refused here (root without CAP_DAC_READ_SEARCH, a sandbox's /proc): the bytes are copied
    // from the unnamed file, opened for reading too, into a named temporary, so nothing written is lost.
    let copy: Int32
    do { copy = try Self.createNamed(named) } catch {
      throw OutputError("cannot create \(path): \(FileIO.errorText(code)); nor \(error.message)")
    }
    do {
      try Self.copyAll(from: fd, to: copy, path: named)
    } catch {
      close(copy)
      unlink(named)
      throw error
    }
    close(copy)
    try Self.rename(named, to: path)
  }

  private static func copyAll(from source: Int32, to destination: Int32, path: String) throws(OutputError) {
    let size = 256 << 10
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    defer { buffer.deallocate() }
    var offset: off_t = 0
    while true {
      let n = pread(source, buffer, size, offset)
      if n < 0, errno == EINTR { continue }
      guard n >= 0 else { throw OutputError("cannot read back \(path): \(FileIO.errorText(errno))") }
      if n == 0 { return }
      try FileIO.writeAll(destination, UnsafeBufferPointer(start: buffer, count: n), path: path)
      offset += off_t(n)
    }
  }

  private static func rename(_ temporary: String, to path: String) throws(OutputError) {
    guard Foundation.rename(temporary, path) == 0 else {
      let code = errno
      unlink(temporary)
      throw OutputError("cannot rename \(temporary) to \(path): \(FileIO.errorText(code))")
    }
  }

  /// Closes the file and removes its temporary name, if it has one: nothing of it stays.
  func discard() {
    close(fd)
    if let temporary { unlink(temporary) }
  }
}
