import FairScanKit
import Foundation

/// The one-line summary on stderr.
enum SummaryLine {
  static func make(_ s: ScanSummary) -> String {
    var parts: [String] = []
    var what: [String] = []
    if s.blobsScanned > 0 { what.append(count(s.blobsScanned, "blob")) }
    if s.commitsScanned > 0 { what.append(count(s.commitsScanned, "commit")) }
    if s.filesScanned > 0 || what.isEmpty { what.append(count(s.filesScanned, "file")) }
    let mib = Double(s.bytesScanned) / 1_048_576
    let rate = s.elapsedSeconds > 0 ? mib / s.elapsedSeconds : 0
    parts.append(
      "scanned \(what.joined(separator: ", ")) (\(format(mib)) MiB) in \(format(s.elapsedSeconds))s (\(format(rate)) MiB/s)"
    )
    parts.append(count(s.findings, "finding"))
    if s.suppressed > 0 { parts.append("\(s.suppressed) suppressed") }
    if s.belowMinimumSeverity > 0 { parts.append("\(s.belowMinimumSeverity) below --min-severity") }
    if !s.skipped.isEmpty {
      let large = s.skipped.filter { $0.reason == .tooLarge }
      var text = "\(s.skipped.count) skipped"
      if !large.isEmpty {
        text +=
          " (too large: "
          + large.prefix(3).map { "\($0.path) \(format(Double($0.size ?? 0) / 1_048_576)) MiB" }
          .joined(separator: ", ") + (large.count > 3 ? ", …" : "") + ")"
      }
      parts.append(text)
    }
    for note in s.notes ?? [] { parts.append(note) }
    if let cached = s.cachedObjects, cached > 0 { parts.append("\(cached) objects known from the scan cache") }
    if !s.incomplete.isEmpty { parts.append("INCOMPLETE: " + s.incomplete.joined(separator: "; ")) }
    return "fairscan: " + parts.joined(separator: "; ")
  }

  static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

  static func format(_ v: Double) -> String { String(format: "%.2f", v) }
}
