/// The trees read most recently, up to a byte budget, least recently used dropped first (internal).
///
/// A commit's first parent was usually diffed a few commits before it, so the trees `TreeDiff`
/// compares a commit against were mostly read for that parent. On curl's history a 2 MiB
/// budget saves half the reads of the trees, and more does little.
final class TreeCache {
  private let odb: ObjectDatabase
  private let budget: Int
  /// Each kept tree and the tick of its last use.
  private var kept: [ObjectID: (tree: Tree, used: Int)] = [:]
  /// Every use, oldest first from `start`; a use that is not the tree's last is skipped.
  private var uses: [(id: ObjectID, tick: Int)] = []
  private var start = 0
  private var tick = 0
  private var bytes = 0

  init(odb: ObjectDatabase, budget: Int = 2 << 20) {
    self.odb = odb
    self.budget = budget
  }

  /// The tree `id`, kept or read now; nil if it cannot be read (`Tree(odb:id:)`).
  func tree(_ id: ObjectID) -> Tree? {
    tick += 1
    if let entry = kept[id] {
      kept[id] = (entry.tree, tick)
      uses.append((id, tick))
      return entry.tree
    }
    guard let read = try? Tree(odb: odb, id: id) else { return nil }
    kept[id] = (read, tick)
    uses.append((id, tick))
    bytes += read.bytes.count
    evict()
    return read
  }

  /// The tree `id` if it is kept; never reads.
  func keptTree(_ id: ObjectID) -> Tree? { kept[id]?.tree }

  /// Drops least recently used trees until the kept ones fit the budget.
  private func evict() {
    while bytes > budget && start < uses.count {
      let use = uses[start]
      start += 1
      if let entry = kept[use.id], entry.used == use.tick {
        bytes -= entry.tree.bytes.count
        kept[use.id] = nil
      }
    }
    // Without evictions, repeated uses pile up: keep each tree's last use only.
    if uses.count - start > 4 * kept.count + 4096 {
      uses = kept.map { (id: $0.key, tick: $0.value.used) }.sorted { $0.tick < $1.tick }
      start = 0
    } else if start > 4096 && start * 2 > uses.count {
      uses.removeFirst(start)
      start = 0
    }
  }
}
