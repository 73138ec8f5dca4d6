/// Paths as git and the file system hold them: bytes, usually but not always UTF-8.
///
/// fairscan carries every path as a `String`. A path whose bytes are not valid UTF-8 is
/// decoded without loss: each byte that is not part of a valid UTF-8 sequence becomes the
/// private-use scalar U+10FF00 + byte, and so does each byte of a scalar already in that range
/// (U+10FF00...U+10FFFF), which keeps the mapping one-to-one. `bytes(_:)` gives the exact bytes
/// back, for opening the file, for fingerprints and for the reports' `path_bytes`; a valid
/// UTF-8 path is its own `String` and its bytes are its UTF-8, so nothing changes for it.
public enum PathBytes {
  /// The first of the 256 scalars standing for single bytes.
  static let base: UInt32 = 0x10FF00

  /// The path for `bytes`, lossless.
  public static func string<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    let array = Array(bytes)
    if let text = String(validating: array, as: UTF8.self), !text.unicodeScalars.contains(where: { $0.value >= base }) {
      return text
    }
    var scalars = String.UnicodeScalarView()
    var parser = Unicode.UTF8.ForwardParser()
    var input = array.makeIterator()
    var offset = 0
    loop: while true {
      switch parser.parseScalar(from: &input) {
      case .valid(let encoded):
        let scalar = Unicode.UTF8.decode(encoded)
        if scalar.value >= base {
          for byte in encoded { scalars.append(Unicode.Scalar(base + UInt32(byte))!) }
        } else {
          scalars.append(scalar)
        }
        offset += encoded.count
      case .error(let length):
        for byte in array[offset..<offset + length] { scalars.append(Unicode.Scalar(base + UInt32(byte))!) }
        offset += length
      case .emptyInput:
        break loop
      }
    }
    return String(scalars)
  }

  /// The path for a NUL-terminated C string (libgit2's, `readdir`'s), lossless.
  public static func string(cString: UnsafePointer<CChar>) -> String {
    var length = 0
    while cString[length] != 0 { length += 1 }
    return cString.withMemoryRebound(to: UInt8.self, capacity: length) {
      string(UnsafeBufferPointer(start: $0, count: length))
    }
  }

  /// The exact bytes of `path`.
  public static func bytes(_ path: String) -> [UInt8] {
    guard !isExact(path) else { return Array(path.utf8) }
    var out: [UInt8] = []
    for scalar in path.unicodeScalars {
      if scalar.value >= base {
        out.append(UInt8(scalar.value - base))
      } else {
        out += Array(String(scalar).utf8)
      }
    }
    return out
  }

  /// Whether `path` is valid UTF-8 as it stands (its bytes are its UTF-8).
  public static func isExact(_ path: String) -> Bool {
    // The UTF-8 of U+10FF00...U+10FFFF begins with the byte 0xF4: a path without one is exact,
    // found without decoding a scalar.
    guard path.utf8.contains(0xF4) else { return true }
    return !path.unicodeScalars.contains { $0.value >= base }
  }

  /// `path` for display: each byte that is not UTF-8 shown as U+FFFD (lossy).
  public static func display(_ path: String) -> String {
    guard !isExact(path) else { return path }
    return String(String.UnicodeScalarView(path.unicodeScalars.map { $0.value >= base ? "\u{FFFD}" : $0 }))
  }

  /// `path` as git quotes a path that is not plain (`core.quotePath=false`): the path itself
  /// when it is valid UTF-8; otherwise in double quotes, with each byte that is not UTF-8 as
  /// a three-digit octal escape (`"\377\376.txt"`), and `"`, `\` and control characters escaped.
  public static func quoted(_ path: String) -> String {
    guard !isExact(path) else { return path }
    var out = "\""
    for scalar in path.unicodeScalars {
      switch scalar.value {
      case base...: out += octal(UInt8(scalar.value - base))
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x07: out += "\\a"
      case 0x08: out += "\\b"
      case 0x09: out += "\\t"
      case 0x0A: out += "\\n"
      case 0x0B: out += "\\v"
      case 0x0C: out += "\\f"
      case 0x0D: out += "\\r"
      case 0x00..<0x20, 0x7F: out += octal(UInt8(scalar.value))
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// Runs `body` with `path`'s exact bytes as a NUL-terminated C string (to open the file).
  public static func withCString<R>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
    guard !isExact(path) else { return try path.withCString(body) }
    let bytes = self.bytes(path).map { CChar(bitPattern: $0) } + [0]
    return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
  }

  /// `byte` as a three-digit octal escape (`\377`), as git and the shell's `$'...'` write it.
  public static func octal(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 8)
    return "\\" + String(repeating: "0", count: 3 - digits.count) + digits
  }
}
