import CLibGit2
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open git repository; owns its `git_repository` handle and frees it on deinit.
///
/// Use from one thread at a time; open one per worker (or use `ObjectReader`) to go parallel.
public final class Repository {
  let handle: OpaquePointer
  let odb: ObjectDatabase

  /// Opens the repository containing `path`: a work tree, a folder inside one, or a bare repository.
  ///
  /// Throws a `GitError` when `path` does not exist or no repository is found above it.
  /// Wraps `git_repository_open_ext` and `git_repository_odb`.
  public init(path: String) throws(GitError) {
    try LibGit2.initializeOrThrow()
    var repo: OpaquePointer?
    let rc = git_repository_open_ext(&repo, path, 0, nil)
    if rc < 0 {
      var error = lastError("git_repository_open_ext", rc)
      if let refusal = Self.ownershipRefusal(rc, searchingFrom: path) {
        error = refusal
      } else if rc == GIT_ENOTFOUND.rawValue {
        error.message =
          access(path, F_OK) == 0
          ? "not a git repository (or any parent up to /): '\(path)'"
          : "no such file or directory: '\(path)'"
      }
      throw error
    }
    odb = try ObjectDatabase.of(repo!)
    handle = repo!
  }

  /// Opens the repository the way git's own commands find it from the environment:
  /// `GIT_DIR` (else a search up from the current folder), `GIT_WORK_TREE`,
  /// `GIT_INDEX_FILE`, `GIT_OBJECT_DIRECTORY` and `GIT_ALTERNATE_OBJECT_DIRECTORIES`.
  /// For hooks, which git runs with these set (a linked work tree sets `GIT_DIR`).
  ///
  /// Wraps `git_repository_open_ext` with `GIT_REPOSITORY_OPEN_FROM_ENV` and `git_repository_odb`.
  public init(fromEnvironment: Void) throws(GitError) {
    try LibGit2.initializeOrThrow()
    var repo: OpaquePointer?
    let rc = git_repository_open_ext(&repo, nil, GIT_REPOSITORY_OPEN_FROM_ENV.rawValue, nil)
    if rc < 0 {
      var error = lastError("git_repository_open_ext", rc)
      if let refusal = Self.ownershipRefusal(rc, searchingFrom: getenv("GIT_DIR").map { String(cString: $0) } ?? ".") {
        error = refusal
      } else if rc == GIT_ENOTFOUND.rawValue {
        error.message = "not a git repository (GIT_DIR, or any parent of the current folder)"
      }
      throw error
    }
    odb = try ObjectDatabase.of(repo!)
    handle = repo!
  }

  /// When opening failed because another user owns the repository, what git says of it, with
  /// its fix; nil otherwise. libgit2 says `GIT_EOWNER`, or (1.5.x, with no `safe.directory` set
  /// at all) `GIT_ENOTFOUND`; either way the repository is there and not ours. The allowlist
  /// entry git and libgit2 check is the work tree (the git directory for a bare repository).
  /// Wraps `git_repository_discover`, which finds the repository without judging its owner.
  private static func ownershipRefusal(_ rc: Int32, searchingFrom path: String) -> GitError? {
    guard rc == GIT_EOWNER.rawValue || rc == GIT_ENOTFOUND.rawValue else { return nil }
    var buffer = git_buf()
    defer { git_buf_dispose(&buffer) }
    guard git_repository_discover(&buffer, path, 0, nil) == 0, let found = buffer.ptr else { return nil }
    let gitDirectory = trimmingSlash(String(cString: found))
    let top = gitDirectory.hasSuffix("/.git") ? String(gitDirectory.dropLast(5)) : gitDirectory
    let me = geteuid()
    var owner: uid_t? = nil
    for candidate in [top, gitDirectory] {
      var info = stat()
      if stat(candidate, &info) == 0, info.st_uid != me { owner = info.st_uid; break }
    }
    guard let owner else { return nil }
    return GitError(
      function: "git_repository_open_ext", code: GIT_EOWNER.rawValue,
      message:
        "detected dubious ownership in repository at '\(top)': it is owned by uid \(owner), not by you (uid \(me)); "
        + "if you trust it, allow it as git would: git config --global --add safe.directory '\(top)'")
  }

  deinit {
    git_odb_free(odb.odb)
    git_repository_free(handle)
  }

  /// The absolute git directory, without a trailing slash. Wraps `git_repository_path`.
  public var gitDirectory: String {
    trimmingSlash(String(cString: git_repository_path(handle)))
  }

  /// The directory shared by all work trees (holds `objects/`, `shallow`). Wraps `git_repository_commondir`.
  public var commonDirectory: String {
    trimmingSlash(String(cString: git_repository_commondir(handle)))
  }

  /// The absolute work tree without a trailing slash, or nil for a bare repository.
  /// Wraps `git_repository_workdir`.
  public var workingDirectory: String? {
    git_repository_workdir(handle).map { trimmingSlash(String(cString: $0)) }
  }

  /// `true` for a bare repository. Wraps `git_repository_is_bare`.
  public var isBare: Bool { git_repository_is_bare(handle) == 1 }

  /// The commit HEAD points at, or nil when HEAD is unborn or broken.
  /// Wraps `git_revparse_single` and `git_object_peel`.
  public func headCommit() -> ObjectID? {
    try? resolveCommit("HEAD")
  }

  /// Resolves a revision (`main`, `HEAD~2`, `v1.0`, a hex id) and peels it to a commit.
  ///
  /// Wraps `git_revparse_single` and `git_object_peel`.
  public func resolveCommit(_ spec: String) throws(GitError) -> ObjectID {
    var object: OpaquePointer?
    try check("git_revparse_single", git_revparse_single(&object, handle, spec))
    defer { git_object_free(object) }
    var commit: OpaquePointer?
    try check("git_object_peel", git_object_peel(&commit, object, GIT_OBJECT_COMMIT))
    defer { git_object_free(commit) }
    return ObjectID(git_object_id(commit))
  }

  /// The object's kind and size without reading it fully. Wraps `git_odb_read_header`.
  public func header(_ id: ObjectID) throws(GitError) -> (kind: ObjectKind, size: Int) {
    try odb.header(id)
  }
}

func trimmingSlash(_ path: String) -> String {
  var p = path
  while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
  return p
}
