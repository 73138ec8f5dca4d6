/// ISO-8601 timestamps, read and written in one place: the FAIR API's dates (no zone means
/// UTC), commit dates in findings, JWT expiries, audit-log times.
public enum ISODate {
  /// Seconds since 1970 for an ISO-8601 timestamp as FAIR writes it: `2026-03-16T11:39:32`
  /// (UTC when no zone), tolerating a space for `T`, fractional seconds, `Z`, and offsets
  /// `±HH:MM`, `±HHMM`, `±HH`. A bare date is midnight UTC. Nil for anything else, and for
  /// dates that do not exist (`2026-02-30`).
  public static func parse(_ text: String) -> Double? {
    var s = Array(text.utf8)[...]
    while let c = s.first, c == 0x20 || c == 0x09 { s = s.dropFirst() }
    while let c = s.last, c == 0x20 || c == 0x09 { s = s.dropLast() }
    let bytes = Array(s)
    var i = 0
    func digits(_ n: Int) -> Int? {
      guard i + n <= bytes.count else { return nil }
      var v = 0
      for k in 0..<n {
        let c = bytes[i + k]
        guard c >= 48 && c <= 57 else { return nil }
        v = v * 10 + Int(c - 48)
      }
      i += n
      return v
    }
    func expect(_ c: UInt8) -> Bool {
      guard i < bytes.count, bytes[i] == c else { return false }
      i += 1
      return true
    }
    guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2) else {
      return nil
    }
    guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
    var hour = 0, minute = 0, second = 0
    var fraction = 0.0
    var offsetSeconds = 0
    if i < bytes.count {
      guard bytes[i] == 0x54 || bytes[i] == 0x74 || bytes[i] == 0x20 else { return nil }  // T, t, space
      i += 1
      guard let h = digits(2), expect(0x3A), let m = digits(2) else { return nil }
      hour = h
      minute = m
      if expect(0x3A) {
        guard let sec = digits(2) else { return nil }
        second = sec
        if i < bytes.count, bytes[i] == 0x2E || bytes[i] == 0x2C {  // . or ,
          i += 1
          var scale = 0.1
          var any = false
          while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
            fraction += Double(bytes[i] - 48) * scale
            scale /= 10
            i += 1
            any = true
          }
          guard any else { return nil }
        }
      }
      guard hour <= 24, minute <= 59, second <= 60 else { return nil }
      if i < bytes.count {
        if bytes[i] == 0x5A || bytes[i] == 0x7A {  // Z
          i += 1
        } else if bytes[i] == 0x2B || bytes[i] == 0x2D {  // + -
          let sign = bytes[i] == 0x2D ? -1 : 1
          i += 1
          guard let oh = digits(2) else { return nil }
          var om = 0
          if i < bytes.count {
            _ = expect(0x3A)
            guard let m = digits(2) else { return nil }
            om = m
          }
          guard oh <= 23, om <= 59 else { return nil }
          offsetSeconds = sign * (oh * 3600 + om * 60)
        } else {
          return nil
        }
      }
    }
    guard i == bytes.count else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    return Double(days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
  }

  /// `2026-03-16T11:39:32Z` for whole seconds since 1970.
  public static func utc(_ seconds: Int64) -> String {
    let remainder = seconds % 86400
    let days = seconds / 86400 - (remainder < 0 ? 1 : 0)
    let rest = Int(remainder < 0 ? remainder + 86400 : remainder)
    let (year, month, day) = civil(days: Int(days))
    func pad(_ v: Int, _ w: Int = 2) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    return "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(rest / 3600)):\(pad(rest / 60 % 60)):\(pad(rest % 60))Z"
  }

  /// `utc` for a time with fractions (a JWT's `exp`): the whole second it falls in. Times
  /// outside years 1 to 9999 are written as the nearest of those bounds.
  public static func utc(_ seconds: Double) -> String {
    guard !seconds.isNaN else { return utc(Int64(0)) }
    return utc(Int64(min(max(seconds, -62_135_596_800), 253_402_300_799).rounded(.down)))
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  /// The date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
  static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
