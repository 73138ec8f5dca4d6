import FairScanGit

/// What a scan taught the scan cache, object by object (`ObjectScanResult.learnt`).
struct LearntObjects: Sendable {
  let ids: [ObjectID]
  let skip: Set<ObjectID>
  let blobHits: [ObjectID: [ContentHit]]
  let scannedBlobs: Set<ObjectID>
  let large: [ObjectID: Int]

  var isEmpty: Bool { ids.allSatisfy(skip.contains) }

  func forEach(_ body: (ObjectID, CachedObject) throws -> Void) rethrows {
    for id in ids where !skip.contains(id) {
      if let hits = blobHits[id] {
        try body(id, .hits(hits))
      } else if scannedBlobs.contains(id) {
        try body(id, .clean)
      } else if let size = large[id] {
        try body(id, .tooLarge(size))
      } else {
        try body(id, .nothing)
      }
    }
  }
}
