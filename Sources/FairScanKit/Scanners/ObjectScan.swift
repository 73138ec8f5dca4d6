import FairScanGit
import Foundation
import FairScanRegex

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

/// Reads the given objects and scans blobs, commit messages and tag messages; trees are
/// never scanned.
///
/// Many objects: each pack is walked by `PackWalk` on every thread, which rebuilds each object
/// once, from the base it was just rebuilt from, and scans it at once on the same thread. What
/// that leaves (loose objects, anything it could not rebuild) and small sets of objects are read
/// one by one through libgit2: one thread reads (libgit2 serialises pack access behind a
/// process-wide lock, so a second reader mostly waits), the others scan what it reads, and when
/// they fall behind (the queue is full) the reader scans the object itself.
enum ObjectScan {
  /// Opens the object reader.
  typealias ReaderFactory = @Sendable (_ gitDirectory: String) throws -> any ObjectReading

  /// The largest object a pack walk rebuilds; larger ones are read one by one.
  static let packWalkMaxObject = 32 << 20

  /// Scans `ids`. `packs` (the `.idx` files, `Repository.packIndexPaths()`) lets the packs be
  /// walked when `ids` is at least a quarter of what they hold (a first scan); fewer objects
  /// (what a warm cache has not seen) are read one by one, as without `packs`.
  static func run(
    gitDirectory: String, ids: [ObjectID], ruleSet: RuleSet, options: ScanOptions,
    scanTags: Bool = true, packs: [String] = [],
    makeReader: ReaderFactory = { try ObjectReader(gitDirectory: $0) },
    onAttributionNeeded: (@Sendable () -> Void)? = nil
  ) throws -> ObjectScanResult {
    let progress = ProgressMeter(total: ids.count, unit: "objects", report: options.progress)
    defer { progress.finish() }
    var total = ObjectScanResult()
    var rest = ids
    let packed = packs.reduce(0) { $0 + (PackFile.objectCount(indexPath: $1) ?? 0) }
    if !ids.isEmpty && ids.count * 4 >= packed && packed > 0 {
      let walked = try Trace.phase("walk packs") {
        try walkPacks(
          packs, ids: ids, ruleSet: ruleSet, options: options, scanTags: scanTags,
          progress: progress, onAttributionNeeded: onAttributionNeeded)
      }
      total = walked.result
      rest = walked.rest
    }
    if !rest.isEmpty {
      total.merge(
        try readOneByOne(
          gitDirectory: gitDirectory, ids: rest, ruleSet: ruleSet, options: options, scanTags: scanTags,
          progress: progress, makeReader: makeReader, onAttributionNeeded: onAttributionNeeded))
    }
    return total
  }

  /// Walks each pack (`PackWalk`) on every thread, scanning each wanted object where it is
  /// rebuilt. Returns what was scanned and the ids still to read: those of `ids` in no pack
  /// (in their order), then those a walk left (in pack order).
  private static func walkPacks(
    _ packs: [String], ids: [ObjectID], ruleSet: RuleSet, options: ScanOptions, scanTags: Bool,
    progress: ProgressMeter, onAttributionNeeded: (@Sendable () -> Void)?
  ) throws -> (result: ObjectScanResult, rest: [ObjectID]) {
    func scanned(_ kind: ObjectKind?) -> Bool {
      switch kind {
      case nil, .blob, .commit: return true  // (nil: cannot be placed, so left to be read one by one)
      case .tag: return scanTags
      case .tree, .other: return false
      }
    }
    var walks: [PackWalk] = []
    var rest: [ObjectID] = []
    let maxObjectSize = min(options.maxFileSize, packWalkMaxObject)
    Trace.phase("plan pack walks") {
      // A pack that cannot be mapped or read keeps its objects wanted: they are read one by one.
      let opened = packs.compactMap { try? PackFile(indexPath: $0) }
      if opened.count == 1, ids.count >= opened[0].count, ids[0..<opened[0].count].elementsEqual(opened[0].ids) {
        // The whole pack first (a first scan of a repository with one pack): no set of ids needed.
        walks = [PackWalk(pack: opened[0], maxObjectSize: maxObjectSize) { _, kind in scanned(kind) }]
        rest = Array(ids[opened[0].count...])
        return
      }
      var wanted = Set(ids)
      for pack in opened {
        walks.append(
          PackWalk(pack: pack, maxObjectSize: maxObjectSize) { id, kind in
            wanted.remove(id) != nil && scanned(kind)
          })
      }
      rest = ids.filter { wanted.contains($0) }
    }
    let gathered = Gathered<ObjectScanResult>()
    let failures = Gathered<String>()
    let shared = Unchecked(walks)
    Parallel.run(jobs: options.jobs) { _ in
      let worker: ScanWorker
      do { worker = try ScanWorker(ruleSet: ruleSet, limits: options.limits) } catch {
        failures.append("\(error)")
        return
      }
      worker.archiveLimits = options.archiveLimits
      let inflater = PackInflater()
      var result = ObjectScanResult()
      var announced = false
      var delivered = 0
      for walk in shared.value {
        walk.work(with: inflater) { id, kind, contents in
          scan(loaded(id, kind: kind, contents: contents), worker: worker, into: &result)
          if !announced && result.needsAttribution {
            announced = true
            onAttributionNeeded?()
          }
          delivered += 1
          if delivered % 256 == 0 { progress.advance(256) }
        }
      }
      progress.advance(delivered % 256)
      gathered.append(result)
    }
    if let failure = failures.all.first { throw ScanError.failed(failure) }
    var total = ObjectScanResult()
    for part in gathered.all { total.merge(part) }
    return (total, rest + walks.flatMap(\.leftovers))
  }

  /// Reads `ids` one by one through libgit2 on one thread, scanning on the others.
  private static func readOneByOne(
    gitDirectory: String, ids: [ObjectID], ruleSet: RuleSet, options: ScanOptions, scanTags: Bool,
    progress: ProgressMeter, makeReader: ReaderFactory, onAttributionNeeded: (@Sendable () -> Void)?
  ) throws -> ObjectScanResult {
    let queue = WorkQueue()
    let gathered = Gathered<ObjectScanResult>()
    let failures = Gathered<String>()
    let shared = Unchecked(ids)
    let jobs = min(options.jobs, max(1, ids.count / 64 + 1))
    Parallel.run(jobs: jobs) { thread in
      let worker: ScanWorker
      do { worker = try ScanWorker(ruleSet: ruleSet, limits: options.limits) } catch {
        failures.append("\(error)")
        queue.finish()
        return
      }
      worker.archiveLimits = options.archiveLimits
      var result = ObjectScanResult()
      var announced = false
      func scanAndAnnounce(_ item: Loaded) {
        scan(item, worker: worker, into: &result)
        if !announced && result.needsAttribution {
          announced = true
          onAttributionNeeded?()
        }
      }
      if thread == 0 {
        // The reader.
        do {
          let reader = try makeReader(gitDirectory)
          let ids = shared.value
          for (n, id) in ids.enumerated() {
            let item = load(id, reader: reader, options: options, scanTags: scanTags, into: &result)
            if case .nothing = item {} else if jobs == 1 || !queue.offer(item) { scanAndAnnounce(item) }
            if n % 256 == 255 { progress.advance(256) }
          }
          progress.advance(ids.count % 256)
        } catch {
          failures.append("\(error)")
        }
        queue.finish()
      }
      while let item = queue.take() { scanAndAnnounce(item) }
      gathered.append(result)
    }
    if let failure = failures.all.first { throw ScanError.failed(failure) }
    var total = ObjectScanResult()
    for part in gathered.all { total.merge(part) }
    return total
  }

  /// An object read and ready to scan: a blob's bytes as the reader read them (not copied), a
  /// message copied out of its commit or tag.
  enum Loaded: Sendable {
    case nothing
    case blob(ObjectID, ObjectContents)
    case commit(RawCommit, [UInt8])
    case tag(RawTag, [UInt8])

    var byteCount: Int {
      switch self {
      case .nothing: return 0
      case .blob(_, let contents): return contents.bytes.count
      case .commit(_, let b), .tag(_, let b): return b.count
      }
    }
  }

  /// Reads one object: its header first, so trees and blobs over the size cap are never read.
  static func load(
    _ id: ObjectID, reader: any ObjectReading, options: ScanOptions, scanTags: Bool,
    into result: inout ObjectScanResult
  ) -> Loaded {
    do {
      let header = try reader.header(id)
      switch header.kind {
      case .blob where header.size > options.maxFileSize:
        result.tooLarge.append((id, header.size))
        return .nothing
      case .blob, .commit:
        return loaded(id, kind: header.kind, contents: try reader.contents(id))
      case .tag where scanTags:
        return loaded(id, kind: header.kind, contents: try reader.contents(id))
      default:
        return .nothing
      }
    } catch {
      result.unreadable.append((id, "\(error)"))
      return .nothing
    }
  }

  /// What to scan of an object read whole: a blob as it is, the message of a commit or tag.
  static func loaded(_ id: ObjectID, kind: ObjectKind, contents: ObjectContents) -> Loaded {
    switch kind {
    case .blob:
      return .blob(id, contents)
    case .commit:
      guard let commit = parseRawCommit(contents.bytes, id: id) else { return .nothing }
      return .commit(commit, Array(contents.bytes[commit.messageRange]))
    case .tag:
      guard let tag = parseRawTag(contents.bytes, id: id) else { return .nothing }
      return .tag(tag, Array(contents.bytes[tag.messageRange]))
    case .tree, .other:
      return .nothing
    }
  }

  static func scan(_ item: Loaded, worker: ScanWorker, into result: inout ObjectScanResult) {
    switch item {
    case .nothing:
      return
    case .blob(let id, let contents):
      let scan = worker.scan(contents.bytes, path: nil)
      result.blobs += 1
      result.bytes += contents.bytes.count
      result.scannedBlobs.insert(id)
      if !scan.hits.isEmpty { result.blobHits[id, default: []] += scan.hits }
      for error in scan.errors { result.ruleErrors.append((id, error.ruleID, error.message)) }
      if !scan.skipped.isEmpty { result.archiveSkipped.append((id, scan.skipped)) }
    case .commit(let commit, let message):
      result.commits += 1
      result.commitIDs.append(commit.info.id)
      result.bytes += message.count
      let scan = worker.scan(message, path: nil)
      if !scan.hits.isEmpty { result.commitHits.append((commit, scan.hits)) }
      for error in scan.errors { result.ruleErrors.append((commit.info.id, error.ruleID, error.message)) }
    case .tag(let tag, let message):
      result.bytes += message.count
      let scan = worker.scan(message, path: nil)
      if !scan.hits.isEmpty { result.tagHits.append((tag, scan.hits)) }
      for error in scan.errors { result.ruleErrors.append((tag.id, error.ruleID, error.message)) }
    }
  }
}

/// Objects read and waiting to be scanned, bounded in count and bytes.
final class WorkQueue: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [ObjectScan.Loaded] = []
  private var head = 0
  private var bytes = 0
  private var finished = false
  static let maxItems = 1024
  static let maxBytes = 16 << 20

  /// Queues `item` unless the queue is full; the caller scans it itself when this returns false.
  func offer(_ item: ObjectScan.Loaded) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    let waiting = items.count - head
    guard waiting < WorkQueue.maxItems && (bytes + item.byteCount <= WorkQueue.maxBytes || waiting == 0) else {
      return false
    }
    items.append(item)
    bytes += item.byteCount
    condition.signal()
    return true
  }

  /// The next item; waits while the queue is empty and open; nil once it is finished and empty.
  func take() -> ObjectScan.Loaded? {
    condition.lock()
    defer { condition.unlock() }
    while head == items.count && !finished { condition.wait() }
    guard head < items.count else { return nil }
    let item = items[head]
    items[head] = .nothing
    head += 1
    bytes -= item.byteCount
    if head > 4096 && head * 2 > items.count {
      items.removeFirst(head)
      head = 0
    }
    return item
  }

  /// No more items will come: wake every waiting scanner.
  func finish() {
    condition.lock()
    finished = true
    condition.broadcast()
    condition.unlock()
  }
}
