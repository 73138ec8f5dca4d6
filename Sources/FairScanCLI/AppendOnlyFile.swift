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
    let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
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
        "\(path) can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8))): chmod 600 it or choose another file"
      )
    }
    self.fd = fd
    // A run killed in the middle of a write leaves a line without its end: end it, so the next
    // record starts a line of its own and stays readable.
    var last: UInt8 = 0x0A
    if info.st_size > 0, pread(fd, &last, 1, off_t(info.st_size - 1)) == 1, last != 0x0A {
      try writeAll([0x0A])
    }
    // The file's name is on disk too, not only its contents: sync the folder that holds it.
    let folder = open(
      (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
      O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folder >= 0 {
      _ = fsync(folder)
      close(folder)
    }
  }

  deinit { close(fd) }

  /// Appends one JSON object as a line and flushes it to disk.
  func append(_ object: [String: Any]) throws {
    var data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    data.append(0x0A)
    try writeAll([UInt8](data))
  }

  /// Writes `bytes` whole and flushes them to disk; a record that may not be on disk is an
  /// error (an action must never run without its intent on record).
  private func writeAll(_ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        throw CommandFailure(
          message: "cannot write \(path): \(String(cString: strerror(errno)))", code: ExitStatus.apiFailure)
      }
      offset += n
    }
    guard fsync(fd) == 0 else {
      throw CommandFailure(
        message: "cannot flush \(path) to disk: \(String(cString: strerror(errno)))", code: ExitStatus.apiFailure)
    }
  }

  /// The JSON objects already in a file (lines that do not parse are skipped), or none.
  static func records(at path: String) -> [[String: Any]] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return data.split(separator: 0x0A).compactMap {
      try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
    }
  }
}

/// Intent records: before each change it asks of the server (a revoke, a create), `fairscan
/// revoke` writes `{"action": "intent", "intended_action": …, "intent_id": …}` to the audit log and
/// flushes it to disk; the record of the answer carries the same `intent_id`. An intent with no
/// answer on record is open: the run died (or lost the connection for good) between the request
/// and its answer, so the change may or may not have been applied. The next run reconciles each
/// open intent with a fresh listing and records what it found (`action: "reconcile"`).
extension AppendOnlyFile {
  /// Writes an intent to do `action` (the rest of the record from `entry`) and returns its id.
  func intend(_ action: String, _ entry: [String: Any]) throws -> String {
    let id = UUID().uuidString.lowercased()
    var record = entry
    record["action"] = "intent"
    record["intended_action"] = action
    record["intent_id"] = id
    try append(record)
    return id
  }

  /// The intents among `records` that no later record answers (same `intent_id`), oldest first.
  static func openIntents(in records: [[String: Any]]) -> [[String: Any]] {
    var answered = Set<String>()
    for record in records where record["action"] as? String != "intent" {
      if let id = record["intent_id"] as? String { answered.insert(id) }
    }
    return records.filter {
      $0["action"] as? String == "intent" && ($0["intent_id"] as? String).map { !answered.contains($0) } == true
    }
  }
}
