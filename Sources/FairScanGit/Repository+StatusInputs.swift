import CLibGit2
import FairScanSystem

/// What git's status of the work tree reads besides the work tree and the index: the
/// configuration files of every level, the exclude and attributes files, and whether a folder
/// is ignored. `WorktreeSnapshot` records them so that a change to any of them is seen.
extension Repository {
  /// Whether git ignores the folder `relative` (to the work tree, no trailing slash) as a whole,
  /// its own rules or a parent's. Nil when libgit2 cannot say.
  /// Wraps `git_ignore_path_is_ignored`.
  func isIgnoredFolder(_ relative: String) -> Bool? {
    var ignored: Int32 = 0
    guard git_ignore_path_is_ignored(&ignored, handle, relative + "/") == 0 else { return nil }
    return ignored == 1
  }

  /// Every file whose content git's status may depend on outside the work tree, absolute, each
  /// once, whether it exists or not (creating one changes the status as much as editing it):
  /// - the configuration of each level, in each folder of libgit2's search path for it (system,
  ///   XDG, global; set from `HOME` and `XDG_CONFIG_HOME` when libgit2 starts);
  /// - the repository's `config` and `config.worktree`, `info/exclude` and `info/attributes`, in
  ///   its git directory and in the directory shared by its work trees;
  /// - the XDG `ignore` and `attributes`, the system's `gitattributes`, and the files
  ///   `core.excludesFile` and `core.attributesFile` name.
  /// Nil when that list cannot be complete: the configuration includes other files
  /// (`include.path`, `includeIf`), names a file git would look for relative to the current
  /// folder, or says not to trust file change times (`core.trustctime false`).
  /// Wraps `git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH)`, `git_repository_config_snapshot`,
  /// `git_config_get_string` and `git_config_iterator_glob_new`.
  func statusInputFiles() -> [String]? {
    var files: [String] = []
    let levels: [(git_config_level_t, [String])] = [
      (GIT_CONFIG_LEVEL_SYSTEM, ["gitconfig", "gitattributes"]),
      (GIT_CONFIG_LEVEL_XDG, ["config", "ignore", "attributes"]),
      (GIT_CONFIG_LEVEL_GLOBAL, [".gitconfig"]),
      (GIT_CONFIG_LEVEL_PROGRAMDATA, ["config"]),
    ]
    for (level, names) in levels {
      var buffer = git_buf()
      defer { git_buf_dispose(&buffer) }
      guard fairscan_git_search_path(level.rawValue, &buffer) == 0 else { return nil }
      let list = buffer.ptr.map { String(cString: $0) } ?? ""
      for folder in list.split(separator: ":").map(String.init) where !folder.isEmpty {
        for name in names { files.append(folder + "/" + name) }
      }
    }
    for folder in Set([gitDirectory, commonDirectory]).sorted() {
      for name in ["config", "config.worktree", "info/exclude", "info/attributes"] { files.append(folder + "/" + name) }
    }

    var config: OpaquePointer?
    guard git_repository_config_snapshot(&config, handle) == 0 else { return nil }
    defer { git_config_free(config) }
    var iterator: OpaquePointer?
    guard git_config_iterator_glob_new(&iterator, config, "^include(if)?\\.") == 0 else { return nil }
    var entry: UnsafeMutablePointer<git_config_entry>?
    let first = git_config_next(&entry, iterator)
    git_config_iterator_free(iterator)
    if first != GIT_ITEROVER.rawValue { return nil }  // an include, or an error
    for name in ["core.excludesfile", "core.attributesfile"] {
      var value: UnsafePointer<CChar>?
      guard git_config_get_string(&value, config, name) == 0, let value else { continue }
      guard let path = Self.expandingHome(String(cString: value)) else { return nil }
      files.append(path)
    }
    var trustsChangeTime: UnsafePointer<CChar>?
    if git_config_get_string(&trustsChangeTime, config, "core.trustctime") == 0, let trustsChangeTime {
      var yes: Int32 = 1
      if git_config_parse_bool(&yes, trustsChangeTime) != 0 || yes == 0 { return nil }
    }
    var seen = Set<String>()
    return files.filter { seen.insert($0).inserted }
  }

  /// A configured path as git reads it: `~/` is the home folder. Nil for one git would look for
  /// relative to the current folder, or another user's home (`~name/`).
  private static func expandingHome(_ path: String) -> String? {
    if path.hasPrefix("/") { return path }
    guard path.hasPrefix("~/"), let home = Environment.value("HOME"), home.hasPrefix("/") else {
      return nil
    }
    return home + path.dropFirst()
  }
}
