import FairScanSystem
import Foundation

/// Replaces a regular file whole (`FileReplacement`: a new file beside it, renamed over it, with
/// the replaced file's permissions), so a reader never sees half a report. Anything else that
/// exists (`/dev/null`, a FIFO, `/dev/stdout`) is written in place: renaming over it would
/// replace the device.
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
    do {
      try FileReplacement.write(bytes, to: path, permissions: .keep(orCreate: 0o666))
    } catch {
      throw CommandFailure.usage("cannot write \(path): \(error.message)")
    }
  }

  /// A report to `--output FILE` (replaced whole) or, without one, to standard output.
  static func emit(_ bytes: [UInt8], to output: String?) throws {
    guard let output else { return Terminal.write(bytes, to: 1) }
    do { try write(bytes, to: output) } catch let failure as CommandFailure { throw failure } catch {
      throw CommandFailure.usage("cannot write \(output): \(error)")
    }
  }
}
