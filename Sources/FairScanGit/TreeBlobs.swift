/// Every blob id of a set of trees, each subtree read once (internal).
enum TreeBlobs {
  /// The blob ids reachable from `trees`; gitlinks are skipped, unreadable trees left out.
  static func collect(odb: ObjectDatabase, trees: [ObjectID]) -> Set<ObjectID> {
    var blobs = Set<ObjectID>()
    var seenTrees = Set<ObjectID>()
    var pending = trees
    while let id = pending.popLast() {
      guard seenTrees.insert(id).inserted, let tree = try? Tree(odb: odb, id: id) else { continue }
      for entry in tree.entries {
        if entry.isTree { pending.append(entry.id) } else if entry.isBlob { blobs.insert(entry.id) }
      }
    }
    return blobs
  }
}
