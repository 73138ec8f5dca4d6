/// Turns a `ScanReport` into the bytes of one report format.
public enum ReportRenderer {
  /// Renders `report` as `format`. Output is UTF-8 and ends with a newline.
  public static func render(_ report: ScanReport, format: ReportFormat, options: ReportOptions = ReportOptions())
    -> [UInt8]
  {
    let safe = options.showSecrets ? report : SecretGuard.redacted(report)
    switch format {
    case .text: return Array(TextReport.render(safe, options: options).utf8)
    case .json: return Array(JSONReport.render(safe).utf8)
    case .sarif: return Array(SARIFReport.render(safe).utf8)
    case .csv: return Array(CSVReport.render(safe).utf8)
    case .junit: return Array(JUnitReport.render(safe).utf8)
    }
  }
}
