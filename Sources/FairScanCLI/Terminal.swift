#if canImport(Glibc)
  import Glibc
#endif

/// Where output goes, and what kind of terminal it is.
enum Terminal {
  /// Where `write` sends bytes instead of the file descriptors, for the duration of
  /// `Terminal.$capture.withValue(...)`: commands run in process (tests) read their output here.
  @TaskLocal static var capture: OutputCapture?

  static func standardError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    write(bytes, to: 2)
  }

  static func write(_ bytes: [UInt8], to fd: Int32) {
    if let capture { return capture.append(bytes, to: fd) }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
      if n < 0 { if errno == EINTR { continue }; return }
      offset += n
    }
  }

  static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// Colors unless `NO_COLOR` is set to something (no-color.org) or the terminal is dumb.
  static var colorAllowed: Bool {
    let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
    let term = getenv("TERM").map { String(cString: $0) } ?? ""
    return noColor.isEmpty && term != "dumb"
  }

  /// A progress line on stderr, redrawn in place.
  static func progress(_ line: String) {
    write(Array("\r\u{1b}[K\(line)".utf8), to: 2)
  }
}
