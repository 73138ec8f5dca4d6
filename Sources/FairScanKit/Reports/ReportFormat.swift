/// The formats a scan report can be rendered in.
public enum ReportFormat: String, CaseIterable, Sendable {
  /// For people reading a terminal.
  case text
  /// The `ScanReport` itself, described by `docs/report.schema.json`.
  case json
  /// SARIF 2.1.0, for code-scanning dashboards.
  case sarif
  /// RFC 4180, one row per location, for spreadsheets.
  case csv
  /// JUnit XML, one failed test case per finding, for CI test-report pages.
  case junit
}

/// Choices that change how a report looks, never what it reveals beyond `Finding.secret`.
public struct ReportOptions: Sendable, Equatable {
  /// Colour the severity in text output with ANSI SGR codes.
  public var color: Bool = false
  /// Set when `--show-secrets` put the full secret into `Finding.secret`. When false,
  /// a secret that does not look redacted is redacted again before rendering.
  public var showSecrets: Bool = false
  /// How many locations of one finding text output lists before "… N more".
  public var maxLocations: Int = 5

  public init(color: Bool = false, showSecrets: Bool = false, maxLocations: Int = 5) {
    self.color = color; self.showSecrets = showSecrets; self.maxLocations = max(1, maxLocations)
  }
}
