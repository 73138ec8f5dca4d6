import FairScanGit
import FairScanSystem

/// Reads plain files safely: never follows a symlink, never opens a FIFO,
/// socket or device, and checks the size before reading anything into memory.
enum FileReader {
  enum Outcome {
    case content([UInt8])
    /// Larger than `wholeUpTo`: read window by window.
    case large(ContentFile)
    case tooLarge(Int)
    case notRegular
    case failed(String)
  }

  /// Reads the file at `path`, whole when it has `wholeUpTo` bytes or fewer, else opened
  /// for reading in windows (`.large`).
  static func read(_ path: String, maxSize: Int, wholeUpTo: Int = .max) -> Outcome {
    // A path that is not UTF-8 is opened by its exact bytes (PathBytes).
    let file: FileDescriptor
    switch PathBytes.withCString(
      path, { path in Result { () throws(SystemError) in try FileDescriptor.openForReading(path) } })
    {
    case .success(let opened): file = opened
    case .failure(let error): return error.isSymbolicLink ? .notRegular : .failed(error.message)
    }
    var owned = true
    defer { if owned { file.close() } }
    let status: FileStatus
    do { status = try file.status() } catch { return .failed(error.message) }
    guard status.kind == .regular else { return .notRegular }
    let size = status.size
    if size > maxSize { return .tooLarge(size) }
    if size > wholeUpTo {
      owned = false
      return .large(ContentFile(file: file, count: size))
    }
    var buffer = [UInt8](repeating: 0, count: size)
    let filled: Int
    do { filled = try file.read(into: &buffer, count: size) } catch { return .failed(error.message) }
    if filled < size { buffer.removeLast(size - filled) }
    return .content(buffer)
  }

  /// Reads standard input up to `maxSize` bytes; `.tooLarge` if there is more.
  static func readStandardInput(maxSize: Int) -> Outcome {
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n: Int
      do { n = try FileDescriptor.standardInput.readSome(into: &chunk) } catch { return .failed(error.message) }
      if n == 0 { break }
      buffer.append(contentsOf: chunk[0..<n])
      if buffer.count > maxSize { return .tooLarge(buffer.count) }
    }
    return .content(buffer)
  }
}
