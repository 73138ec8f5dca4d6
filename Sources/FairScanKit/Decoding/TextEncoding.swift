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
    if zeroOdd * 10 >= pairs * 7 && zeroEven * 10 <= pairs { bigEndian = false }
    else if zeroEven * 10 >= pairs * 7 && zeroOdd * 10 <= pairs { bigEndian = true }
    else { return .bytes }
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
      if unit == 0x09 || unit == 0x0A || unit == 0x0D || (unit >= 0x20 && unit != 0x7F && !(0x80..<0xA0).contains(unit)) {
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

/// UTF-16 or UTF-32 bytes decoded to UTF-8, remembering where each character came from.
///
/// Every code point, or code unit that is not one (a lone surrogate, a value past U+10FFFF, a
/// final odd byte: each becomes U+FFFD), comes from the units after the previous one's, so the
/// original offset of a UTF-8 offset follows from the UTF-8 lengths alone: a 4-byte sequence
/// came from two UTF-16 units, anything else from one unit. Checkpoints every 4 KiB keep the
/// walk short.
struct DecodedText {
  var utf8: [UInt8] = []
  /// Where the decoded bytes came from: `raw` is the offset in the content of `utf8[0]`.
  let raw: Int
  /// End of the original bytes (a final partial unit maps no further).
  let rawEnd: Int
  let encoding: TextEncoding
  private var checkpoints: [(utf8: Int, raw: Int)] = []
  static let checkpointSpacing = 4096

  /// Decodes `content[range]` (its bounds on unit boundaries of the content, past any byte order mark).
  init(_ content: UnsafeRawBufferPointer, range: Range<Int>, encoding: TextEncoding) {
    raw = range.lowerBound
    rawEnd = range.upperBound
    self.encoding = encoding
    utf8.reserveCapacity(range.count + range.count / 2)
    var i = range.lowerBound
    var nextCheckpoint = 0
    while i < range.upperBound {
      if utf8.count >= nextCheckpoint {
        checkpoints.append((utf8.count, i))
        nextCheckpoint = utf8.count + Self.checkpointSpacing
      }
      var scalar: UInt32 = 0xFFFD
      var width = encoding.unitSize
      switch encoding {
      case .bytes:
        scalar = UInt32(content[i])  // Latin-1; not used by the scan, which reads such content as it is
      case .utf16(let bigEndian, _):
        guard i + 2 <= range.upperBound else { width = range.upperBound - i; break }
        let unit = TextEncoding.unit16(content, at: i, bigEndian: bigEndian)
        if (0xD800..<0xDC00).contains(unit), i + 4 <= range.upperBound {
          let low = TextEncoding.unit16(content, at: i + 2, bigEndian: bigEndian)
          if (0xDC00..<0xE000).contains(low) {
            scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            width = 4
          }
        } else if !(0xD800..<0xE000).contains(unit) {
          scalar = unit
        }
      case .utf32(let bigEndian):
        guard i + 4 <= range.upperBound else { width = range.upperBound - i; break }
        let unit = TextEncoding.unit32(content, at: i, bigEndian: bigEndian)
        if unit < 0x110000 && !(0xD800..<0xE000).contains(unit) { scalar = unit }
      }
      Self.appendUTF8(scalar, to: &utf8)
      i += width
    }
  }

  static func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
    switch s {
    case ..<0x80: out.append(UInt8(s))
    case ..<0x800: out.append(UInt8(0xC0 | s >> 6)); out.append(UInt8(0x80 | s & 0x3F))
    case ..<0x10000:
      out.append(UInt8(0xE0 | s >> 12)); out.append(UInt8(0x80 | s >> 6 & 0x3F)); out.append(UInt8(0x80 | s & 0x3F))
    default:
      out.append(UInt8(0xF0 | s >> 18)); out.append(UInt8(0x80 | s >> 12 & 0x3F))
      out.append(UInt8(0x80 | s >> 6 & 0x3F)); out.append(UInt8(0x80 | s & 0x3F))
    }
  }

  /// Original bytes behind a character of `utf8Length` UTF-8 bytes.
  @inline(__always)
  private func rawWidth(_ utf8Length: Int) -> Int {
    utf8Length == 4 && encoding.unitSize == 2 ? 4 : encoding.unitSize
  }

  /// The original offset of the character at (or holding) UTF-8 offset `offset`.
  func rawOffset(_ offset: Int) -> Int {
    guard !checkpoints.isEmpty else { return raw }
    var lo = 0, hi = checkpoints.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if checkpoints[mid].utf8 <= offset { lo = mid } else { hi = mid - 1 }
    }
    var (at, original) = checkpoints[lo]
    while at < utf8.count {
      let length = UTF8Sequence.leadLength(utf8[at])
      if at + length > offset { break }
      at += length
      original += rawWidth(length)
    }
    return min(original, rawEnd)
  }

  /// The UTF-8 offset of the first character that starts at or after original offset `target`.
  func utf8Offset(ofRaw target: Int) -> Int {
    var lo = 0, hi = checkpoints.count - 1
    guard hi >= 0 else { return 0 }
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if checkpoints[mid].raw <= target { lo = mid } else { hi = mid - 1 }
    }
    var (at, original) = checkpoints[lo]
    while at < utf8.count && original < target {
      let length = UTF8Sequence.leadLength(utf8[at])
      at += length
      original += rawWidth(length)
    }
    return at
  }
}

/// UTF-8 as columns count it (README, "Lines and columns"): a valid sequence is one
/// character, any other byte is one character of its own.
enum UTF8Sequence {
  /// Length of the sequence a lead byte of well-formed UTF-8 starts (1 for anything else).
  @inline(__always)
  static func leadLength(_ b: UInt8) -> Int {
    b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
  }

  /// Length of the valid UTF-8 sequence at `i` (Unicode's table 3-7: no overlong form, no
  /// surrogate, nothing past U+10FFFF), or 1 when the byte there starts none.
  @inline(__always)
  static func length(at i: Int, in bytes: UnsafeRawBufferPointer) -> Int {
    let b = bytes[i]
    if b < 0x80 { return 1 }
    let n = bytes.count
    @inline(__always) func cont(_ j: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool { j < n && range.contains(bytes[j]) }
    switch b {
    case 0xC2...0xDF: return cont(i + 1) ? 2 : 1
    case 0xE0: return cont(i + 1, 0xA0...0xBF) && cont(i + 2) ? 3 : 1
    case 0xE1...0xEC, 0xEE...0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 1
    case 0xED: return cont(i + 1, 0x80...0x9F) && cont(i + 2) ? 3 : 1
    case 0xF0: return cont(i + 1, 0x90...0xBF) && cont(i + 2) && cont(i + 3) ? 4 : 1
    case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 1
    case 0xF4: return cont(i + 1, 0x80...0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 1
    default: return 1
    }
  }
}
