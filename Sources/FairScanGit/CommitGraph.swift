/// Loads commits and orders them parents-first; internal to the history walk.
///
/// Commits are parsed with `parseRawCommit` from `git_odb_read`; missing parents (shallow
/// boundaries, partial clones) are treated as absent, so such commits act as roots.
final class CommitGraph {
    private let odb: ObjectDatabase
    private let shallow: Set<ObjectID>
    /// Tree of every commit loaded so far (needed for first-parent diffs).
    private(set) var trees: [ObjectID: ObjectID] = [:]
    /// Shallow boundaries loaded so far whose parents were dropped (their history is cut).
    private(set) var cut: Set<ObjectID> = []
    /// Commits asked for (tips, parents) that the object database does not hold.
    private(set) var missing: Set<ObjectID> = []

    init(odb: ObjectDatabase, shallow: Set<ObjectID>) {
        self.odb = odb
        self.shallow = shallow
    }

    /// Parses the commit `id`; nil if it is missing or not a commit. Shallow boundaries get no parents.
    func load(_ id: ObjectID) -> CommitInfo? {
        let parsed = try? odb.withObjectTyped(id) { kind, raw -> CommitInfo? in
            kind == .commit ? parseRawCommit(raw, id: id)?.info : nil
        }
        guard var info = parsed ?? nil else {
            if !odb.contains(id) { missing.insert(id) }
            return nil
        }
        if shallow.contains(id) {
            if !info.parents.isEmpty { cut.insert(id) }
            info.parents = []
        }
        trees[id] = info.tree
        return info
    }

    /// The tree of commit `id`, loading it if needed; nil when the commit is absent.
    func tree(of id: ObjectID) -> ObjectID? {
        if let t = trees[id] { return t }
        return load(id)?.tree
    }

    /// Every commit reachable from `tips` without entering `stop`, parents before children.
    ///
    /// Depth-first post-order, so the ancestry of the first tip comes first. Linear in the
    /// number of commits; `visited` receives every commit found.
    func topologicalOrder(from tips: [ObjectID], stop: Set<ObjectID>,
                          visited: inout Set<ObjectID>) -> [CommitInfo] {
        var order: [CommitInfo] = []
        var pending: [ObjectID: CommitInfo] = [:]
        var stack: [(id: ObjectID, expanded: Bool)] = tips.reversed().map { ($0, false) }
        while let (id, expanded) = stack.popLast() {
            if expanded {
                if let info = pending.removeValue(forKey: id) { order.append(info) }
                continue
            }
            if stop.contains(id) || visited.contains(id) { continue }
            guard let info = load(id) else { continue }
            visited.insert(id)
            pending[id] = info
            stack.append((id, true))
            for parent in info.parents.reversed() where !stop.contains(parent) && !visited.contains(parent) {
                stack.append((parent, false))
            }
        }
        return order
    }
}
