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

  /// Whether `rule` compiles as a built-in rule does: same id, pattern, anchoring and allow
  /// entries as one of them. `BuiltinRulesTests` compiles every built-in rule, so such a rule
  /// may be compiled at its first use (`CompiledRule`).
  static func vouches(for rule: Rule) -> Bool {
    guard let builtin = compiledForms[rule.id] else { return false }
    return builtin.pattern == rule.pattern && builtin.startsAtKeyword == rule.startsAtKeyword
      && builtin.allow == rule.allow
  }

  private static let compiledForms: [String: Rule] = {
    guard let rules = try? rules() else { return [:] }
    return Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
  }()

  /// Expanded when generated (`expandedForms`, about 1 ms a start need not spend):
  /// `BuiltinRulesTests` checks they are what `expandedRules(with: fragmentTable)` gives.
  private static let expanded = Result { () throws(RuleLoadError) -> [Rule] in
    guard expandedForms.count == written.count else { return try document.expandedRules(with: fragmentTable) }
    return zip(written, expandedForms).map { rule, form in
      var rule = rule
      rule.pattern = form.pattern
      rule.keywords = form.keywords
      return rule
    }
  }
}
