import CLibGit2

/// Reads objects through a repository's `git_odb`; internal, borrowed from its owner.
///
/// The owner (a `Repository` or `ObjectReader`) keeps the repository alive and frees the odb.
struct ObjectDatabase {
  let odb: OpaquePointer

  /// The object database of `repo`, which the caller then owns (and frees with `git_odb_free`);
  /// frees `repo` when the database cannot be had. Wraps `git_repository_odb`.
  static func of(_ repo: OpaquePointer) throws(GitError) -> ObjectDatabase {
    var db: OpaquePointer?
    let rc = git_repository_odb(&db, repo)
    if rc < 0 {
      let error = lastError("git_repository_odb", rc)
      git_repository_free(repo)
      throw error
    }
    return ObjectDatabase(odb: db!)
  }

  /// Kind and size without inflating the whole object. Wraps `git_odb_read_header`.
  func header(_ id: ObjectID) throws(GitError) -> (kind: ObjectKind, size: Int) {
    var oid = id.gitOID
    var size = 0
    var type = GIT_OBJECT_INVALID
    try check("git_odb_read_header", git_odb_read_header(&size, &type, odb, &oid))
    return (ObjectKind(type), size)
  }

  /// Reads the whole object: the `git_odb_object` (the caller frees it), its kind and bytes.
  /// Wraps `git_odb_read`.
  private func read(_ id: ObjectID) throws(GitError) -> (
    object: OpaquePointer?, kind: ObjectKind, bytes: UnsafeRawBufferPointer
  ) {
    var oid = id.gitOID
    var object: OpaquePointer?
    try check("git_odb_read", git_odb_read(&object, odb, &oid))
    let size = git_odb_object_size(object)
    let data = git_odb_object_data(object)
    return (
      object, ObjectKind(git_odb_object_type(object)),
      UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    )
  }

  /// Reads the whole object; the buffer is valid only inside `body`.
  func withObject<T>(
    _ id: ObjectID,
    _ body: (ObjectKind, UnsafeRawBufferPointer) throws -> T
  ) throws -> T {
    let read = try read(id)
    defer { git_odb_object_free(read.object) }
    return try body(read.kind, read.bytes)
  }

  /// The object, owned by the result (no copy): freed when the result goes.
  func contents(_ id: ObjectID) throws(GitError) -> ObjectContents {
    let read = try read(id)
    let object = read.object
    return ObjectContents(kind: read.kind, bytes: read.bytes) { git_odb_object_free(object) }
  }

  /// Same as `withObject`, with a typed error for internal callers whose body cannot throw.
  func withObjectTyped<T>(
    _ id: ObjectID,
    _ body: (ObjectKind, UnsafeRawBufferPointer) -> T
  ) throws(GitError) -> T {
    let read = try read(id)
    defer { git_odb_object_free(read.object) }
    return body(read.kind, read.bytes)
  }

  /// `true` if the object exists. Wraps `git_odb_exists`.
  func contains(_ id: ObjectID) -> Bool {
    var oid = id.gitOID
    return git_odb_exists(odb, &oid) == 1
  }
}
