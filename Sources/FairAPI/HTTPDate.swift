import Foundation

/// HTTP dates (RFC 9110): IMF-fixdate, RFC 850 and asctime forms.
enum HTTPDate {
  static func parse(_ text: String) -> Date? {
    for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
      let f = DateFormatter()
      f.locale = Locale(identifier: "en_US_POSIX")
      f.timeZone = TimeZone(identifier: "GMT")
      f.dateFormat = format
      if let d = f.date(from: text) { return d }
    }
    return nil
  }
}
