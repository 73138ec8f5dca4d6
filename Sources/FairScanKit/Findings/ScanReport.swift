/// Everything a report renders.
public struct ScanReport: Codable, Sendable, Equatable {
  public var tool: String = "fairscan"
  public var version: String
  /// The scanned target (repository, folder, or stdin name).
  public var target: String
  public var findings: [Finding]
  public var summary: ScanSummary
  /// The rules in force, for SARIF's rule descriptors.
  public var rules: [RuleDescriptor]
  /// The findings' secrets by hex SHA-256, held in memory only for the verification stage
  /// (`ScanOptions.keepsSecrets`), which empties it; never encoded in any report.
  public var secrets: [String: [UInt8]] = [:]

  enum CodingKeys: String, CodingKey { case tool, version, target, findings, summary, rules }

  public init(version: String, target: String, findings: [Finding], summary: ScanSummary, rules: [RuleDescriptor]) {
    self.version = version; self.target = target; self.findings = findings
    self.summary = summary; self.rules = rules
  }
}
