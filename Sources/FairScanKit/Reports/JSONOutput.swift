#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Shared JSON encoding for the JSON and SARIF reports: sorted keys, pretty
/// printed, slashes unescaped, a trailing newline, and no raw invisible characters.
enum JSONOutput {
  static func encode<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    // The report types hold only strings, integers, booleans and finite doubles.
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    return escapeInvisible(String(decoding: data, as: UTF8.self)) + "\n"
  }

  /// JSONEncoder escapes C0 controls but writes bidirectional overrides, zero-width
  /// characters, DEL and C1 controls raw, so `cat report.json` could still reorder
  /// what a terminal shows. Outside strings JSON has only ASCII, so escaping these
  /// scalars as `\uXXXX` wherever they occur keeps the document equal.
  static func escapeInvisible(_ json: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
      if needsEscape(scalar.value) {
        let hex = String(scalar.value, radix: 16)
        let escaped = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        out.append(contentsOf: escaped.unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  static func needsEscape(_ v: UInt32) -> Bool {
    switch v {
    case 0x7F, 0x80...0x9F, 0x200B...0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF: return true
    default: return false
    }
  }
}
