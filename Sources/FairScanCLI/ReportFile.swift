import FairScanKit
import Foundation

/// A JSON report read back (`verify`, `audit --report`, `revoke REPORT`).
enum ReportFile {
  /// The report at `path`; an unreadable file or one that is not a fairscan JSON report is a usage error.
  static func load(_ path: String) throws -> ScanReport {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.usage("cannot read \(path)")
    }
    do { return try JSONDecoder().decode(ScanReport.self, from: data) } catch {
      throw CommandFailure.usage("\(path): not a fairscan JSON report")
    }
  }
}
