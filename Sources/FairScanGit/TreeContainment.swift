/// Which trees hold (at any depth) one of a set of wanted blobs, each tree read once.
///
/// The attribution walk asks it before descending: a commit whose root tree holds no wanted
/// blob introduces none, and a subtree that holds none is skipped. Reading every distinct
/// tree once costs far less than diffing every commit's changed trees; every tree and blob
/// it meets is kept in `reached` (the objects the refs reach, for the missing-object check).
final class TreeContainment {
  /// The trees read, kept a while for the walk that asks (`TreeDiff` reads through it too).
  let trees: TreeCache
  private let wanted: Set<ObjectID>
  private var known: [ObjectID: Bool] = [:]
  /// Every tree and blob met so far.
  private(set) var reached: Set<ObjectID> = []

  init(odb: ObjectDatabase, wanted: Set<ObjectID>) {
    trees = TreeCache(odb: odb)
    self.wanted = wanted
  }

  private func saw(_ id: ObjectID) { reached.insert(id) }

  /// Whether `tree` holds a wanted blob. A tree that cannot be read holds none (the walk
  /// that needs it reports what it could not read).
  ///
  /// `old`, the tree at the same path in the commit's first parent, only saves work: a blob
  /// entry it has too was met when it was read, and is not wanted if `old` holds none.
  func contains(_ tree: ObjectID, comparedWith old: ObjectID? = nil) -> Bool {
    if let answer = known[tree] { return answer }
    saw(tree)
    var answer = false
    if let read = trees.tree(tree) {
      // Only an old tree read here (hence met in full) and still kept is used.
      let oldAnswer = old.flatMap { known[$0] }
      var oldEntries =
        oldAnswer == nil ? nil : old.flatMap { trees.keptTree($0) }.map { TreeCursor($0, lookingFrom: read) }
      var subtrees: [(tree: ObjectID, old: ObjectID?)] = []
      for entry in read.entries {
        if entry.isGitlink { continue }
        if oldEntries?.skipSame(entry) == true {
          if entry.isTree {
            subtrees.append((entry.id, entry.id))
          } else if oldAnswer == true && wanted.contains(entry.id) {
            answer = true
          }
          continue
        }
        let previous = oldEntries?.find(entry)
        if entry.isTree {
          subtrees.append((entry.id, (previous?.isTree ?? false) ? previous!.id : nil))
        } else if let previous, previous.isBlob, previous.hasSameID(as: entry) {
          if oldAnswer == true && wanted.contains(entry.id) { answer = true }
        } else {
          let id = entry.id
          saw(id)
          if wanted.contains(id) { answer = true }
        }
      }
      // Every subtree is read, wanted or not, so that `saw` meets every reachable object.
      for sub in subtrees where contains(sub.tree, comparedWith: sub.old) { answer = true }
    }
    known[tree] = answer
    return answer
  }
}
