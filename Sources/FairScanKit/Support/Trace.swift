#if canImport(Glibc)
import Glibc
#endif

/// Phase timings on stderr when `FAIRSCAN_TRACE` is set: where a scan spends its time.
enum Trace {
  static let enabled = getenv("FAIRSCAN_TRACE") != nil

  static func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
    guard enabled else { return try body() }
    let start = Clock.seconds()
    defer {
      let millis = Int((Clock.seconds() - start) * 1000)
      let line = Array("fairscan: trace: \(name): \(millis) ms\n".utf8)
      _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
    return try body()
  }
}
