extension BuiltinRules {
  /// Every built-in rule, loaded from the embedded files (each rule's `sourceFile`
  /// is `builtin:rules/NAME.yml`), with ids checked for uniqueness across files.
  public static func rules() throws(RuleLoadError) -> [Rule] {
    var rules: [Rule] = []
    for file in files {
      rules += try RuleLoader.load(yaml: file.yaml, file: "builtin:rules/\(file.name)")
    }
    try RuleLoader.checkUniqueIDs(rules)
    return rules
  }
}
