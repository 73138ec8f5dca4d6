import FairScanSystem
import Synchronization

/// Phase timings on stderr when `FAIRSCAN_TRACE` is set: where a scan spends its time.
public enum Trace {
  public static let enabled = Environment.value("FAIRSCAN_TRACE") != nil

  /// When the command began (`FairScanCommand.execute`): each phase says when it ended, so the
  /// gaps between phases show too. What comes before (loading the libraries, Swift's start) is
  /// the process's wall time less the `command` line.
  nonisolated(unsafe) private static var commandStart = Clock.seconds()

  /// Marks the command's start (call first, on the main thread).
  public static func startCommand() {
    guard enabled else { return }
    commandStart = Clock.seconds()
  }

  /// Writes the command's whole time (call last).
  public static func endCommand() {
    guard enabled else { return }
    write("command: \(milliseconds(Clock.seconds() - commandStart)) ms")
  }

  public static func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
    guard enabled else { return try body() }
    let start = Clock.seconds()
    defer {
      let end = Clock.seconds()
      write("\(name): \(milliseconds(end - start)) ms (ends at \(milliseconds(end - commandStart)) ms)")
    }
    return try body()
  }

  /// A line of its own, for what a phase's time does not say.
  public static func note(_ text: String) {
    guard enabled else { return }
    write(text)
  }

  private static func milliseconds(_ seconds: Double) -> String {
    let tenths = Int((seconds * 10_000).rounded())
    return "\(tenths / 10).\(tenths % 10)"
  }

  private static func write(_ line: String) {
    FileDescriptor.standardError.writeIgnoringErrors(Array("fairscan: trace: \(line)\n".utf8))
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
      write("rule \(id): \(Int(seconds * 1000)) ms")
    }
  }
}
