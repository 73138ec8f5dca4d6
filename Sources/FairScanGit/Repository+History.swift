extension Repository {
  /// Walks history and records, per blob, the commits and paths that introduced it.
  ///
  /// With `.all`, starts from every ref under `refs/` (branches, remotes, tags peeled,
  /// notes, stash) plus HEAD; optionally also walks commit objects no ref reaches.
  /// Each commit is compared with its first parent (a root with the empty tree); for a
  /// merge, blobs already at the same path in another parent are dropped. Only the first
  /// introduction of each (blob, path) is kept. Cost is linear in the size of history.
  /// Uses `git_odb_read`; trees are parsed by `Tree`, with no libgit2 tree objects.
  public func walkHistory(_ options: HistoryWalkOptions = HistoryWalkOptions()) throws(GitError) -> HistoryIndex {
    try HistoryWalker(repo: self, options: options).run()
  }
}

extension Repository {
  /// Every ref under `refs/` and HEAD with its target, one `name oid` line each, sorted:
  /// two equal strings mean the refs did not move. Reads refs only, no object.
  public func referenceFingerprint() throws(GitError) -> String {
    let targets = try references()
    var head = ""
    if let commit = headCommit() { head = "HEAD \(commit.hex)\n" }
    return head + targets.keys.sorted().map { "\($0) \(targets[$0]!.hex)\n" }.joined()
  }
}
