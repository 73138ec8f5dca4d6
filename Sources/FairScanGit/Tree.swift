import CLibGit2

/// A looked-up `git_tree` (internal).
///
/// Owns the tree handle; freed on deinit.
final class Tree {
    let pointer: OpaquePointer

    /// Wraps `git_tree_lookup`.
    init(repository: OpaquePointer, id: ObjectID) throws(GitError) {
        var oid = id.gitOID
        var tree: OpaquePointer?
        try check("git_tree_lookup", git_tree_lookup(&tree, repository, &oid))
        pointer = tree!
    }

    deinit { git_tree_free(pointer) }

    /// Wraps `git_tree_entrycount`.
    var count: Int { git_tree_entrycount(pointer) }

    /// The entry at `index` (borrowed; valid while this tree lives). Wraps `git_tree_entry_byindex`.
    func entry(at index: Int) -> TreeEntry {
        TreeEntry(pointer: git_tree_entry_byindex(pointer, index))
    }

    /// The direct child named `name`, if any. Wraps `git_tree_entry_byname`.
    func entry(named name: UnsafePointer<CChar>) -> TreeEntry? {
        git_tree_entry_byname(pointer, name).map { TreeEntry(pointer: $0) }
    }

    /// The blob or tree id at a `/`-separated path, if any. Wraps `git_tree_entry_bypath`.
    func id(atPath path: String) -> ObjectID? {
        var entry: OpaquePointer?
        guard PathBytes.withCString(path, { git_tree_entry_bypath(&entry, pointer, $0) }) == 0, let e = entry else { return nil }
        defer { git_tree_entry_free(e) }
        return ObjectID(git_tree_entry_id(e))
    }
}

/// A borrowed `git_tree_entry`; valid only while its `Tree` lives.
struct TreeEntry {
    let pointer: OpaquePointer

    var id: ObjectID { ObjectID(git_tree_entry_id(pointer)) }
    var rawName: UnsafePointer<CChar> { git_tree_entry_name(pointer) }
    var name: String { PathBytes.string(cString: rawName) }
    var mode: UInt32 { git_tree_entry_filemode(pointer).rawValue }
    var isTree: Bool { mode == GIT_FILEMODE_TREE.rawValue }
    var isGitlink: Bool { mode == GIT_FILEMODE_COMMIT.rawValue }
    var isBlob: Bool { !isTree && !isGitlink }
}
