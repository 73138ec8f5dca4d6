import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An append-only file of JSON lines, created `0600`, each line written whole and flushed to
/// disk before the next action: a run killed at any moment leaves every action it took on
/// record. Used for `fairscan-audit.jsonl` and for `--new-keys-file`.
final class AppendOnlyFile {
  let path: String
  private let fd: Int32

  /// Opens (creating `0600`) `path` for appending. Refuses a symbolic link, anything but a
  /// regular file, and, when `private` is set, a file that others could read.
  init(path: String, private requirePrivate: Bool) throws {
    self.path = path
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      let reason = errno == ELOOP ? "it is a symbolic link" : String(cString: strerror(errno))
      throw CommandFailure.usage("cannot open \(path) for appending: \(reason)")
    }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw CommandFailure.usage("\(path) is not a regular file")
    }
    if requirePrivate && info.st_mode & 0o077 != 0 {
      close(fd)
      throw CommandFailure.usage(
        "\(path) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))): chmod 600 it or choose another file")
    }
    self.fd = fd
  }

  deinit { close(fd) }

  /// Appends one JSON object as a line and flushes it to disk.
  func append(_ object: [String: Any]) throws {
    var data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    data.append(0x0A)
    let bytes = [UInt8](data)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        throw CommandFailure(message: "cannot write \(path): \(String(cString: strerror(errno)))", code: ExitStatus.apiFailure)
      }
      offset += n
    }
    _ = fsync(fd)
  }

  /// The JSON objects already in a file (lines that do not parse are skipped), or none.
  static func records(at path: String) -> [[String: Any]] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return data.split(separator: 0x0A).compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
  }
}
