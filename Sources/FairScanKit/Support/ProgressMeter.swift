import FairScanSystem
import Synchronization

/// Counts work done and, when a reporter is given, calls it at most a few times a second.
final class ProgressMeter: Sendable {
  private let done = Atomic<Int>(0)
  private let lastReport = Atomic<Int64>(0)
  let total: Int
  let unit: String
  let report: (@Sendable (String) -> Void)?

  init(total: Int, unit: String, report: (@Sendable (String) -> Void)?) {
    self.total = total; self.unit = unit; self.report = report
  }

  func advance(_ n: Int) {
    let now = done.wrappingAdd(n, ordering: .relaxed).newValue
    guard let report else { return }
    let t = Clock.milliseconds()
    let last = lastReport.load(ordering: .relaxed)
    if t - last >= 250, lastReport.compareExchange(expected: last, desired: t, ordering: .relaxed).exchanged {
      let percent = total > 0 ? now * 100 / total : 100
      report("scanning: \(percent)% (\(now)/\(total) \(unit))")
    }
  }

  func finish() { report?("") }
}

enum Clock {
  static func milliseconds() -> Int64 {
    let ts = SystemClock.monotonic()
    return Int64(ts.seconds) * 1000 + Int64(ts.nanoseconds) / 1_000_000
  }
  static func seconds() -> Double {
    let ts = SystemClock.monotonic()
    return Double(ts.seconds) + Double(ts.nanoseconds) / 1e9
  }

  /// Unix time (wall clock).
  static func wallSeconds() -> Double {
    let ts = SystemClock.wall()
    return Double(ts.seconds) + Double(ts.nanoseconds) / 1e9
  }
}
