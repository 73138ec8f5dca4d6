/// Loads commits and orders them parents-first; internal to the history walk.
///
/// Commits are parsed with `parseRawCommit` from `git_odb_read` and kept once, as rows of
/// `table`; missing parents (shallow boundaries, partial clones) are treated as absent, so
/// such commits act as roots.
final class CommitGraph {
  private let odb: ObjectDatabase
  private let shallow: Set<ObjectID>
  /// Every commit loaded so far.
  private(set) var table = CommitTable()
  /// The row of each commit loaded so far.
  private var rowOf: [ObjectID: CommitTable.Row] = [:]
  /// Shallow boundaries loaded so far whose parents were dropped (their history is cut).
  private(set) var cut: Set<ObjectID> = []
  /// Commits asked for (tips, parents) that the object database does not hold.
  private(set) var missing: Set<ObjectID> = []

  init(odb: ObjectDatabase, shallow: Set<ObjectID>) {
    self.odb = odb
    self.shallow = shallow
  }

  /// The row of commit `id`, parsed on first use; nil if it is missing or not a commit.
  /// Shallow boundaries get no parents.
  func load(_ id: ObjectID) -> CommitTable.Row? {
    if let row = rowOf[id] { return row }
    let parsed = try? odb.withObjectTyped(id) { kind, raw -> CommitInfo? in
      kind == .commit ? parseRawCommit(raw, id: id)?.info : nil
    }
    guard let info = parsed ?? nil else {
      if !odb.contains(id) { missing.insert(id) }
      return nil
    }
    var parents = info.parents
    if shallow.contains(id) {
      if !parents.isEmpty { cut.insert(id) }
      parents = []
    }
    let row = table.append(info, parents: parents)
    rowOf[id] = row
    return row
  }

  /// The tree of commit `id`, loading it if needed; nil when the commit is absent.
  func tree(of id: ObjectID) -> ObjectID? {
    load(id).map(table.tree)
  }

  /// Every commit reachable from `tips` without entering `stop`, parents before children,
  /// as rows of `table`.
  ///
  /// Depth-first post-order, so the ancestry of the first tip comes first. Linear in the
  /// number of commits; `visited` receives every commit found.
  func topologicalOrder(
    from tips: [ObjectID], stop: Set<ObjectID>,
    visited: inout Set<ObjectID>
  ) -> [CommitTable.Row] {
    var order: [CommitTable.Row] = []
    // A row means the commit's parents are done once it is popped again.
    var stack: [(id: ObjectID, expanded: CommitTable.Row?)] = tips.reversed().map { ($0, nil) }
    while let (id, expanded) = stack.popLast() {
      if let expanded {
        order.append(expanded)
        continue
      }
      if stop.contains(id) || visited.contains(id) { continue }
      guard let row = load(id) else { continue }
      visited.insert(id)
      stack.append((id, row))
      for parent in table.parents(row).reversed() where !stop.contains(parent) && !visited.contains(parent) {
        stack.append((parent, nil))
      }
    }
    return order
  }
}
