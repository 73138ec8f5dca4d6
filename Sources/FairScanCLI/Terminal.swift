#if canImport(Glibc)
import Glibc
#endif

/// Where output goes, and what kind of terminal it is.
enum Terminal {
  static func standardError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    write(bytes, to: 2)
  }

  static func write(_ bytes: [UInt8], to fd: Int32) {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
      if n < 0 { if errno == EINTR { continue }; return }
      offset += n
    }
  }

  static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  static var colorAllowed: Bool { getenv("NO_COLOR") == nil && (getenv("TERM").map { String(cString: $0) != "dumb" } ?? true) }

  /// A progress line on stderr, redrawn in place.
  static func progress(_ line: String) {
    write(Array("\r\u{1b}[K\(line)".utf8), to: 2)
  }
}
