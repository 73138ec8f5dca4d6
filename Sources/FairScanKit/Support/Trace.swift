import FairScanSystem
import Synchronization

/// Phase timings on stderr when `FAIRSCAN_TRACE` is set: where a scan spends its time.
enum Trace {
  static let enabled = Environment.value("FAIRSCAN_TRACE") != nil

  static func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
    guard enabled else { return try body() }
    let start = Clock.seconds()
    defer {
      let millis = Int((Clock.seconds() - start) * 1000)
      FileDescriptor.standardError.writeIgnoringErrors(Array("fairscan: trace: \(name): \(millis) ms\n".utf8))
    }
    return try body()
  }

  /// `FAIRSCAN_TRACE=rules`: also the time each rule's pattern took, summed over threads.
  static let rulesEnabled = Environment.value("FAIRSCAN_TRACE")?.contains("rules") ?? false
  static let ruleSeconds = Mutex<[String: Double]>([:])

  static func addRuleTimes(_ times: [(String, Double)]) {
    ruleSeconds.withLock { table in for (id, s) in times where s > 0 { table[id, default: 0] += s } }
  }

  static func printRuleTimes() {
    guard rulesEnabled else { return }
    let top = ruleSeconds.withLock { $0 }.sorted { $0.value > $1.value }.prefix(20)
    for (id, seconds) in top {
      FileDescriptor.standardError.writeIgnoringErrors(
        Array("fairscan: trace: rule \(id): \(Int(seconds * 1000)) ms\n".utf8))
    }
  }
}
