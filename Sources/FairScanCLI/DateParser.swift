import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

/// Dates for `--since`.
enum DateParser {
  static func unixSeconds(_ text: String, now: Date = Date()) -> Int64? {
    if let n = Int64(text) { return n }
    // "3 days ago", "2 weeks ago", "1 month ago", "yesterday"
    let words = text.lowercased().split(separator: " ")
    if words == ["yesterday"] { return Int64(now.timeIntervalSince1970) - 86_400 }
    if words.count == 3, words[2] == "ago", let n = Int64(words[0]), n >= 0 {
      let unit = words[1].hasSuffix("s") ? String(words[1].dropLast()) : String(words[1])
      let seconds: [String: Int64] = [
        "second": 1, "minute": 60, "hour": 3600, "day": 86_400, "week": 604_800,
        "month": 2_592_000, "year": 31_536_000,
      ]
      if let s = seconds[unit] {
        // An age too large to count in seconds is not a date (and must not trap).
        let (ago, overflow) = n.multipliedReportingOverflow(by: s)
        return overflow ? nil : Int64(now.timeIntervalSince1970) - ago
      }
    }
    let formats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd HH:mm:ss"]
    for f in formats {
      let formatter = DateFormatter()
      formatter.locale = Locale(identifier: "en_US_POSIX")
      formatter.timeZone = TimeZone(identifier: "UTC")
      formatter.dateFormat = f
      if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970) }
    }
    return nil
  }
}
