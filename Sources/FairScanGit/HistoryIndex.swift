/// The result of `Repository.walkHistory`: walked commits and, per blob, where it was introduced.
///
/// Immutable after construction, hence safe to share between threads.
public final class HistoryIndex: @unchecked Sendable {
  /// Diffed commits, parents before children (reachable ones first, then unreachable ones).
  public let commits: CommitList
  /// Distinct blobs introduced by the walked commits, in first-appearance order.
  public let introducedBlobs: [ObjectID]
  /// Commits reached from refs (the whole reachable graph for `.all`, the range otherwise).
  public let reachableCommits: Set<ObjectID>
  /// Commit objects no ref reaches that were walked (only with `includeUnreachable`).
  public let unreachableCommits: Set<ObjectID>
  /// Commits, trees, blobs and tag objects reached from refs. Complete for `.all` without `since`.
  public let reachableObjects: SortedObjectIDs
  /// Every ref name (and `HEAD` when detached) to the object it points at, unpeeled.
  public let refTargets: [String: ObjectID]
  /// Commits the walk was led to (a ref, a parent) that the object database does not hold,
  /// shallow boundaries' parents aside.
  public let missingCommits: Set<ObjectID>
  /// The commits the refs point to (tags peeled), where the walk started.
  public let tipCommits: [ObjectID]
  /// For `.after`: the known commits that walked commits have as parents.
  public let boundary: Set<ObjectID>

  /// Every introduction, sorted by blob (walk order within a blob), and the paths they name.
  private let records: [IntroductionRecord]
  private let paths: [String]

  /// `records` in walk order; sorted here in place.
  init(
    commits: CommitList, records: consuming [IntroductionRecord], paths: [String], introducedBlobs: [ObjectID],
    reachableCommits: Set<ObjectID>, unreachableCommits: Set<ObjectID>,
    reachableObjects: SortedObjectIDs, refTargets: [String: ObjectID], missingCommits: Set<ObjectID> = [],
    tipCommits: [ObjectID] = [], boundary: Set<ObjectID> = []
  ) {
    self.tipCommits = tipCommits
    self.boundary = boundary
    self.commits = commits
    // Sorted by blob, walk order kept within one blob (the sort is stable).
    records.sort { $0.blob < $1.blob }
    self.records = records
    self.paths = paths
    self.introducedBlobs = introducedBlobs
    self.reachableCommits = reachableCommits
    self.unreachableCommits = unreachableCommits
    self.reachableObjects = reachableObjects
    self.refTargets = refTargets
    self.missingCommits = missingCommits
  }

  /// Every (commit, path) that first introduced `blob`, in walk order; empty if none.
  public func introductions(of blob: ObjectID) -> [Introduction] {
    var low = 0, high = records.count
    while low < high {
      let mid = (low + high) / 2
      if records[mid].blob < blob { low = mid + 1 } else { high = mid }
    }
    var result: [Introduction] = []
    while low < records.count && records[low].blob == blob {
      let r = records[low]
      result.append(
        Introduction(
          commit: Int(r.commit), path: paths[Int(r.path)], unreachable: r.unreachable, atOrBefore: r.atOrBefore))
      low += 1
    }
    return result
  }
}
