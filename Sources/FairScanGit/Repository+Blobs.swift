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

  /// The blobs at `paths` in the commit's tree: path to blob id, leaving out a path that is
  /// missing there or names a folder or a submodule. The answers of `blobs(atCommit:)` for those
  /// paths, without reading every tree: only the trees on each path's way.
  /// Wraps `git_commit_lookup`, `git_commit_tree` and `git_tree_entry_bypath`.
  public func blobs(atCommit id: ObjectID, paths: some Sequence<String>) throws(GitError) -> [String: ObjectID] {
    var oid = id.gitOID
    var commit: OpaquePointer?
    try check("git_commit_lookup", git_commit_lookup(&commit, handle, &oid))
    defer { git_commit_free(commit) }
    var root: OpaquePointer?
    try check("git_commit_tree", git_commit_tree(&root, commit))
    defer { git_tree_free(root) }
    guard let tree = root else { return [:] }
    var result: [String: ObjectID] = [:]
    for path in paths where result[path] == nil {
      if let blob = Self.blobID(in: tree, path: path) { result[path] = blob }
    }
    return result
  }

  /// The blob at `path` in `tree`; nil when the path is missing or names a folder or a submodule.
  /// Wraps `git_tree_entry_bypath` and `git_tree_entry_type`.
  static func blobID(in tree: OpaquePointer, path: String) -> ObjectID? {
    var entry: OpaquePointer?
    guard PathBytes.withCString(path, { git_tree_entry_bypath(&entry, tree, $0) }) == 0, let e = entry else {
      return nil
    }
    defer { git_tree_entry_free(e) }
    guard git_tree_entry_type(e) == GIT_OBJECT_BLOB else { return nil }
    return ObjectID(git_tree_entry_id(e))
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
