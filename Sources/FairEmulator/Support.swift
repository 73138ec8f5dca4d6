import Foundation

/// Small encoding helpers: base64url, random bytes, FAIR timestamps.
public enum FairFormat {
  /// URL-safe base64 without padding (RFC 4648 §5).
  public static func base64URL(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  /// Decodes URL-safe base64 with or without padding.
  public static func decodeBase64URL(_ text: String) -> [UInt8]? {
    var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while s.count % 4 != 0 { s += "=" }
    return Data(base64Encoded: s).map { Array($0) }
  }

  /// `count` bytes from the system's cryptographically secure generator.
  public static func randomBytes(_ count: Int) -> [UInt8] {
    var rng = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
  }

  /// A new API key as the emulator mints them: 32 random bytes, base64url, 43 characters.
  public static func newAPIKey() -> String { base64URL(randomBytes(32)) }

  /// `2026-03-16T11:39:32` (ISO-8601, no zone, UTC) for whole seconds since the epoch.
  public static func timestamp(_ epochSeconds: Int64) -> String {
    let c = civil(epochSeconds)
    return
      "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
  }

  /// `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate, RFC 9110) for `Retry-After` as a date.
  public static func httpDate(_ epochSeconds: Int64) -> String {
    let c = civil(epochSeconds)
    let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    let dayIndex = Int(((floorDiv(epochSeconds, 86_400) % 7) + 7) % 7)
    return "\(days[dayIndex]), \(pad(c.day, 2)) \(months[c.month - 1]) \(pad(c.year, 4)) "
      + "\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) GMT"
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS` with optional fractional seconds and an optional
  /// `Z` or `±HH:MM` suffix (no suffix = UTC). Returns whole epoch seconds.
  public static func parseTimestamp(_ text: String) -> Int64? {
    let u = Array(text.utf8)
    func num(_ from: Int, _ len: Int) -> Int? {
      guard from + len <= u.count else { return nil }
      var v = 0
      for i in from..<(from + len) {
        guard u[i] >= 48, u[i] <= 57 else { return nil }
        v = v * 10 + Int(u[i] - 48)
      }
      return v
    }
    guard u.count >= 19, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
      u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "), u[13] == UInt8(ascii: ":"),
      u[16] == UInt8(ascii: ":"),
      let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
      let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
    else { return nil }
    var i = 19
    if i < u.count, u[i] == UInt8(ascii: ".") {
      i += 1
      while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
    }
    var offset = 0
    if i < u.count {
      if u[i] == UInt8(ascii: "Z") || u[i] == UInt8(ascii: "z") {
        i += 1
      } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
        guard let oh = num(i + 1, 2), i + 3 < u.count, u[i + 3] == UInt8(ascii: ":"), let om = num(i + 4, 2) else {
          return nil
        }
        offset = (oh * 3600 + om * 60) * (u[i] == UInt8(ascii: "+") ? 1 : -1)
        i += 6
      }
    }
    guard i == u.count else { return nil }
    let days = daysFromCivil(y, mo, d)
    return days * 86_400 + Int64(h * 3600 + mi * 60 + s) - Int64(offset)
  }

  // Days-from-civil and its inverse on the proleptic Gregorian calendar (era arithmetic).
  static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = floorDiv(y, 400)
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  struct Civil { var year, month, day, hour, minute, second: Int }

  static func civil(_ epochSeconds: Int64) -> Civil {
    let days = floorDiv(epochSeconds, 86_400)
    let secs = epochSeconds - days * 86_400
    let z = days + 719_468
    let era = floorDiv(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    return Civil(
      year: Int(y), month: Int(m), day: Int(d), hour: Int(secs / 3600), minute: Int(secs % 3600 / 60),
      second: Int(secs % 60))
  }

  static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }

  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }
}
