/// Blobs added or changed between two trees, found by a recursive comparison that skips
/// subtrees whose ids are equal. Gitlinks (submodules) and mode-only changes are ignored.
struct TreeDiff {
    let repository: OpaquePointer

    /// Appends `(blob, path)` for every blob in `new` that differs from `old` at the same path,
    /// and reports every tree and blob of `new` that is not shared with `old` to `saw`.
    /// With `within`, subtrees it says hold no blob of interest are skipped (`TreeContainment`).
    func changedBlobs(new: ObjectID, old: ObjectID?, prefix: String,
                      into out: inout [(blob: ObjectID, path: String)],
                      within: TreeContainment? = nil,
                      saw: (ObjectID) -> Void) {
        if let old, old == new { return }
        if let within, !within.contains(new) { return }
        saw(new)
        guard let newTree = try? Tree(repository: repository, id: new) else { return }
        let oldTree = old.flatMap { try? Tree(repository: repository, id: $0) }
        for i in 0..<newTree.count {
            let entry = newTree.entry(at: i)
            if entry.isGitlink { continue }
            let previous = oldTree?.entry(named: entry.rawName)
            let id = entry.id
            if entry.isTree {
                let oldSub = (previous?.isTree ?? false) ? previous!.id : nil
                if oldSub != id {
                    changedBlobs(new: id, old: oldSub, prefix: join(prefix, entry.name), into: &out, within: within, saw: saw)
                }
            } else {
                if let previous, previous.isBlob, previous.id == id { continue }
                saw(id)
                out.append((id, join(prefix, entry.name)))
            }
        }
    }

    private func join(_ prefix: String, _ name: String) -> String {
        prefix.isEmpty ? name : prefix + "/" + name
    }
}
