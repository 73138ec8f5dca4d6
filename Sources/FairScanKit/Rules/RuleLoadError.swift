/// Why rules could not be loaded. Every case names the file; `description` is one
/// lowercase line such as `rules/fair.yml:12: rule 'fair.api-key': unknown severity 'urgent'`.
public enum RuleLoadError: Error, Equatable, CustomStringConvertible {
  /// The file or folder could not be read.
  case unreadable(file: String, message: String)
  /// The text is not YAML; `line` is where the YAML parser stopped (1-based).
  case syntax(file: String, line: Int, message: String)
  /// The YAML is well formed but a rule is not: a missing or mistyped field, a bad id
  /// or severity, a duplicate id, an unknown key.
  case invalid(file: String, ruleID: String?, line: Int?, message: String)

  public var description: String {
    switch self {
    case let .unreadable(file, message):
      return "\(file): cannot read: \(message)"
    case let .syntax(file, line, message):
      return "\(file):\(line): invalid yaml: \(message)"
    case let .invalid(file, ruleID, line, message):
      let place = line.map { "\(file):\($0)" } ?? file
      let rule = ruleID.map { "rule '\($0)': " } ?? ""
      return "\(place): \(rule)\(message)"
    }
  }
}
