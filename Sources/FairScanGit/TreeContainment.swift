/// Which trees hold (at any depth) one of a set of wanted blobs, each tree read once.
///
/// The attribution walk asks it before descending: a commit whose root tree holds no wanted
/// blob introduces none, and a subtree that holds none is skipped. Reading every distinct
/// tree once costs far less than diffing every commit's changed trees; every tree and blob
/// it meets is kept in `reached` (the objects the refs reach, for the missing-object check).
final class TreeContainment {
    private let repository: OpaquePointer
    private let wanted: Set<ObjectID>
    private var known: [ObjectID: Bool] = [:]
    /// Every tree and blob met so far.
    private(set) var reached: Set<ObjectID> = []

    init(repository: OpaquePointer, wanted: Set<ObjectID>) {
        self.repository = repository
        self.wanted = wanted
    }

    private func saw(_ id: ObjectID) { reached.insert(id) }

    /// Whether `tree` holds a wanted blob. A tree that cannot be read holds none (the walk
    /// that needs it reports what it could not read).
    func contains(_ tree: ObjectID) -> Bool {
        if let answer = known[tree] { return answer }
        saw(tree)
        var answer = false
        if let read = try? Tree(repository: repository, id: tree) {
            var subtrees: [ObjectID] = []
            for i in 0..<read.count {
                let entry = read.entry(at: i)
                if entry.isGitlink { continue }
                let id = entry.id
                if entry.isTree {
                    subtrees.append(id)
                } else {
                    saw(id)
                    if wanted.contains(id) { answer = true }
                }
            }
            // Every subtree is read, wanted or not, so that `saw` meets every reachable object.
            for sub in subtrees where contains(sub) { answer = true }
        }
        known[tree] = answer
        return answer
    }
}
