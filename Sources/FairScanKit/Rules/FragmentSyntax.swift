/// What a fragment's text must respect to be inserted verbatim into any pattern: it must
/// stand alone (balanced parentheses; alternatives and option settings inside a group, so
/// they cannot leak into the pattern around it) and read the same with and without
/// free-spacing mode (no space or `#` outside a character class: write `[ ]`, `\x20`, `[#]`).
///
/// A light reader of PCRE2 syntax: escapes, character classes (with `]` first and POSIX
/// `[:name:]`), `\Q…\E` and `(?#…)` comments; enough to find the structure, not a validator
/// (PCRE2 compiles the expanded rules).
enum FragmentSyntax {
  /// The first problem with `text`, or nil.
  static func problem(in text: String) -> String? {
    var plain = text  // references are atoms here: `{{name(a, b)}}` reads as one character
    for reference in FragmentReference.all(in: text).reversed() { plain.replaceSubrange(reference.range, with: "x") }
    let bytes = Array(plain.utf8)
    var depth = 0
    var i = 0
    while i < bytes.count {
      let c = bytes[i]
      switch c {
      case UInt8(ascii: "\\"):
        if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "Q") {
          i = endOfQuote(bytes, from: i + 2)
          continue
        }
        i += 2
        continue
      case UInt8(ascii: "["):
        guard let end = endOfClass(bytes, from: i) else { return "has an unterminated character class" }
        i = end
        continue
      case UInt8(ascii: "("):
        if bytes[i...].starts(with: Array("(?#".utf8)) {
          guard let close = bytes[i...].firstIndex(of: UInt8(ascii: ")")) else {
            return "has an unterminated (?# comment"
          }
          i = close + 1
          continue
        }
        if depth == 0 && isOptionSetting(bytes, at: i) {
          return "sets options for what follows it: scope them to a group, like (?i:…)"
        }
        depth += 1
      case UInt8(ascii: ")"):
        depth -= 1
        if depth < 0 { return "has an unbalanced ')'" }
      case UInt8(ascii: "|") where depth == 0:
        return "has alternatives outside a group: wrap them in (?:…)"
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0B, 0x0C:
        return "has whitespace outside a character class: write [ ] or \\x20 so it reads the same in (?x) patterns"
      case UInt8(ascii: "#"):
        return "has a # outside a character class: write [#] or \\# so it reads the same in (?x) patterns"
      default:
        break
      }
      i += 1
    }
    return depth == 0 ? nil : "has an unbalanced '('"
  }

  /// Index after the `]` closing the class opened at `start`.
  private static func endOfClass(_ bytes: [UInt8], from start: Int) -> Int? {
    var i = start + 1
    if i < bytes.count && bytes[i] == UInt8(ascii: "^") { i += 1 }
    if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1 }
    while i < bytes.count {
      switch bytes[i] {
      case UInt8(ascii: "\\"): i += 2
      case UInt8(ascii: "["):
        if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: ":"),
          let close = bytes[(i + 2)...].firstIndex(of: UInt8(ascii: "]")), bytes[close - 1] == UInt8(ascii: ":")
        {
          i = close + 1
        } else {
          i += 1
        }
      case UInt8(ascii: "]"): return i + 1
      default: i += 1
      }
    }
    return nil
  }

  /// Index after `\E` (or the end): the literal text of `\Q…\E`.
  private static func endOfQuote(_ bytes: [UInt8], from start: Int) -> Int {
    var i = start
    while i + 1 < bytes.count {
      if bytes[i] == UInt8(ascii: "\\") && bytes[i + 1] == UInt8(ascii: "E") { return i + 2 }
      i += 1
    }
    return bytes.count
  }

  /// True at `(?i)`, `(?-i)`, `(?^x)`; false at groups such as `(?i:`, `(?=`.
  private static func isOptionSetting(_ bytes: [UInt8], at start: Int) -> Bool {
    guard start + 2 < bytes.count, bytes[start + 1] == UInt8(ascii: "?") else { return false }
    var i = start + 2
    let letters = Set("imnsxJU-^".utf8)
    while i < bytes.count, letters.contains(bytes[i]) { i += 1 }
    return i > start + 2 && i < bytes.count && bytes[i] == UInt8(ascii: ")")
  }
}
