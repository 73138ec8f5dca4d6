import FairScanGit
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// The `ScanReport` as JSON with a stable key order; `docs/report.schema.json`
/// describes it, and decoding it gives back an equal `ScanReport`.
///
/// A path that is not valid UTF-8 (`PathBytes`) is written twice: `path` for display, with
/// U+FFFD for each byte that is not UTF-8, and `path_bytes`, the base64 of its exact bytes,
/// which names the file.
enum JSONReport {
  static func render(_ report: ScanReport) -> String { JSONOutput.encode(withPathBytes(report)) }

  static func withPathBytes(_ report: ScanReport) -> ScanReport {
    var copy = report
    copy.findings = report.findings.map { finding in
      var f = finding
      (f.path, f.pathBytes) = shown(f.path, f.pathBytes)
      f.locations = f.locations.map { location in
        var l = location
        (l.path, l.pathBytes) = shown(l.path, l.pathBytes)
        return l
      }
      return f
    }
    return copy
  }

  /// The path to display and, when it is not UTF-8, the base64 of its exact bytes.
  private static func shown(_ path: String, _ pathBytes: String?) -> (String, String?) {
    guard !PathBytes.isExact(path) else { return (path, pathBytes) }
    return (PathBytes.display(path), Data(PathBytes.bytes(path)).base64EncodedString())
  }
}
