/// How a piece of content is encoded as text, as far as the scan cares: UTF-16 and UTF-32
/// content is decoded to UTF-8 before the rules read it (`ScanWorker`), with every position
/// reported in the original bytes; anything else (UTF-8, Latin-1, binary) is read as it is.
enum TextEncoding: Equatable, Sendable {
  case bytes
  case utf16(bigEndian: Bool, bom: Bool)
  /// UTF-32 is recognised by its byte order mark only.
  case utf32(bigEndian: Bool)

  /// Bytes per code unit (1 for content read as it is).
  var unitSize: Int {
    switch self {
    case .bytes: 1
    case .utf16: 2
    case .utf32: 4
    }
  }

  /// Bytes of byte order mark at the start of the content (never part of the text).
  var bomLength: Int {
    switch self {
    case .bytes: 0
    case .utf16(_, let bom): bom ? 2 : 0
    case .utf32: 4
    }
  }

  /// How many bytes `detect` looks at.
  static let sampleSize = 1024

  /// The encoding of content starting with `head` (its first bytes, `sampleSize` or fewer).
  /// A byte order mark decides (UTF-32's before UTF-16's, whose mark it starts with). Without
  /// one, content is UTF-16 when, over its first KiB, the bytes at one parity are nearly all
  /// zero, those at the other nearly never, and the code units are text: valid UTF-16 (a lone
  /// surrogate only where the sample is cut), no NUL, at least 90% printable or whitespace.
  /// That is what ASCII-heavy text saved as UTF-16 looks like, and what binary data does not.
  static func detect(_ head: UnsafeRawBufferPointer) -> TextEncoding {
    func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && zip(head, magic).allSatisfy { $0 == $1 } }
    if starts([0x00, 0x00, 0xFE, 0xFF]) { return .utf32(bigEndian: true) }
    if starts([0xFF, 0xFE, 0x00, 0x00]) { return .utf32(bigEndian: false) }
    if starts([0xFE, 0xFF]) { return .utf16(bigEndian: true, bom: true) }
    if starts([0xFF, 0xFE]) { return .utf16(bigEndian: false, bom: true) }
    let pairs = min(head.count, sampleSize) / 2
    guard pairs >= 4 else { return .bytes }
    var zeroEven = 0, zeroOdd = 0
    for i in 0..<pairs {
      if head[2 * i] == 0 { zeroEven += 1 }
      if head[2 * i + 1] == 0 { zeroOdd += 1 }
    }
    let bigEndian: Bool
    if zeroOdd * 10 >= pairs * 7 && zeroEven * 10 <= pairs {
      bigEndian = false
    } else if zeroEven * 10 >= pairs * 7 && zeroOdd * 10 <= pairs {
      bigEndian = true
    } else {
      return .bytes
    }
    var textual = 0
    var i = 0
    while i < pairs {
      let unit = unit16(head, at: 2 * i, bigEndian: bigEndian)
      if unit == 0 { return .bytes }
      if (0xD800..<0xDC00).contains(unit) {
        guard i + 1 < pairs else { break }  // cut by the sample
        guard (0xDC00..<0xE000).contains(unit16(head, at: 2 * i + 2, bigEndian: bigEndian)) else { return .bytes }
        textual += 2
        i += 2
        continue
      }
      if (0xDC00..<0xE000).contains(unit) { return .bytes }
      if unit == 0x09 || unit == 0x0A || unit == 0x0D || (unit >= 0x20 && unit != 0x7F && !(0x80..<0xA0).contains(unit))
      {
        textual += 1
      }
      i += 1
    }
    guard textual * 10 >= pairs * 9 else { return .bytes }
    return .utf16(bigEndian: bigEndian, bom: false)
  }

  @inline(__always)
  static func unit16(_ bytes: UnsafeRawBufferPointer, at i: Int, bigEndian: Bool) -> UInt32 {
    bigEndian ? UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1]) : UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i])
  }

  @inline(__always)
  static func unit32(_ bytes: UnsafeRawBufferPointer, at i: Int, bigEndian: Bool) -> UInt32 {
    bigEndian
      ? UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
      : UInt32(bytes[i + 3]) << 24 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i])
  }
}
