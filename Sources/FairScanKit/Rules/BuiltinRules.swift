/// fairscan's own rules, `rules/*.yml`, compiled in: `generate-builtin-rules` (`make generate`)
/// writes them as Swift values into `BuiltinRules+Decoded.swift`, so no YAML is parsed at
/// run time and a binary copied anywhere has them. A test fails when that file is stale.
public enum BuiltinRules {
  /// The rules and fragments as written in `rules/` (each `sourceFile` is `builtin:rules/NAME.yml`).
  public static var document: RuleDocument { RuleDocument(rules: written, fragments: fragments) }

  /// The built-in fragments, which custom rule files may use too.
  public static let fragmentTable: FragmentTable = {
    do { return try FragmentTable(fragments) } catch {
      preconditionFailure("the generated built-in fragments do not load: \(error)")
    }
  }()

  /// Every built-in rule, its pattern's fragments expanded (once per process).
  public static func rules() throws(RuleLoadError) -> [Rule] {
    try expanded.get()
  }

  private static let expanded = Result { () throws(RuleLoadError) -> [Rule] in
    try document.expandedRules(with: fragmentTable)
  }
}
