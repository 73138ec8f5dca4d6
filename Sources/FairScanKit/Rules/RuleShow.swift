/// `fairscan rules show ID`: one rule as a person reviews it, with its pattern as written
/// and as PCRE2 compiles it (fragments expanded).
public enum RuleShow {
  /// `written`: the rule as in its file; `keywords`: those it runs with (the written ones plus
  /// any its fragments add); `expanded`: its pattern with fragments expanded, and their names.
  public static func render(written rule: Rule, keywords: [String], expanded: (pattern: String, used: Set<String>))
    -> String
  {
    var out = "\(rule.id)  \(safe(rule.name))\n"
    func field(_ name: String, _ value: String?) {
      guard let value, !value.isEmpty else { return }
      out += "  " + (name + ":").padding(toLength: 18, withPad: " ", startingAt: 0) + value + "\n"
    }
    field("file", safe(rule.sourceFile))
    field("severity", rule.severity.rawValue)
    field("keywords", keywords.map(safe).joined(separator: ", "))
    field("window", rule.window.map { "\($0) bytes" })
    field("starts_at_keyword", rule.startsAtKeyword ? "true" : nil)
    field("max_size", rule.maxSize.map { "\($0) bytes" })
    field("min_entropy", rule.minEntropy.map { "\($0)" })
    field("fallback", rule.fallback ? "true" : nil)
    field("secret_format", rule.secretFormat?.rawValue)
    field("test_vectors", rule.testVectors ? "true" : nil)
    field("fragments", expanded.used.sorted().joined(separator: ", "))
    out += "pattern as written (\(rule.pattern.utf8.count) bytes):\n" + block(rule.pattern)
    if expanded.pattern != rule.pattern {
      out += "pattern expanded (\(expanded.pattern.utf8.count) bytes):\n" + block(expanded.pattern)
    }
    return out
  }

  /// Each line indented, made terminal-safe.
  private static func block(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + safe(String($0)) + "\n" }.joined()
  }

  private static func safe(_ text: String) -> String { TerminalSafe.string(text) }
}
