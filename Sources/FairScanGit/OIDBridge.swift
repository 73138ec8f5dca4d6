import CLibGit2

// Conversions between `ObjectID` and libgit2's `git_oid`/`git_object_t`; internal only.

extension ObjectID {
  /// Copies a libgit2 `git_oid`.
  init(_ oid: git_oid) {
    var copy = oid
    self = Swift.withUnsafeBytes(of: &copy) { ObjectID(bytes: $0) }
  }

  /// Copies the `git_oid` at `pointer`.
  init(_ pointer: UnsafePointer<git_oid>) {
    self.init(pointer.pointee)
  }

  /// This id as a libgit2 `git_oid`.
  var gitOID: git_oid {
    var oid = git_oid()
    Swift.withUnsafeMutableBytes(of: &oid) { dst in
      withUnsafeBytes { src in dst.copyMemory(from: src) }
    }
    return oid
  }
}

extension ObjectKind {
  /// Maps a libgit2 `git_object_t`.
  init(_ type: git_object_t) {
    switch type {
    case GIT_OBJECT_COMMIT: self = .commit
    case GIT_OBJECT_TREE: self = .tree
    case GIT_OBJECT_BLOB: self = .blob
    case GIT_OBJECT_TAG: self = .tag
    default: self = .other
    }
  }
}
