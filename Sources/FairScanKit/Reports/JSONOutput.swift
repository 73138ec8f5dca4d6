/// Shared JSON encoding for the JSON and SARIF reports and the key audit (`ReportJSONEncoder`):
/// sorted keys, pretty printed, slashes unescaped, a trailing newline, and no raw invisible
/// characters.
enum JSONOutput {
  static func encode<T: Encodable>(_ value: T) -> String {
    // The report types hold only strings, integers, booleans and finite doubles.
    let bytes = (try? ReportJSONEncoder.encode(value)) ?? Array("{}".utf8)
    return escapeInvisible(String(decoding: bytes, as: UTF8.self)) + "\n"
  }

  /// JSONEncoder escapes C0 controls but writes bidirectional overrides, zero-width
  /// characters, DEL and C1 controls raw, so `cat report.json` could still reorder
  /// what a terminal shows. Outside strings JSON has only ASCII, so escaping these
  /// scalars as `\uXXXX` wherever they occur keeps the document equal.
  ///
  /// Works on the UTF-8 bytes: every scalar `needsEscape` names is DEL or begins with 0xC2, 0xE2
  /// or 0xEF, which no other byte of a scalar (a continuation byte) can be, so only those are
  /// decoded, and the runs between them are copied whole. (Appending the report scalar by scalar
  /// took about 2 ms of a warm rescan's 80 kB JSON report.)
  static func escapeInvisible(_ json: String) -> String {
    var json = json
    return json.withUTF8 { bytes -> String? in
      var out: [UInt8] = []
      var copied = 0  // bytes[..<copied] are in `out`
      var i = 0
      while i < bytes.count {
        let lead = bytes[i]
        let length: Int
        let value: UInt32
        switch lead {
        case 0x7F:
          (length, value) = (1, 0x7F)
        case 0xC2 where i + 1 < bytes.count:
          (length, value) = (2, UInt32(lead & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F))
        case 0xE2 where i + 2 < bytes.count, 0xEF where i + 2 < bytes.count:
          (length, value) =
            (3, UInt32(lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F))
        default:
          i += 1
          continue
        }
        if needsEscape(value) {
          if out.isEmpty { out.reserveCapacity(bytes.count + 64) }
          out.append(contentsOf: bytes[copied..<i])
          let hex = String(value, radix: 16)
          out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
          copied = i + length
        }
        i += length
      }
      guard copied > 0 else { return nil }
      out.append(contentsOf: bytes[copied...])
      return String(decoding: out, as: UTF8.self)
    } ?? json
  }

  static func needsEscape(_ v: UInt32) -> Bool {
    switch v {
    case 0x7F, 0x80...0x9F, 0x200B...0x200F, 0x2028...0x202E, 0x2066...0x2069, 0xFEFF: return true
    default: return false
    }
  }
}
