#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import FairScanGit

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
    let fd = PathBytes.withCString(path) { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
    if fd < 0 {
      let code = errno
      if code == ELOOP { return .notRegular }
      return .failed(String(cString: strerror(code)))
    }
    var owned = true
    defer { if owned { close(fd) } }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return .failed(String(cString: strerror(errno))) }
    guard (info.st_mode & S_IFMT) == S_IFREG else { return .notRegular }
    let size = Int(info.st_size)
    if size > maxSize { return .tooLarge(size) }
    if size > wholeUpTo {
      owned = false
      return .large(ContentFile(fd: fd, count: size))
    }
    var buffer = [UInt8](repeating: 0, count: size)
    var filled = 0
    while filled < size {
      let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, size - filled) }
      if n < 0 {
        if errno == EINTR { continue }
        return .failed(String(cString: strerror(errno)))
      }
      if n == 0 { break }
      filled += n
    }
    if filled < size { buffer.removeLast(size - filled) }
    return .content(buffer)
  }

  /// Reads standard input up to `maxSize` bytes; `.tooLarge` if there is more.
  static func readStandardInput(maxSize: Int) -> Outcome {
    var buffer: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return .failed(String(cString: strerror(errno)))
      }
      if n == 0 { break }
      buffer.append(contentsOf: chunk[0..<n])
      if buffer.count > maxSize { return .tooLarge(buffer.count) }
    }
    return .content(buffer)
  }
}
