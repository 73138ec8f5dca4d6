import CLibGit2

/// Reads object headers and contents; one per worker thread.
///
/// Opens its own `git_repository` and `git_odb` (sharing one handle across threads is
/// about 2x slower and not safe). Not `Sendable`: create it on the thread that uses it.
/// Frees both handles on deinit.
public final class ObjectReader {
  private let repository: OpaquePointer
  private let odb: ObjectDatabase

  /// Opens the repository whose git directory is `gitDirectory` (e.g. `Repository.gitDirectory`).
  ///
  /// Wraps `git_repository_open_bare` and `git_repository_odb`.
  public init(gitDirectory: String) throws(GitError) {
    try LibGit2.initializeOrThrow()
    var repo: OpaquePointer?
    try check("git_repository_open_bare", git_repository_open_bare(&repo, gitDirectory))
    odb = try ObjectDatabase.of(repo!)
    repository = repo!
  }

  deinit {
    git_odb_free(odb.odb)
    git_repository_free(repository)
  }

  /// The object's kind and inflated size, without reading its contents. Wraps `git_odb_read_header`.
  public func header(_ id: ObjectID) throws(GitError) -> (kind: ObjectKind, size: Int) {
    try odb.header(id)
  }

  /// Reads the object and calls `body` with its kind and bytes; the bytes are freed when
  /// `body` returns, so copy what must outlive it. Throws `GitError` or `body`'s error.
  /// Wraps `git_odb_read`.
  public func withObject<T>(
    _ id: ObjectID,
    _ body: (ObjectKind, UnsafeRawBufferPointer) throws -> T
  ) throws -> T {
    try odb.withObject(id, body)
  }

  /// The object's bytes, handed over as libgit2 read them (no copy); freed with the result.
  /// Wraps `git_odb_read` (the object is freed by `git_odb_object_free`, from any thread).
  public func contents(_ id: ObjectID) throws -> ObjectContents {
    try odb.contents(id)
  }

  /// `true` if the object exists in the database. Wraps `git_odb_exists`.
  public func contains(_ id: ObjectID) -> Bool {
    odb.contains(id)
  }
}
