import CLibGit2

extension Repository {
  /// Every file in the work tree that is tracked or untracked-but-not-ignored, sorted by path.
  ///
  /// Deleted files and submodules are left out; untracked folders are listed file by file. Each
  /// file is judged against the index only: how the index differs from HEAD does not change an
  /// entry, so HEAD's trees are not read (about a fifth of the status's time).
  /// Throws for a bare repository. Wraps `git_status_list_new` (SHOW_WORKDIR_ONLY;
  /// INCLUDE_UNTRACKED, RECURSE_UNTRACKED_DIRS, INCLUDE_UNMODIFIED, EXCLUDE_SUBMODULES) and
  /// `git_status_byindex`.
  public func worktreeEntries() throws(GitError) -> [WorktreeEntry] {
    var options = git_status_options()
    try check("git_status_options_init", git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)))
    options.show = GIT_STATUS_SHOW_WORKDIR_ONLY
    options.flags =
      GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue
      | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
      | GIT_STATUS_OPT_INCLUDE_UNMODIFIED.rawValue
      | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
    var list: OpaquePointer?
    try check("git_status_list_new", git_status_list_new(&list, handle, &options))
    defer { git_status_list_free(list) }
    var entries: [WorktreeEntry] = []
    for i in 0..<git_status_list_entrycount(list) {
      guard let entry = git_status_byindex(list, i)?.pointee,
        let entryState = Self.state(of: entry)
      else { continue }
      guard let path = Self.path(of: entry) else { continue }
      entries.append(WorktreeEntry(path: path, state: entryState))
    }
    return entries.sorted { $0.path < $1.path }
  }

  private static func state(of entry: git_status_entry) -> WorktreeEntry.State? {
    let s = entry.status.rawValue
    let has = { (flag: git_status_t) in s & flag.rawValue != 0 }
    if has(GIT_STATUS_IGNORED) || has(GIT_STATUS_WT_DELETED) { return nil }
    if has(GIT_STATUS_WT_NEW) { return .untracked }
    if has(GIT_STATUS_WT_MODIFIED) || has(GIT_STATUS_WT_TYPECHANGE) || has(GIT_STATUS_WT_RENAMED)
      || has(GIT_STATUS_WT_UNREADABLE) || has(GIT_STATUS_CONFLICTED)
    {
      return .modified
    }
    // Work tree equals the index: report the index blob.
    return entry.index_to_workdir.map { .unmodified(ObjectID($0.pointee.old_file.id)) }
  }

  private static func path(of entry: git_status_entry) -> String? {
    guard let d = entry.index_to_workdir?.pointee else { return nil }
    return (d.new_file.path ?? d.old_file.path).map { PathBytes.string(cString: $0) }
  }
}
