/// What a report says about a rule.
public struct RuleDescriptor: Codable, Sendable, Equatable {
  public var id: String
  public var name: String
  public var description: String
  public var severity: Severity
  public init(id: String, name: String, description: String, severity: Severity) {
    self.id = id; self.name = name; self.description = description; self.severity = severity
  }
}
