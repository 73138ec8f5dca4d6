import FairScanGit
import Foundation
import FairScanRegex

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
    let threads = ScanThreads(ruleSet: ruleSet, options: options, onAttributionNeeded: onAttributionNeeded)
    let shared = Unchecked(walks)
    Parallel.run(jobs: options.jobs) { _ in
      guard var thread = threads.start() else { return }
      let inflater = PackInflater()
      var delivered = 0
      for walk in shared.value {
        walk.work(with: inflater) { id, kind, contents in
          thread.scan(loaded(id, kind: kind, contents: contents))
          delivered += 1
          if delivered % 256 == 0 { progress.advance(256) }
        }
      }
      progress.advance(delivered % 256)
      threads.finish(thread)
    }
    return (try threads.merged(), rest + walks.flatMap(\.leftovers))
  }

  /// Reads `ids` one by one through libgit2 on one thread, scanning on the others.
  private static func readOneByOne(
    gitDirectory: String, ids: [ObjectID], ruleSet: RuleSet, options: ScanOptions, scanTags: Bool,
    progress: ProgressMeter, makeReader: ReaderFactory, onAttributionNeeded: (@Sendable () -> Void)?
  ) throws -> ObjectScanResult {
    let queue = WorkQueue()
    let threads = ScanThreads(ruleSet: ruleSet, options: options, onAttributionNeeded: onAttributionNeeded)
    let shared = Unchecked(ids)
    let jobs = min(options.jobs, max(1, ids.count / 64 + 1))
    Parallel.run(jobs: jobs) { number in
      guard var thread = threads.start() else {
        queue.finish()
        return
      }
      if number == 0 {
        // The reader.
        do {
          let reader = try makeReader(gitDirectory)
          let ids = shared.value
          for (n, id) in ids.enumerated() {
            let item = load(id, reader: reader, options: options, scanTags: scanTags, into: &thread.result)
            if case .nothing = item {} else if jobs == 1 || !queue.offer(item) { thread.scan(item) }
            if n % 256 == 255 { progress.advance(256) }
          }
          progress.advance(ids.count % 256)
        } catch {
          threads.fail(error)
        }
        queue.finish()
      }
      while let item = queue.take() { thread.scan(item) }
      threads.finish(thread)
    }
    return try threads.merged()
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
