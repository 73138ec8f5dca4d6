extension PathFilter {
  /// Whether a rule with this filter applies to `path`: an empty `include` allows
  /// every path, else one include glob must match; any matching `exclude` glob wins.
  ///
  /// Compiles the globs on every call; hot loops should keep `Glob` values instead.
  public func allows(_ path: String) -> Bool {
    if !include.isEmpty && !include.contains(where: { Glob($0).matches(path) }) { return false }
    return !exclude.contains { Glob($0).matches(path) }
  }
}
