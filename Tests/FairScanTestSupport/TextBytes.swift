/// Text encoded as Windows tools and old editors save it, for content tests.
public enum TextBytes {
  /// `text` in UTF-16, little- or big-endian, with or without a byte order mark.
  public static func utf16(_ text: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
    var out: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
    for unit in text.utf16 {
      let hi = UInt8(unit >> 8), lo = UInt8(unit & 0xFF)
      out += bigEndian ? [hi, lo] : [lo, hi]
    }
    return out
  }
}
