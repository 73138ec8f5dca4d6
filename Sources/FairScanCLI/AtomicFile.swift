import Foundation

/// Replaces a regular file whole (a temporary file beside it, then rename), so a
/// reader never sees half a report. Anything else that exists (`/dev/null`, a FIFO,
/// `/dev/stdout`) is written in place: renaming over it would replace the device.
enum AtomicFile {
  static func write(_ bytes: [UInt8], to path: String) throws {
    var info = stat()
    if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
      guard let handle = FileHandle(forWritingAtPath: path) else {
        throw CommandFailure.usage("cannot open \(path) for writing")
      }
      defer { try? handle.close() }
      try handle.write(contentsOf: Data(bytes))
      return
    }
    try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  /// A report to `--output FILE` (replaced whole) or, without one, to standard output.
  static func emit(_ bytes: [UInt8], to output: String?) throws {
    guard let output else { return Terminal.write(bytes, to: 1) }
    do { try write(bytes, to: output) } catch { throw CommandFailure.usage("cannot write \(output): \(error)") }
  }
}
