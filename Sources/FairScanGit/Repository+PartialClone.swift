import CLibGit2

extension Repository {
  /// The remotes a partial clone may lazily fetch missing objects from (`remote.<name>.promisor`
  /// true, or the remote named by `extensions.partialClone`), sorted; empty for a full clone.
  ///
  /// fairscan never fetches: libgit2 has no lazy fetch, and nothing here runs git. Wraps
  /// `git_repository_config_snapshot`, `git_config_iterator_glob_new`, `git_config_next`,
  /// `git_config_parse_bool` and `git_config_get_string`.
  public func promisorRemotes() -> [String] {
    var config: OpaquePointer?
    guard git_repository_config_snapshot(&config, handle) == 0 else { return [] }
    defer { git_config_free(config) }
    var remotes = Set<String>()
    var iterator: OpaquePointer?
    if git_config_iterator_glob_new(&iterator, config, "^remote\\..*\\.promisor$") == 0 {
      defer { git_config_iterator_free(iterator) }
      var entry: UnsafeMutablePointer<git_config_entry>?
      while git_config_next(&entry, iterator) == 0, let e = entry?.pointee {
        var enabled: Int32 = 0
        guard let value = e.value, git_config_parse_bool(&enabled, value) == 0, enabled != 0 else { continue }
        let name = String(cString: e.name)  // remote.<name>.promisor
        remotes.insert(String(name.dropFirst("remote.".count).dropLast(".promisor".count)))
      }
    }
    var value: UnsafePointer<CChar>?
    if git_config_get_string(&value, config, "extensions.partialclone") == 0, let value {
      remotes.insert(String(cString: value))
    }
    return remotes.sorted()
  }
}
