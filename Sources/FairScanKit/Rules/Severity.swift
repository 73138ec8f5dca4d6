/// How urgent a finding is. Ordered from least to most severe.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
  case info, low, medium, high, critical

  private var rank: Int { Severity.allCases.firstIndex(of: self)! }
  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}
