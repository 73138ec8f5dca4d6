import CLibGit2

extension Repository {
  /// Every blob in the commit's tree, recursively: path (with `/`) to blob id.
  ///
  /// Submodule entries (gitlinks) are skipped. Wraps `git_commit_lookup`; trees are read with `git_odb_read`.
  public func blobs(atCommit id: ObjectID) throws(GitError) -> [String: ObjectID] {
    var oid = id.gitOID
    var commit: OpaquePointer?
    try check("git_commit_lookup", git_commit_lookup(&commit, handle, &oid))
    let treeID = ObjectID(git_commit_tree_id(commit))
    git_commit_free(commit)
    var result: [String: ObjectID] = [:]
    try forEachTreeEntry(treeID, prefix: "") { path, entryID, isTree in
      if !isTree { result[path] = entryID }
    }
    return result
  }

  /// Visits every entry under `treeID` recursively (trees before their contents), skipping gitlinks.
  func forEachTreeEntry(
    _ treeID: ObjectID, prefix: String,
    _ visit: (_ path: String, _ id: ObjectID, _ isTree: Bool) -> Void
  ) throws(GitError) {
    let tree = try Tree(odb: odb, id: treeID)
    for entry in tree.entries {
      guard entry.isTree || entry.isBlob else { continue }
      let path = prefix.isEmpty ? entry.nameString : prefix + "/" + entry.nameString
      visit(path, entry.id, entry.isTree)
      if entry.isTree {
        try forEachTreeEntry(entry.id, prefix: path, visit)
      }
    }
  }
}
