import FairScanGit

/// What the workers found while reading objects from the object database.
struct ObjectScanResult: Sendable {
  var blobHits: [ObjectID: [ContentHit]] = [:]
  var commitHits: [(RawCommit, [ContentHit])] = []
  var tagHits: [(RawTag, [ContentHit])] = []
  var scannedBlobs: Set<ObjectID> = []
  /// Every commit read (its message scanned).
  var commitIDs: [ObjectID] = []
  var tooLarge: [(ObjectID, Int)] = []
  var unreadable: [(ObjectID, String)] = []
  var ruleErrors: [(ObjectID, String, String)] = []
  /// Inside archives: members not read whole, per blob (`ScanWorker+Archives.swift`).
  var archiveSkipped: [(ObjectID, [SkippedItem])] = []
  var blobs = 0
  var commits = 0
  var bytes = 0

  /// Whether anything found must be tied to commits and paths.
  var needsAttribution: Bool {
    !blobHits.isEmpty || !commitHits.isEmpty || !tooLarge.isEmpty || !ruleErrors.isEmpty || !unreadable.isEmpty
      || !archiveSkipped.isEmpty
  }

  /// Adds an object the scan cache knew.
  mutating func absorb(_ id: ObjectID, _ object: CachedObject) {
    switch object {
    case .nothing: break
    case .clean: scannedBlobs.insert(id)
    case .hits(let hits):
      scannedBlobs.insert(id)
      blobHits[id] = hits
    case .tooLarge(let size): tooLarge.append((id, size))
    }
  }

  /// What the scan of `ids` taught the cache: every object read whole, except those whose
  /// scan was cut short (unreadable, a rule limit) or that carry a commit or tag message hit.
  /// Walked lazily: a history of a million objects needs no second list of them.
  func learnt(from ids: [ObjectID]) -> LearntObjects {
    var skip = Set(unreadable.map(\.0))
    for (id, _, _) in ruleErrors { skip.insert(id) }
    for (id, _) in archiveSkipped { skip.insert(id) }  // a cached blob would lose its archive skips
    for (commit, _) in commitHits { skip.insert(commit.info.id) }
    for (tag, _) in tagHits { skip.insert(tag.id) }
    return LearntObjects(
      ids: ids, skip: skip, blobHits: blobHits, scannedBlobs: scannedBlobs,
      large: Dictionary(tooLarge.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a }))
  }

  /// Whether it holds nothing at all (merging it changes nothing).
  var isEmpty: Bool {
    blobHits.isEmpty && commitHits.isEmpty && tagHits.isEmpty && scannedBlobs.isEmpty && commitIDs.isEmpty
      && tooLarge.isEmpty && unreadable.isEmpty && ruleErrors.isEmpty && archiveSkipped.isEmpty && blobs == 0
      && commits == 0 && bytes == 0
  }

  mutating func merge(_ other: ObjectScanResult) {
    guard !other.isEmpty else { return }  // (and no copy of sets shared with a `LearntObjects`)
    blobHits.merge(other.blobHits) { $0 + $1 }
    commitHits += other.commitHits
    tagHits += other.tagHits
    scannedBlobs.formUnion(other.scannedBlobs)
    commitIDs += other.commitIDs
    tooLarge += other.tooLarge
    unreadable += other.unreadable
    ruleErrors += other.ruleErrors
    archiveSkipped += other.archiveSkipped
    blobs += other.blobs
    commits += other.commits
    bytes += other.bytes
  }
}
