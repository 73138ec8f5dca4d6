import CLibGit2

extension Repository {
    /// Refs whose names match `glob` (fnmatch style, e.g. `refs/remotes/origin/*`; nil: every
    /// ref), each with the object it points at (symbolic refs resolved, tags not peeled);
    /// dangling symbolic refs are left out.
    ///
    /// Wraps `git_reference_iterator_new` or `git_reference_iterator_glob_new`, `git_reference_next`
    /// and `git_reference_resolve`.
    public func references(matching glob: String? = nil) throws(GitError) -> [String: ObjectID] {
        var iterator: OpaquePointer?
        if let glob {
            try check("git_reference_iterator_glob_new", git_reference_iterator_glob_new(&iterator, handle, glob))
        } else {
            try check("git_reference_iterator_new", git_reference_iterator_new(&iterator, handle))
        }
        defer { git_reference_iterator_free(iterator) }
        var result: [String: ObjectID] = [:]
        while true {
            var ref: OpaquePointer?
            let rc = git_reference_next(&ref, iterator)
            if rc == GIT_ITEROVER.rawValue { break }
            try check("git_reference_next", rc)
            defer { git_reference_free(ref) }
            var resolved: OpaquePointer?
            guard git_reference_resolve(&resolved, ref) == 0 else { continue }
            defer { git_reference_free(resolved) }
            if let oid = git_reference_target(resolved) {
                result[String(cString: git_reference_name(ref))] = ObjectID(oid)
            }
        }
        return result
    }

    /// Whether the object database holds `id`. Wraps `git_odb_exists`.
    public func contains(_ id: ObjectID) -> Bool {
        var oid = id.gitOID
        return git_odb_exists(odb.odb, &oid) == 1
    }
}
