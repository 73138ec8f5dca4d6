/// Which rules are in force: the built-in ones (or `--only-rules`), plus
/// `--rules` and the config's extra files, less the config's disabled ids, with the
/// config's `fair_hosts` added to the FAIR host fragment.
public struct RuleSelection: Sendable {
  public var onlyRules: [String] = []
  public var extraRules: [String] = []
  public var disabled: [String] = []
  /// More hosts serving the FAIR API (`fair_hosts` in `.fairscan.yml`; see `FairHosts`).
  public var fairHosts: [String] = []
  public init() {}

  /// One file or folder of rules as written, and the fragments its patterns expand with.
  public struct Source: Sendable {
    public var document: RuleDocument
    public var fragments: FragmentTable
  }

  /// The rules in force, their patterns expanded.
  public func load() throws(RuleLoadError) -> [Rule] {
    var rules: [Rule] = []
    if onlyRules.isEmpty && fairHosts.isEmpty {
      rules = try BuiltinRules.rules()  // expanded once per process
      for source in try sources().dropFirst() { rules += try source.document.expandedRules(with: source.fragments) }
    } else {
      for source in try sources() { rules += try source.document.expandedRules(with: source.fragments) }
    }
    let off = Set(disabled)
    rules.removeAll { off.contains($0.id) }
    try RuleLoader.checkUniqueIDs(rules)
    return rules
  }

  /// Where the rules come from, in order: the built-in rules or the `onlyRules` paths, then
  /// the `extraRules` paths. A path's fragments come before the built-in ones of the same name.
  public func sources() throws(RuleLoadError) -> [Source] {
    var sources: [Source] = []
    if onlyRules.isEmpty {
      sources.append(
        Source(
          document: BuiltinRules.document, fragments: FairHosts.table(BuiltinRules.fragmentTable, adding: fairHosts)))
    }
    for path in (onlyRules.isEmpty ? [] : onlyRules) + extraRules {
      let document = try RuleLoader.parse(path: path)
      let table = try document.fragmentTable(fallback: BuiltinRules.fragmentTable)
      sources.append(Source(document: document, fragments: FairHosts.table(table, adding: fairHosts)))
    }
    return sources
  }
}
