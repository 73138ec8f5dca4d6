import FairScanDigest
import FairScanGit
import FairScanSQLite
import FairScanSystem
import Foundation

/// What the cache remembers of one object, scanned under one rules digest and settings.
enum CachedObject: Equatable {
  /// Nothing to scan in it (a tree), or a commit or tag message with no hit.
  case nothing
  /// A blob without hits.
  case clean
  /// A blob and what it held (secrets not kept: see `ScanCache`).
  case hits([ContentHit])
  /// A blob over the size cap (its size).
  case tooLarge(Int)
}

/// The incremental scan cache: an SQLite file (by default `.git/fairscan/cache.sqlite`) that
/// remembers which objects were scanned with which rules and settings and what they held, so
/// a second `fairscan repo` reads only objects it has not seen; and, for an unchanged
/// repository (same refs, same objects), the attributed history results, so it walks nothing.
///
/// - It never keeps a secret: hits are stored with the secret's SHA-256 and redacted form,
///   positions and context. A run that needs the secrets themselves (`--show-secrets`,
///   `--verify`) rescans the blobs that had hits.
/// - The packs every object of which it knows are kept by checksum (`packs`): a scan of new
///   commits lists the other packs and the loose objects only.
/// - Rules or settings that differ from the file's (its `meta` row) empty it first.
/// - A file that is not an SQLite database, is damaged, or was written by something else is
///   reported (one warning), deleted and rebuilt: the scan then reads everything, never a
///   wrong result. Damage the open does not meet costs a read, or the file when a write meets
///   it. Objects whose scan hit a PCRE2 limit or could not be read are not cached.
final class ScanCache {
  static let format = "fairscan-scan-cache"
  /// 2: blob hits are kept unresolved (every rule), resolved per path. 3: objects without hits
  /// are kept as packed id lists (`known`), a few rows instead of one per object. 4: the history
  /// record keeps the walk's tips and reachable commits, so new commits can be attributed alone.
  /// 5: hits and history records are bytes field by field (`CacheRecord`), not JSON.
  static let formatVersion = "5"
  /// Ids per `known` row (20 bytes each: 1.25 MiB).
  static let idsPerChunk = 65536

  let path: String
  private let db: SQLiteDatabase
  /// Objects with hits or over the size cap, read at open (few). Blobs scanned without hits and
  /// objects with nothing to scan (trees, clean messages) stay in the `known` lists on disk,
  /// streamed past the ids a scan asks about (`objects(among:)`).
  private(set) var special: [ObjectID: CachedObject] = [:]
  private var nextChunk: Int64 = 0
  /// Whether any `known` list exists (a first scan asks about every object of an empty cache).
  private var hasKnownLists = false
  private let ruleIDs: [String]
  private let ruleIndex: [String: Int]

  /// Opens or creates the cache. Returns nil (and a warning) when it cannot be used at all
  /// (the folder cannot be written, say); a foreign or damaged file is rebuilt with a warning.
  static func open(path: String, key: String, ruleSet: RuleSet) -> (ScanCache?, [String]) {
    var warnings: [String] = []
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
      do {
        try FileManager.default.createDirectory(
          atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      } catch {
        return (nil, ["scan cache disabled: cannot create \(folder): \(error.localizedDescription)"])
      }
    }
    for attempt in 0..<2 {
      do {
        return (try ScanCache(path: path, key: key, ruleSet: ruleSet), warnings)
      } catch let error as SQLiteError where error.isBusy {
        return (nil, warnings + ["scan cache not used: \(path) is in use by another fairscan"])
      } catch {
        let reason = (error as? CacheProblem)?.reason ?? "\(error)"
        guard attempt == 0 else { return (nil, warnings + ["scan cache disabled: \(reason)"]) }
        warnings.append("ignoring the scan cache \(path): \(reason); rebuilding it")
        removeFiles(at: path)
      }
    }
    return (nil, warnings)
  }

  struct CacheProblem: Error { let reason: String }

  /// Deletes the database at `path` and SQLite's files beside it.
  private static func removeFiles(at path: String) {
    for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
  }

  private init(path: String, key: String, ruleSet: RuleSet) throws {
    self.path = path
    let existed = FileManager.default.fileExists(atPath: path)
    (try? FileDescriptor.openCreatingPrivate(path))?.close()  // created private; SQLite reuses it
    db = try SQLiteDatabase(path: path)
    ruleIDs = ruleSet.rules.map(\.rule.id)
    ruleIndex = Dictionary(ruleIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    // No `PRAGMA quick_check`: it read every page at every open (0.8 ms of a warm swift-nio
    // rescan, 5.6 ms of curl's, growing with the cache). SQLite checks each page it reads: the
    // open reads the `meta`, `objects` and `known` rows (`loadSpecial`), so a file that is not a
    // database or is shorter than its header says fails here; damage met later costs a read (the
    // object or record is read again from the repository) or, met by a write, the file
    // (`writeFailure`).
    try db.execute("PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL")
    let schema = """
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS objects (oid BLOB PRIMARY KEY, kind INTEGER NOT NULL, size INTEGER, hits BLOB) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS known (kind INTEGER NOT NULL, chunk INTEGER NOT NULL, ids BLOB NOT NULL, PRIMARY KEY (kind, chunk)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS history (state TEXT PRIMARY KEY, body BLOB NOT NULL, walk BLOB);
      CREATE TABLE IF NOT EXISTS packs (checksum BLOB PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
      """
    // A new file's tables in one transaction: five would each wait for the disk (about 10 ms of
    // a first scan). An existing file's are there already (the statements change nothing).
    if existed { try db.execute(schema) } else { try db.transaction { try db.execute(schema) } }
    let meta = try readMeta()
    if existed, let format = meta["format"], format != Self.format {
      throw CacheProblem(reason: "not a fairscan scan cache (\(format))")
    }
    if existed, meta["format"] != nil, meta["version"] != Self.formatVersion {
      throw CacheProblem(reason: "written by another fairscan version (format \(meta["version"] ?? "?"))")
    }
    if existed, meta["format"] == nil, try count("objects") > 0 {
      throw CacheProblem(reason: "not a fairscan scan cache (no format record)")
    }
    if meta["key"] != key {
      // Other rules or settings: what it holds says nothing about this scan.
      try db.transaction {
        try db.execute(
          "DELETE FROM objects; DELETE FROM known; DELETE FROM history; DELETE FROM packs; DELETE FROM meta")
        let insert = try db.prepare("INSERT INTO meta (name, value) VALUES (?, ?)")
        for (name, value) in [("format", Self.format), ("version", Self.formatVersion), ("key", key)] {
          try insert.bind(1, name)
          try insert.bind(2, value)
          try insert.run()
        }
      }
    } else {
      try loadSpecial()
    }
  }

  /// The warning for a failed write. A damaged file is deleted, so that the next scan rebuilds it
  /// rather than meet the damage again.
  private func writeFailure(_ error: Error) -> String {
    guard let failure = error as? SQLiteError, failure.isCorruption else {
      return "the scan cache \(path) could not be updated: \(error)"
    }
    Self.removeFiles(at: path)
    return "the scan cache \(path) is damaged (\(error)): deleted, the next scan rebuilds it"
  }

  private func readMeta() throws -> [String: String] {
    var meta: [String: String] = [:]
    let select = try db.prepare("SELECT name, value FROM meta")
    while try select.step() { meta[select.text(0) ?? ""] = select.text(1) ?? "" }
    return meta
  }

  private func count(_ table: String) throws -> Int64 {
    let select = try db.prepare("SELECT count(*) FROM \(table)")
    _ = try select.step()
    return select.int64(0)
  }

  /// Reads the objects with hits or over the cap, and where the next `known` row goes.
  private func loadSpecial() throws {
    let select = try db.prepare("SELECT oid, kind, size, hits FROM objects")
    var loaded: [ObjectID: CachedObject] = [:]
    while try select.step() {
      let oid = select.bytes(0)
      guard oid.count == 20 else { throw CacheProblem(reason: "an object id is \(oid.count) bytes long") }
      let id = oid.withUnsafeBytes { ObjectID(bytes: $0) }
      switch select.int64(1) {
      case 2: loaded[id] = .hits(try CacheRecord.hits(from: select.bytes(3), ruleIndex: ruleIndex))
      case 3: loaded[id] = .tooLarge(Int(select.int64(2)))
      case let kind: throw CacheProblem(reason: "unknown object kind \(kind)")
      }
    }
    special = loaded
    let damaged = try db.prepare("SELECT count(*) FROM known WHERE length(ids) % 20 != 0 OR kind NOT IN (0, 1)")
    if try damaged.step(), damaged.int64(0) > 0 { throw CacheProblem(reason: "a list of known objects is damaged") }
    let last = try db.prepare("SELECT max(chunk) FROM known")
    if try last.step(), !last.isNull(0) {
      nextChunk = last.int64(0) + 1
      hasKnownLists = true
    }
  }

  /// Calls `body` with the kind (0 nothing, 1 clean) and the packed ids of every `known` row.
  private func forEachKnownList(_ body: (Int64, UnsafeRawBufferPointer) -> Void) throws {
    let chunks = try db.prepare("SELECT kind, ids FROM known")
    while try chunks.step() {
      let kind = chunks.int64(0)
      try chunks.withBytes(1) { ids in  // SQLite's own buffer: 600 kB on swift-nio, not copied
        guard ids.count % 20 == 0, kind == 0 || kind == 1 else {
          throw CacheProblem(reason: "a list of known objects is damaged")
        }
        body(kind, ids)
      }
    }
  }

  /// How many objects the cache knows.
  var count: Int {
    guard let select = try? db.prepare("SELECT coalesce(sum(length(ids)), 0) FROM known"), (try? select.step()) == true
    else { return special.count }
    return special.count + Int(select.int64(0) / 20)
  }

  /// What the cache knows of each of `ids` it knows: objects with hits or over the cap are at
  /// hand, the `known` lists are streamed past `ids` (never read into sets: a scan asks about a
  /// few new objects, a replay about the work tree's blobs). A list that cannot be read leaves
  /// its objects unknown: they are read again, which costs time, never a finding.
  /// `more`: other ids to look up (no copy of `ids` is made to add them).
  func objects(among ids: [ObjectID], more: Set<ObjectID> = []) -> [ObjectID: CachedObject] {
    var found: [ObjectID: CachedObject] = [:]
    guard hasKnownLists else {
      for id in ids { if let object = special[id] { found[id] = object } }
      for id in more { if let object = special[id] { found[id] = object } }
      return found
    }
    var rest = Set<ObjectID>(minimumCapacity: ids.count + more.count)
    for id in ids {
      if let object = special[id] { found[id] = object } else { rest.insert(id) }
    }
    for id in more {
      if let object = special[id] { found[id] = object } else { rest.insert(id) }
    }
    guard !rest.isEmpty else { return found }
    found.reserveCapacity(ids.count)
    let filter = FirstBytesFilter(rest)
    try? forEachKnownList { kind, raw in
      for start in stride(from: 0, to: raw.count, by: 20) where filter.mayHold(raw, at: start) {
        let id = ObjectID(bytes: UnsafeRawBufferPointer(rebasing: raw[start..<(start + 20)]))
        if rest.contains(id) { found[id] = kind == 0 ? .nothing : .clean }
      }
    }
    return found
  }

  /// One bit per value of an id's first two bytes, set for the ids looked up: a listed id whose
  /// bit is clear is not one of them. Most of the 30k listed ids are not, and testing a bit costs
  /// a few instructions where hashing the id into a set costs a few hundred (about 9 million
  /// instructions per lookup on swift-nio before).
  private struct FirstBytesFilter {
    private var words = [UInt64](repeating: 0, count: 1 << 10)  // 65,536 bits

    init(_ ids: Set<ObjectID>) {
      for id in ids {
        let bit = id.withUnsafeBytes { Self.bit($0, at: 0) }
        words[bit >> 6] |= 1 << UInt64(bit & 63)
      }
    }

    func mayHold(_ raw: UnsafeRawBufferPointer, at start: Int) -> Bool {
      let bit = Self.bit(raw, at: start)
      return words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    private static func bit(_ raw: UnsafeRawBufferPointer, at start: Int) -> Int {
      Int(raw.loadUnaligned(fromByteOffset: start, as: UInt16.self))
    }
  }

  /// The packs (by checksum, with their object counts) every object of which the cache knows:
  /// a scan need not list them again.
  func wholePacks() -> [ObjectID: Int] {
    guard let select = try? db.prepare("SELECT checksum, count FROM packs") else { return [:] }
    var packs: [ObjectID: Int] = [:]
    while (try? select.step()) == true {
      let checksum = select.bytes(0)
      guard checksum.count == 20 else { continue }
      packs[checksum.withUnsafeBytes { ObjectID(bytes: $0) }] = Int(select.int64(1))
    }
    return packs
  }

  /// Every object with hits or over the cap, and what the cache knows of the blobs among
  /// `candidates`, as a scan's result (`ObjectScanResult.absorb`): a replay asks about the work
  /// tree's blobs only.
  func absorbKnown(among candidates: Set<ObjectID>, into result: inout ObjectScanResult) {
    for (id, object) in special { result.absorb(id, object) }
    for (id, object) in objects(among: [], more: candidates) where object == .clean { result.absorb(id, object) }
  }

  /// Adds what this scan learnt, in one transaction: objects without hits as packed id lists (a
  /// few rows), the others one row each. A failure to write only costs speed next time.
  /// Only objects with hits or over the cap are added to what this instance knows: the scan
  /// that records is done reading, and the next one loads the lists again.
  func record(_ learnt: LearntObjects) -> String? {
    guard !learnt.isEmpty else { return nil }
    do {
      try db.transaction { try insert(learnt) }
      remember(learnt)
      return nil
    } catch {
      return writeFailure(error)
    }
  }

  /// The rows of `record`, inside the caller's transaction.
  private func insert(_ learnt: LearntObjects) throws {
    var lists: [[UInt8]] = [[], []]  // kind 0: nothing, 1: clean
    let insert = try db.prepare("INSERT OR REPLACE INTO objects (oid, kind, size, hits) VALUES (?, ?, ?, ?)")
    let insertList = try db.prepare("INSERT INTO known (kind, chunk, ids) VALUES (?, ?, ?)")
    var chunk = nextChunk
    func flush(_ kind: Int) throws {
      guard !lists[kind].isEmpty else { return }
      try insertList.bind(1, Int64(kind))
      try insertList.bind(2, chunk)
      try insertList.bind(3, lists[kind])
      try insertList.run()
      chunk += 1
      lists[kind].removeAll(keepingCapacity: true)
    }
    try learnt.forEach { id, object in
      switch object {
      case .nothing, .clean:
        let kind = object == .nothing ? 0 : 1
        if lists[kind].isEmpty { lists[kind].reserveCapacity(20 * Self.idsPerChunk) }
        id.withUnsafeBytes { lists[kind].append(contentsOf: $0) }
        if lists[kind].count == 20 * Self.idsPerChunk { try flush(kind) }
        return
      case .hits(let hits):
        try insert.bind(1, id.bytes)
        try insert.bind(2, Int64(2))
        try insert.bind(4, try CacheRecord.hits(hits, ruleIDs: ruleIDs))
      case .tooLarge(let size):
        try insert.bind(1, id.bytes)
        try insert.bind(2, Int64(3))
        try insert.bind(3, Int64(size))
      }
      try insert.run()
    }
    try flush(0)
    try flush(1)
    if chunk != nextChunk { hasKnownLists = true }
    nextChunk = chunk
  }

  /// After a committed write of `learnt`: what this instance knows (objects with hits or over the cap).
  private func remember(_ learnt: LearntObjects) {
    learnt.forEach { id, object in
      switch object {
      case .nothing, .clean: break
      default: special[id] = object
      }
    }
  }

  // MARK: History results of an unchanged repository

  /// What the history part of a scan produced, keyed by the repository's state.
  struct HistoryRecord {
    var hits: [PlacedHit]
    var skipped: [SkippedItem]
  }

  struct PlacedHit {
    var hit: ContentHit
    var location: Location
    var pathIsReal: Bool
  }

  /// What the attribution walk behind a history record covered: the commits the refs pointed
  /// to and every commit they reached. A later scan walks only the commits added since.
  struct WalkRecord {
    var tips: [ObjectID]
    var reachable: Set<ObjectID>
    /// Commits no ref reached (walked as unreachable).
    var unreachable: Set<ObjectID>

    /// Tip count and unreachable count (32-bit little-endian), then the tips, the unreachable
    /// and the reachable commits' ids.
    var bytes: [UInt8] {
      var out: [UInt8] = []
      out.reserveCapacity(8 + 20 * (tips.count + unreachable.count + reachable.count))
      withUnsafeBytes(of: UInt32(tips.count).littleEndian) { out += $0 }
      withUnsafeBytes(of: UInt32(unreachable.count).littleEndian) { out += $0 }
      for id in tips + Array(unreachable) + Array(reachable) { id.withUnsafeBytes { out.append(contentsOf: $0) } }
      return out
    }

    init(tips: [ObjectID], reachable: Set<ObjectID>, unreachable: Set<ObjectID>) {
      self.tips = tips
      self.reachable = reachable
      self.unreachable = unreachable
    }

    init?(bytes: [UInt8]) {
      guard bytes.count >= 8, (bytes.count - 8) % 20 == 0 else { return nil }
      let (tipCount, lostCount) = bytes.withUnsafeBytes {
        (
          Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))),
          Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
        )
      }
      let count = (bytes.count - 8) / 20
      guard tipCount + lostCount <= count else { return nil }
      var ids: [ObjectID] = []
      ids.reserveCapacity(count)
      bytes.withUnsafeBytes { raw in
        for k in 0..<count {
          ids.append(ObjectID(bytes: UnsafeRawBufferPointer(rebasing: raw[(8 + 20 * k)..<(28 + 20 * k)])))
        }
      }
      tips = Array(ids[..<tipCount])
      unreachable = Set(ids[tipCount..<(tipCount + lostCount)])
      reachable = Set(ids[(tipCount + lostCount)...])
    }
  }

  /// The history record kept (of whatever state) with its walk, if it has one.
  func latestHistory() -> (record: HistoryRecord, walk: WalkRecord)? {
    guard let select = try? db.prepare("SELECT body, walk FROM history"), (try? select.step()) == true,
      let walk = WalkRecord(bytes: select.bytes(1)),
      let record = try? CacheRecord.history(from: select.bytes(0), ruleIndex: ruleIndex)
    else { return nil }
    return (record, walk)
  }

  /// Whether a history record for `state` is stored (without reading it).
  func hasHistory(state: String) -> Bool {
    guard let select = try? db.prepare("SELECT 1 FROM history WHERE state = ?"), (try? select.bind(1, state)) != nil
    else { return false }
    return (try? select.step()) == true
  }

  func history(state: String) -> HistoryRecord? {
    guard let select = try? db.prepare("SELECT body FROM history WHERE state = ?"), (try? select.bind(1, state)) != nil,
      (try? select.step()) == true
    else { return nil }
    return try? CacheRecord.history(from: select.bytes(0), ruleIndex: ruleIndex)
  }

  /// `wholePacks`: packs every object of which the cache now knows (`wholePacks()`).
  /// `learnt`: what this scan learnt, written in the same transaction (as `record` would): one
  /// commit waits for the disk once, where two would wait twice.
  func storeHistory(
    state: String, _ record: HistoryRecord, walk: WalkRecord? = nil, wholePacks: [PackStamp] = [],
    learnt: LearntObjects? = nil
  ) -> String? {
    do {
      let body = try CacheRecord.history(record, ruleIDs: ruleIDs)
      try db.transaction {
        if let learnt, !learnt.isEmpty { try insert(learnt) }
        try db.execute("DELETE FROM history")
        let insert = try db.prepare("INSERT INTO history (state, body, walk) VALUES (?, ?, ?)")
        try insert.bind(1, state)
        try insert.bind(2, body)
        if let walk { try insert.bind(3, walk.bytes) }
        try insert.run()
        let pack = try db.prepare("INSERT OR IGNORE INTO packs (checksum, count) VALUES (?, ?)")
        for stamp in wholePacks {
          try pack.bind(1, stamp.checksum.bytes)
          try pack.bind(2, Int64(stamp.objectCount))
          try pack.run()
        }
      }
      if let learnt { remember(learnt) }
      return nil
    } catch {
      return writeFailure(error)
    }
  }
}
