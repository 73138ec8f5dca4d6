import CLibGit2

/// Reads objects through a repository's `git_odb`; internal, borrowed from its owner.
///
/// The owner (a `Repository` or `ObjectReader`) keeps the repository alive and frees the odb.
struct ObjectDatabase {
    let odb: OpaquePointer

    /// Kind and size without inflating the whole object. Wraps `git_odb_read_header`.
    func header(_ id: ObjectID) throws(GitError) -> (kind: ObjectKind, size: Int) {
        var oid = id.gitOID
        var size = 0
        var type = GIT_OBJECT_INVALID
        try check("git_odb_read_header", git_odb_read_header(&size, &type, odb, &oid))
        return (ObjectKind(type), size)
    }

    /// Reads the whole object; the buffer is valid only inside `body`. Wraps `git_odb_read`.
    func withObject<T>(_ id: ObjectID,
                       _ body: (ObjectKind, UnsafeRawBufferPointer) throws -> T) throws -> T {
        var oid = id.gitOID
        var object: OpaquePointer?
        try check("git_odb_read", git_odb_read(&object, odb, &oid))
        defer { git_odb_object_free(object) }
        let kind = ObjectKind(git_odb_object_type(object))
        let size = git_odb_object_size(object)
        let data = git_odb_object_data(object)
        let buffer = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
        return try body(kind, buffer)
    }

    /// The object, owned by the result (no copy). Wraps `git_odb_read`.
    func contents(_ id: ObjectID) throws(GitError) -> ObjectContents {
        var oid = id.gitOID
        var object: OpaquePointer?
        try check("git_odb_read", git_odb_read(&object, odb, &oid))
        let kind = ObjectKind(git_odb_object_type(object))
        let size = git_odb_object_size(object)
        let data = git_odb_object_data(object)
        return ObjectContents(kind: kind, bytes: UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)) {
            git_odb_object_free(object)
        }
    }

    /// Same as `withObject`, with a typed error for internal callers whose body cannot throw.
    func withObjectTyped<T>(_ id: ObjectID,
                            _ body: (ObjectKind, UnsafeRawBufferPointer) -> T) throws(GitError) -> T {
        var oid = id.gitOID
        var object: OpaquePointer?
        try check("git_odb_read", git_odb_read(&object, odb, &oid))
        defer { git_odb_object_free(object) }
        let kind = ObjectKind(git_odb_object_type(object))
        let size = git_odb_object_size(object)
        let data = git_odb_object_data(object)
        return body(kind, UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    }

    /// `true` if the object exists. Wraps `git_odb_exists`.
    func contains(_ id: ObjectID) -> Bool {
        var oid = id.gitOID
        return git_odb_exists(odb, &oid) == 1
    }
}

