import CLibGit2
#if canImport(Glibc)
  import Glibc
#endif

/// One entry of the index (the staging area).
public struct IndexEntry: Sendable, Equatable {
  public var path: String
  public var blob: ObjectID
  /// 0 normally; 1, 2 and 3 for the base, ours and theirs of a conflict.
  public var stage: Int
}

extension Repository {
  /// The blobs staged in the index, with their paths; gitlinks (submodules) are left out.
  ///
  /// Empty for a bare repository or a repository without an index yet.
  /// Wraps `git_repository_index`, `git_index_entrycount` and `git_index_get_byindex`.
  public func indexEntries() throws(GitError) -> [IndexEntry] {
    if git_repository_is_bare(handle) == 1 { return [] }
    var index: OpaquePointer?
    try check("git_repository_index", git_repository_index(&index, handle))
    defer { git_index_free(index) }
    var entries: [IndexEntry] = []
    for i in 0..<git_index_entrycount(index) {
      guard let entry = git_index_get_byindex(index, i)?.pointee, let path = entry.path else { continue }
      if entry.mode == GIT_FILEMODE_COMMIT.rawValue { continue }
      // Flags bits 12-13 hold the stage (GIT_INDEX_ENTRY_STAGEMASK).
      let stage = Int((entry.flags >> 12) & 0x3)
      entries.append(IndexEntry(path: PathBytes.string(cString: path), blob: ObjectID(entry.id), stage: stage))
    }
    return entries
  }
}

extension Repository {
  /// The index file's size and modification time, as one line (`index SIZE SECONDS.NANOSECONDS`):
  /// a cheap stamp that changes whenever the index is written. Nil without an index file.
  public func indexFileStamp() -> String? {
    var info = stat()
    guard stat(gitDirectory + "/index", &info) == 0 else { return nil }
    return "index \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)\n"
  }
}
