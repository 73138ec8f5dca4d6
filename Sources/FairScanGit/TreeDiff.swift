/// Blobs added or changed between two trees, found by a recursive comparison that skips
/// subtrees whose ids are equal. Gitlinks (submodules) and mode-only changes are ignored.
///
/// Each pair of trees is compared in one pass over their raw entries (`TreeCursor`); a path
/// becomes a `String` only for a changed blob. Recently read trees are kept (`TreeCache`):
/// the trees a commit is compared against were usually read for its parent.
final class TreeDiff {
  private let trees: TreeCache

  /// Reads trees through `trees` (shared with a `TreeContainment` that prunes the comparison).
  init(trees: TreeCache) {
    self.trees = trees
  }

  /// Appends `(blob, path)` for every blob in `new` that differs from `old` at the same path,
  /// and reports every tree and blob of `new` that is not shared with `old` to `saw`.
  /// A blob that one of the trees `others` (a merge's other parents) holds at the same path
  /// is reported to `saw` but not appended.
  /// With `within`, subtrees it says hold no blob of interest are skipped (`TreeContainment`).
  func changedBlobs(
    new: ObjectID, old: ObjectID?, others: [ObjectID] = [],
    into out: inout [(blob: ObjectID, path: String)],
    within: TreeContainment? = nil,
    saw: (ObjectID) -> Void
  ) {
    if let old, old == new { return }
    let otherTrees: [OtherTree] = others.compactMap { id in id == new ? .same : trees.tree(id).map { .tree($0) } }
    var path: [UInt8] = []
    compare(new: new, old: old, others: otherTrees, path: &path, into: &out, within: within, saw: saw)
  }

  /// What a merge's other parent holds at the directory being compared.
  private enum OtherTree {
    /// The same tree as the new commit: every blob below is there at the same path.
    case same
    /// Another tree, looked into entry by entry.
    case tree(Tree)
  }

  /// Compares `new` (at `path`, with a trailing `/` unless it is the root) with `old`.
  private func compare(
    new: ObjectID, old: ObjectID?, others: [OtherTree], path: inout [UInt8],
    into out: inout [(blob: ObjectID, path: String)],
    within: TreeContainment?, saw: (ObjectID) -> Void
  ) {
    if let within, !within.contains(new, comparedWith: old) { return }
    saw(new)
    guard let newTree = trees.tree(new) else { return }
    var oldCursor = old.flatMap { trees.tree($0) }.map { TreeCursor($0, lookingFrom: newTree) }
    var otherCursors = others.map { other -> OtherCursor in
      switch other {
      case .same: return .same
      case .tree(let t): return .cursor(TreeCursor(t, lookingFrom: newTree))
      }
    }
    for entry in newTree.entries {
      if entry.isGitlink { continue }
      // Most entries are the old tree's, byte for byte: nothing changed there.
      if oldCursor?.skipSame(entry) == true { continue }
      let previous = oldCursor?.find(entry)
      if entry.isTree {
        if let previous, previous.isTree, previous.hasSameID(as: entry) { continue }
        let subOthers = otherCursors.isEmpty ? [] : otherSubtrees(&otherCursors, entry)
        let length = path.count
        path.append(contentsOf: entry.name)
        path.append(0x2F)
        compare(
          new: entry.id, old: (previous?.isTree ?? false) ? previous!.id : nil, others: subOthers,
          path: &path, into: &out, within: within, saw: saw)
        path.removeSubrange(length...)
      } else {
        if let previous, previous.isBlob, previous.hasSameID(as: entry) { continue }
        let id = entry.id
        saw(id)
        if !otherCursors.isEmpty && anyHolds(&otherCursors, entry) { continue }
        let length = path.count
        path.append(contentsOf: entry.name)
        out.append((id, PathBytes.string(path)))
        path.removeSubrange(length...)
      }
    }
  }

  /// A merge's other parent at the directory being compared.
  private enum OtherCursor {
    case same
    case cursor(TreeCursor)
  }

  /// Whether one of the other parents holds `blob` (an entry of the new tree) at its path.
  private func anyHolds(_ others: inout [OtherCursor], _ blob: TreeEntry) -> Bool {
    var held = false
    for i in others.indices {
      switch others[i] {
      case .same:
        held = true
      case .cursor(var cursor):
        // Every cursor moves past `blob`, so that later look-ups stay in order.
        if let entry = cursor.find(blob), entry.hasSameID(as: blob) { held = true }
        others[i] = .cursor(cursor)
      }
    }
    return held
  }

  /// What each other parent holds at the subtree `entry` of the new tree; parents without a
  /// directory of that name are left out.
  private func otherSubtrees(_ others: inout [OtherCursor], _ entry: TreeEntry) -> [OtherTree] {
    var result: [OtherTree] = []
    for i in others.indices {
      switch others[i] {
      case .same:
        result.append(.same)
      case .cursor(var cursor):
        if let found = cursor.find(entry), found.sortsAsDirectory {
          if found.hasSameID(as: entry) {
            result.append(.same)
          } else if let sub = trees.tree(found.id) {
            result.append(.tree(sub))
          }
        }
        others[i] = .cursor(cursor)
      }
    }
    return result
  }
}
