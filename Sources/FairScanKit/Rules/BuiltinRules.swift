extension BuiltinRules {
  /// Every built-in rule (each rule's `sourceFile` is `builtin:rules/NAME.yml`): the values
  /// `generate-builtin-rules` decoded from the embedded files, so nothing is parsed at run
  /// time. A test checks they equal `decodingFiles()`.
  public static func rules() throws(RuleLoadError) -> [Rule] {
    decoded
  }

  /// The rules decoded from the embedded YAML now, with ids checked for uniqueness across files.
  public static func decodingFiles() throws(RuleLoadError) -> [Rule] {
    var rules: [Rule] = []
    for file in files {
      rules += try RuleLoader.load(yaml: file.yaml, file: "builtin:rules/\(file.name)")
    }
    try RuleLoader.checkUniqueIDs(rules)
    return rules
  }
}
