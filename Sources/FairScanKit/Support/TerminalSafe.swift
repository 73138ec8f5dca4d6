import FairScanDigest
/// Makes text taken from scanned content (paths, commit messages, snippets) safe
/// to print: control bytes, escape sequences and bidirectional overrides become
/// visible escapes, and invalid UTF-8 becomes `\xHH`.
public enum TerminalSafe {
  public static func string<S: Collection>(_ bytes: S) -> String where S.Element == UInt8 {
    var out = ""
    var it = Array(bytes)[...]
    while let first = it.first {
      let length = utf8SequenceLength(it)
      if length == 0 {
        out += "\\x" + Hex.encode([first]).uppercased()
        it = it.dropFirst()
        continue
      }
      let scalarBytes = it.prefix(length)
      it = it.dropFirst(length)
      let scalar = String(decoding: scalarBytes, as: UTF8.self).unicodeScalars.first!
      out += escape(scalar)
    }
    return out
  }

  public static func string(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars { out += escape(scalar) }
    return out
  }

  private static func escape(_ scalar: Unicode.Scalar) -> String {
    let v = scalar.value
    switch v {
    case 0x09: return "\\t"
    case 0x0A: return "\\n"
    case 0x0D: return "\\r"
    case 0x00..<0x20, 0x7F, 0x80..<0xA0: return "\\u{\(String(v, radix: 16))}"
    // Bidirectional controls (Trojan Source) and zero-width joiners that hide text.
    case 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF:
      return "\\u{\(String(v, radix: 16))}"
    // A byte of a path that is not UTF-8 (PathBytes), shown as the bytes version shows it.
    case 0x10FF00...0x10FFFF:
      return "\\x" + Hex.encode([UInt8(v - 0x10FF00)]).uppercased()
    default: return String(scalar)
    }
  }

  /// Length of a valid UTF-8 sequence at the start, or 0 if it is not valid.
  static func utf8SequenceLength(_ s: ArraySlice<UInt8>) -> Int {
    guard let b0 = s.first else { return 0 }
    let need: Int
    switch b0 {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: need = 2
    case 0xE0...0xEF: need = 3
    case 0xF0...0xF4: need = 4
    default: return 0
    }
    guard s.count >= need else { return 0 }
    let start = s.startIndex
    for i in 1..<need where s[start + i] & 0xC0 != 0x80 { return 0 }
    let b1 = s[start + 1]
    if b0 == 0xE0 && b1 < 0xA0 { return 0 }
    if b0 == 0xED && b1 > 0x9F { return 0 }
    if b0 == 0xF0 && b1 < 0x90 { return 0 }
    if b0 == 0xF4 && b1 > 0x8F { return 0 }
    return need
  }
}
