import Glibc

/// Writes a file whole: the bytes go to a new file beside it (same folder, so the same file
/// system), which is then renamed over the path. A reader sees the old file or the new one, never
/// half of either, and a failed write leaves the old file as it was.
///
/// No `fsync`: the rename protects readers and a crashed fairscan, not a machine that loses
/// power. Every file fairscan replaces (a report, a hook, a cache, the work tree's record) is
/// written again by the next run; an `fsync` cost a warm rescan of swift-nio 1 ms of its 28, and
/// more on the slow disks of CI machines. The audit log, which must survive, is appended and
/// synced (`AppendOnlyFile`), not replaced.
public enum FileReplacement {
  /// The new file's permissions.
  public enum Permissions: Sendable, Equatable {
    /// `mode`, less the process's umask (what `open` gives a new file).
    case create(mode_t)
    /// `mode` exactly, whatever the umask.
    case exactly(mode_t)
    /// Those of the regular file being replaced; `create(mode)` when there is none.
    case keep(orCreate: mode_t)
  }

  /// What `write` did.
  public enum Outcome: Sendable, Equatable {
    case replaced
    /// `accept` said no: the new file was removed, the old one left as it was.
    case declined
  }

  /// Replaces the file at `path` with `bytes`. `accept` sees the new file's status,
  /// written and closed, before the rename, and may decline it (`WorktreeSnapshot` declines a file
  /// whose change time is too recent to trust). The new file is created exclusively
  /// (`O_EXCL`, never through a symlink) under a name no other writer uses.
  /// Throws the failed call's `SystemError` (the new file removed).
  @discardableResult
  public static func write(
    _ bytes: [UInt8], to path: String, permissions: Permissions, accept: (FileStatus) -> Bool = { _ in true }
  ) throws(SystemError) -> Outcome {
    var mode: mode_t
    var exact = false
    switch permissions {
    case .create(let wanted): mode = wanted
    case .exactly(let wanted): (mode, exact) = (wanted, true)
    case .keep(let wanted):
      mode = wanted
      var existing = stat()
      if lstat(path, &existing) == 0 && existing.st_mode & S_IFMT == S_IFREG {
        (mode, exact) = (existing.st_mode & 0o7777, true)
      }
    }
    let (temporary, fd) = try createTemporary(beside: path, mode: mode)
    var open = true
    do throws(SystemError) {
      if exact { guard fchmod(fd, mode) == 0 else { throw .current } }
      try writeAll(bytes, to: fd)
      var info = stat()
      guard fstat(fd, &info) == 0 else { throw .current }
      open = false
      guard Glibc.close(fd) == 0 else { throw .current }
      if !accept(FileStatus(info)) {
        unlink(temporary)
        return .declined
      }
      guard rename(temporary, path) == 0 else { throw .current }
      return .replaced
    } catch {
      if open { _ = Glibc.close(fd) }
      unlink(temporary)
      throw error
    }
  }

  /// A new file in `path`'s folder, named after it with the process id and a random suffix
  /// (`.report.json.1234.5f0e...new`), created exclusively; another name is tried if it exists.
  private static func createTemporary(beside path: String, mode: mode_t) throws(SystemError) -> (String, Int32) {
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var attempts = 0
    while true {
      let temporary = folder + "." + name + ".\(getpid()).\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).new"
      let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
      if fd >= 0 { return (temporary, fd) }
      let error = SystemError.current
      attempts += 1
      guard error.code == EEXIST, attempts < 8 else { throw error }
    }
  }

  /// Writes all of `bytes` to `fd`; interrupted and short writes continue.
  private static func writeAll(_ bytes: [UInt8], to fd: Int32) throws(SystemError) {
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
      if n < 0 {
        let error = SystemError.current
        if error.isInterrupted { continue }
        throw error
      }
      guard n > 0 else { throw SystemError(code: EIO) }
      done += n
    }
  }
}
