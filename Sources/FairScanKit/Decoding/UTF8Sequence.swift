/// UTF-8 as columns count it (the README rule, under "JSON report"): a valid sequence is one
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
    @inline(__always) func cont(_ j: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
      j < n && range.contains(bytes[j])
    }
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
