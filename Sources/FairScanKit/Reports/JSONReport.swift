/// The `ScanReport` as JSON with a stable key order; `docs/report.schema.json`
/// describes it, and decoding it gives back an equal `ScanReport`.
enum JSONReport {
  static func render(_ report: ScanReport) -> String { JSONOutput.encode(report) }
}
