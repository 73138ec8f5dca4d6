/// A rule that could not finish on some content (a PCRE2 limit was hit).
public struct RuleErrorRecord: Codable, Sendable, Equatable {
  public var ruleID: String
  public var path: String
  public var blob: String?
  public var message: String
  enum CodingKeys: String, CodingKey { case ruleID = "rule_id", path, blob, message }
  public init(ruleID: String, path: String, blob: String? = nil, message: String) {
    self.ruleID = ruleID; self.path = path; self.blob = blob; self.message = message
  }
}
