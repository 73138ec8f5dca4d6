#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open regular file read piece by piece (`pread`), for content too large to hold
/// (`ContentWindows`). It owns the descriptor and closes it on deinit; one buffer, the size
/// of the largest piece asked, is reused.
final class ContentFile: ContentSource {
  typealias Failure = ContentReadError
  private let fd: Int32
  let count: Int
  private var buffer: [UInt8] = []

  /// Takes ownership of `fd`, a regular file of `count` bytes.
  init(fd: Int32, count: Int) {
    self.fd = fd
    self.count = count
  }

  deinit { close(fd) }

  func withBytes(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> Void) throws(ContentReadError) {
    if buffer.count < range.count { buffer = [UInt8](repeating: 0, count: range.count) }
    var filled = 0
    while filled < range.count {
      let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, range.count - filled, off_t(range.lowerBound + filled)) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ContentReadError(message: String(cString: strerror(errno)))
      }
      if n == 0 { throw ContentReadError(message: "the file shrank while it was read") }
      filled += n
    }
    buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<range.count])) }
  }
}
