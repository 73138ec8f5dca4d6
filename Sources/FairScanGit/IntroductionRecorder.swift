/// Collects what the history walk finds: commits, blob introductions and reached objects.
///
/// Introductions are kept flat and small (a fixed-size record each, paths stored once), since
/// a walk without wanted blobs records every blob of the history.
struct IntroductionRecorder {
  let wanted: Set<ObjectID>?
  /// The diffed commits, in walk order, as rows of the walk's `CommitTable`.
  private(set) var commits: [CommitTable.Row] = []
  /// In walk order.
  private(set) var records: [IntroductionRecord] = []
  /// Each distinct path once; records name them by index.
  private(set) var paths: [String] = []
  private var pathIndex: [String: Int32] = [:]
  /// (blob, path) pairs already introduced: a later commit with the same pair adds nothing.
  private var pairs: Set<BlobAtPath> = []
  private(set) var introducedBlobs: [ObjectID] = []
  private var introduced: Set<ObjectID> = []
  /// Objects reached so far, with repeats since the last `compactObjects()`; `distinctObjects`
  /// of them at its start are sorted and distinct.
  private var objects: [ObjectID] = []
  private var distinctObjects = 0
  /// When false, objects seen are not added to `objects` (unreachable commits).
  var recordingObjects = true
  /// Blobs held before the walked commits (a range's base): never introduced by them.
  var known: Set<ObjectID> = []

  init(wanted: Set<ObjectID>?) { self.wanted = wanted }

  mutating func addCommit(_ row: CommitTable.Row) -> Int {
    commits.append(row)
    return commits.count - 1
  }

  mutating func sawObject(_ id: ObjectID) {
    guard recordingObjects else { return }
    if objects.count == objects.capacity {
      // When full, repeats go first; the array grows by a quarter, not to twice its size
      // (a history reaches hundreds of thousands of objects, held when the walk ends).
      if objects.count - distinctObjects > objects.count / 8 { compactObjects() }
      if objects.count == objects.capacity { objects.reserveCapacity(max(1024, objects.count + objects.count / 4)) }
    }
    objects.append(id)
  }

  mutating func sawObjects<S: Sequence>(_ ids: S) where S.Element == ObjectID {
    for id in ids { sawObject(id) }
  }

  private mutating func compactObjects() {
    objects.sort()
    objects.removeDuplicates()
    distinctObjects = objects.count
  }

  /// Every object reached, each once; objects seen after this are not recorded.
  mutating func takeReachedObjects() -> SortedObjectIDs {
    compactObjects()
    defer {
      objects = []
      distinctObjects = 0
      recordingObjects = false
    }
    return SortedObjectIDs(sortedDistinct: objects)
  }

  /// Drops what only the walk needed (which pairs and blobs were introduced), before the
  /// index is built from the rest.
  mutating func dropWalkState() {
    pairs = []
    introduced = []
    pathIndex = [:]
  }

  /// Hands over the introductions, leaving none here (the index sorts them in place).
  mutating func takeRecords() -> [IntroductionRecord] {
    defer { records = [] }
    return records
  }

  /// Records `(blob, path)` unless that pair was already introduced earlier.
  mutating func introduce(_ blob: ObjectID, path: String, commit: Int, unreachable: Bool, atOrBefore: Bool) {
    if let wanted, !wanted.contains(blob) { return }
    if known.contains(blob) { return }
    let pathID: Int32
    if let id = pathIndex[path] {
      pathID = id
    } else {
      pathID = Int32(paths.count)
      paths.append(path)
      pathIndex[path] = pathID
    }
    guard pairs.insert(BlobAtPath(blob: blob, path: pathID)).inserted else { return }
    records.append(
      IntroductionRecord(
        blob: blob, commit: Int32(commit), path: pathID, unreachable: unreachable, atOrBefore: atOrBefore))
    if introduced.insert(blob).inserted { introducedBlobs.append(blob) }
  }
}

/// One introduction as the walk keeps it: the blob, the commit's index, the path's index.
struct IntroductionRecord {
  var blob: ObjectID
  var commit: Int32
  var path: Int32
  var unreachable: Bool
  var atOrBefore: Bool
}

struct BlobAtPath: Hashable {
  var blob: ObjectID
  var path: Int32
}
