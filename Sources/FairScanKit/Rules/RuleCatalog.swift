/// Which rules are in force: the built-in ones (or `--only-rules`), plus
/// `--rules` and the config's extra files, less the config's disabled ids.
public struct RuleSelection: Sendable {
  public var onlyRules: [String] = []
  public var extraRules: [String] = []
  public var disabled: [String] = []
  public init() {}

  public func load() throws(RuleLoadError) -> [Rule] {
    var rules: [Rule] = []
    if onlyRules.isEmpty {
      rules = try BuiltinRules.rules()
    } else {
      for path in onlyRules { rules += try RuleLoader.load(path: path) }
    }
    for path in extraRules { rules += try RuleLoader.load(path: path) }
    let off = Set(disabled)
    rules.removeAll { off.contains($0.id) }
    try RuleLoader.checkUniqueIDs(rules)
    return rules
  }
}
