import CLibGit2
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One blob a commit made now would add or change, compared with HEAD.
public struct StagedBlob: Sendable, Equatable {
  /// Why the blob is staged.
  public enum Status: Sendable, Equatable {
    /// The path is not in HEAD (a new file, or the new name of a renamed one).
    case added
    /// The path is in HEAD with other content (or another type: a symlink became a file).
    case modified
    /// A side of an unresolved conflict: 2 is "ours", 3 is "theirs".
    case conflict(stage: Int)
  }

  /// Relative to the work tree, with `/` separators.
  public var path: String
  public var blob: ObjectID
  public var status: Status

  public init(path: String, blob: ObjectID, status: Status) {
    self.path = path
    self.blob = blob
    self.status = status
  }
}

/// What `git commit` would record, compared with HEAD, read from an index file.
public struct StagedChanges: Sendable, Equatable {
  /// Added and modified blobs, and the "ours" and "theirs" sides of conflicts that differ
  /// from HEAD; sorted by path, then stage.
  public var blobs: [StagedBlob]
  /// Paths staged for deletion (nothing to scan: a commit removes them).
  public var deleted: [String]
  /// Paths with an unresolved conflict (stages 1–3 in the index); git commits nothing until
  /// each is resolved and added.
  public var conflicted: [String]
  /// The commit HEAD points at; nil on an unborn branch (before the first commit).
  public var head: ObjectID?
}

extension Repository {
  /// The blobs staged for the next commit: entries of the index at `indexFile` (or the
  /// repository's own index when nil) that are added or modified compared with HEAD's tree
  /// (an unborn HEAD compares with the empty tree). Gitlinks (submodules) are left out.
  ///
  /// Read-only: the index file is opened and read, never written, locked or refreshed, and
  /// nothing else in the repository is touched. Throws for a bare repository without
  /// `indexFile`, or a missing or unreadable index file.
  ///
  /// Wraps `git_index_open` (or `git_repository_index`), `git_diff_tree_to_index` and
  /// `git_index_conflict_iterator_new`.
  public func stagedChanges(indexFile: String? = nil) throws(GitError) -> StagedChanges {
    var index: OpaquePointer?
    if let indexFile {
      // libgit2 treats a missing file as an empty index; git would then commit the
      // deletion of everything. Say so instead of scanning nothing.
      guard access(indexFile, F_OK) == 0 else {
        throw GitError(
          function: "git_index_open", code: GIT_ENOTFOUND.rawValue,
          message: "no index file at '\(indexFile)'")
      }
      try check("git_index_open", git_index_open(&index, indexFile))
    } else {
      if isBare {
        throw GitError(
          function: "git_repository_index", code: -1,
          message: "a bare repository has no index (set GIT_INDEX_FILE to name one)")
      }
      try check("git_repository_index", git_repository_index(&index, handle))
    }
    defer { git_index_free(index) }

    let head = try headCommitOrUnborn()
    var tree: OpaquePointer?
    if let head {
      var commitOID = head.gitOID
      var commit: OpaquePointer?
      try check("git_commit_lookup", git_commit_lookup(&commit, handle, &commitOID))
      defer { git_commit_free(commit) }
      try check("git_commit_tree", git_commit_tree(&tree, commit))
    }
    defer { git_tree_free(tree) }

    var options = git_diff_options()
    try check("git_diff_options_init", git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)))
    options.flags = GIT_DIFF_IGNORE_SUBMODULES.rawValue
    var diff: OpaquePointer?
    try check("git_diff_tree_to_index", git_diff_tree_to_index(&diff, handle, tree, index, &options))
    defer { git_diff_free(diff) }

    var blobs: [StagedBlob] = []
    var deleted: [String] = []
    let blobModes: Set<UInt16> = [
      UInt16(GIT_FILEMODE_BLOB.rawValue), UInt16(GIT_FILEMODE_BLOB_EXECUTABLE.rawValue),
      UInt16(GIT_FILEMODE_LINK.rawValue),
    ]
    for i in 0..<git_diff_num_deltas(diff) {
      guard let delta = git_diff_get_delta(diff, i)?.pointee else { continue }
      let new = delta.new_file
      switch delta.status {
      case GIT_DELTA_ADDED, GIT_DELTA_MODIFIED, GIT_DELTA_TYPECHANGE:
        guard blobModes.contains(new.mode), let path = new.path else { continue }
        blobs.append(
          StagedBlob(
            path: PathBytes.string(cString: path), blob: ObjectID(new.id),
            status: delta.status == GIT_DELTA_ADDED ? .added : .modified))
      case GIT_DELTA_DELETED:
        if let path = delta.old_file.path { deleted.append(PathBytes.string(cString: path)) }
      default:
        continue  // conflicts are read from the index below
      }
    }

    var conflicted: [String] = []
    if git_index_has_conflicts(index) == 1 {
      var iterator: OpaquePointer?
      try check("git_index_conflict_iterator_new", git_index_conflict_iterator_new(&iterator, index))
      defer { git_index_conflict_iterator_free(iterator) }
      let headTree = tree
      while true {
        var ancestor: UnsafePointer<git_index_entry>?
        var ours: UnsafePointer<git_index_entry>?
        var theirs: UnsafePointer<git_index_entry>?
        let rc = git_index_conflict_next(&ancestor, &ours, &theirs, iterator)
        if rc == GIT_ITEROVER.rawValue { break }
        try check("git_index_conflict_next", rc)
        guard let any = ancestor ?? ours ?? theirs, let rawPath = any.pointee.path else { continue }
        let path = PathBytes.string(cString: rawPath)
        conflicted.append(path)
        let atHead = headTree.flatMap { Self.blobID(in: $0, path: path) }
        for (stage, side) in [(2, ours), (3, theirs)] {
          guard let entry = side?.pointee, blobModes.contains(UInt16(truncatingIfNeeded: entry.mode))
          else { continue }
          let id = ObjectID(entry.id)
          if id == atHead { continue }
          blobs.append(StagedBlob(path: path, blob: id, status: .conflict(stage: stage)))
        }
      }
    }
    blobs.sort { a, b in
      if a.path != b.path { return a.path < b.path }
      return a.stageOrder < b.stageOrder
    }
    return StagedChanges(blobs: blobs, deleted: deleted.sorted(), conflicted: conflicted.sorted(), head: head)
  }

  /// HEAD's commit; nil when HEAD is unborn. Throws when HEAD exists but cannot be resolved.
  private func headCommitOrUnborn() throws(GitError) -> ObjectID? {
    if git_repository_head_unborn(handle) == 1 { return nil }
    return try resolveCommit("HEAD")
  }
}

extension StagedBlob {
  fileprivate var stageOrder: Int {
    if case .conflict(let stage) = status { return stage }
    return 0
  }
}
