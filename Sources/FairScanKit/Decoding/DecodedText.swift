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
      // Every value here is a scalar (surrogates and values past U+10FFFF became U+FFFD above).
      UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { utf8.append($0) }
      i += width
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
