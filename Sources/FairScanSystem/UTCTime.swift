import Glibc

/// A Unix time broken down into its UTC calendar date and time of day (`gmtime_r`).
public struct UTCTime: Sendable, Equatable {
  /// e.g. 2026; `month` 1-12, `day` 1-31, `hour` 0-23, `minute` 0-59, `second` 0-60.
  public let year, month, day, hour, minute, second: Int

  public init(_ seconds: Int64) {
    var t = time_t(seconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    year = Int(parts.tm_year) + 1900
    month = Int(parts.tm_mon) + 1
    day = Int(parts.tm_mday)
    hour = Int(parts.tm_hour)
    minute = Int(parts.tm_min)
    second = Int(parts.tm_sec)
  }
}
