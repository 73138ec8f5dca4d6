import FairScanDigest
import FairScanGit

// The history half of `fairscan repo`, in five named stages:
//
// 1. consult the cache: an unchanged repository replays its attributed results (nothing is
//    listed, read or walked); otherwise objects scanned before are not read again;
// 2. select the objects: every object of the database, or what the selected commits introduced;
//    when new commits alone may need walking, the packs the cache knows whole are left out;
// 3. scan them (`ObjectScan`), with the attribution walk started beside the scan at its first hit;
// 4. attribute: tie each hit to the paths and commits that hold it. There are three ways, from
//    cheapest to dearest: the replayed record (stage 1), the new commits only, when the cache's
//    last walk still speaks for the rest (`RepositoryScanner+NewCommits.swift`), or a walk of
//    the whole history (`RepositoryScanner+Placing.swift` places what it found);
// 5. summarise: what could not be scanned, and the history record for the next scan.

extension RepositoryScanner {
  /// The scan cache as one history scan uses it.
  struct HistoryCache {
    let store: ScanCache
    /// `cacheKey()`: what the cached results were computed with.
    let key: String
    /// The repository's state (`historyState`) when attributed results may be reused and
    /// recorded; nil for selective scans, runs that need the secrets, or an unreadable state.
    let state: String?
  }

  /// Which objects a history scan reads, and the walk a selective scan made to choose them.
  struct HistorySelection {
    var ids: [ObjectID]
    var walked: HistoryIndex?
  }

  /// Whether the scan reads what some commits introduced (`--range`, `--since`, `--commits`)
  /// rather than every object.
  var isSelective: Bool { options.range != nil || options.since != nil || options.commits != nil }

  /// `cache`: `openCache`'s. `worktreeBlobs`: the blobs of the work tree's unmodified files,
  /// which a replay looks up.
  func scanHistory(
    _ repo: Repository, cache: HistoryCache?, worktreeBlobs: Set<ObjectID>, collector: inout FindingCollector,
    summary: inout ScanSummary
  ) throws -> ObjectScanResult {
    let selective = isSelective

    // 1. Consult the cache.
    if let cache,
      let replayed = Trace.phase(
        "replay the history record",
        {
          replayHistory(
            cache, shallowBoundaries: repo.shallowBoundariesWhenShallow, worktreeBlobs: worktreeBlobs,
            collector: &collector, summary: &summary)
        })
    {
      return replayed
    }

    // The last history record and what its walk covered: new commits may be attributed alone.
    let previous =
      cache?.state == nil ? nil : Trace.phase("read the last history record") { cache?.store.latestHistory() }

    // 2. Select the objects. When new commits alone may need walking, the packs the cache knows
    // whole are not listed: what is new is in the other packs and the loose objects.
    let packs = cache?.state == nil ? nil : repo.packStamps()
    var wholePacks = WholePacks()
    if let cache, let packs, previous != nil {
      let known = cache.store.wholePacks()
      for (path, stamp) in packs where known[stamp.checksum] == stamp.objectCount {
        wholePacks.paths.insert(path)
        wholePacks.objectCount += stamp.objectCount
      }
    }
    let listingPhase =
      wholePacks.paths.isEmpty ? "list objects" : "list objects (\(wholePacks.paths.count) known whole left out)"
    let listing = try Trace.phase(listingPhase) { try repo.listAllObjects(skipping: wholePacks.paths) }
    var selection = try selectObjects(repo, listing: listing, selective: selective, summary: &summary)
    var known = Trace.phase("look up the cache") {
      cache.map { takeKnownObjects(&selection.ids, from: $0.store, worktreeBlobs: worktreeBlobs, summary: &summary) }
        ?? ObjectScanResult()
    }
    if let cache, !wholePacks.paths.isEmpty {
      // The packs left out hold objects with hits or over the cap too: those still in the repository.
      for (id, object) in cache.store.special where known.blobHits[id] == nil && repo.contains(id) {
        if case .tooLarge = object, known.tooLarge.contains(where: { $0.0 == id }) { continue }
        known.absorb(id, object)
      }
      summary.cachedObjects = (summary.cachedObjects ?? 0) + wholePacks.objectCount
    }

    // 3. Scan. Attribution starts beside the scan at its first hit, except on huge histories
    // (recording every blob's introductions would cost too much memory) and when only new
    // commits may need walking: those walk afterwards, for the hits only.
    let concurrentWalk =
      !selective && previous == nil && listing.ids.count <= options.concurrentWalkLimit
      ? BackgroundWalk(gitDirectory: repo.gitDirectory, objectIDs: listing.ids) : nil
    var result = try scanObjects(repo, selection.ids, known: known, selective: selective, walk: concurrentWalk)
    let fresh = result
    // The cache learns on a thread of its own while the findings are attributed; it is waited
    // for before the history record is stored (one SQLite connection, one user at a time).
    // What a scan of new commits learnt (a few objects) waits instead, to be written in the
    // history record's transaction: one wait for the disk instead of two.
    var cacheWrite = PendingCacheWrite()
    if let cache {
      let learnt = result.learnt(from: selection.ids)
      if previous != nil {
        cacheWrite.held = (cache.store, learnt)
      } else {
        cacheWrite.task = BackgroundTask { cache.store.record(learnt) }
      }
      result.merge(known)  // cached objects add no counts: they were not read
    }
    defer { cacheWrite.finish(into: &summary) }
    summary.blobsScanned += result.blobs
    summary.commitsScanned += result.commits
    summary.bytesScanned += result.bytes

    // 4. Attribute.
    // A partial clone lacks objects by design: walk to count those the refs reach (never fetch them).
    let promisors = repo.promisorRemotes()
    if let previous, promisors.isEmpty, result.needsAttribution,
      let attributed = attributeNewCommits(
        repo, previous: previous, fresh: fresh, result: result, collector: &collector)
    {
      summary.skipped += previous.record.skipped
      if let cache, let state = cache.state {
        let record = ScanCache.HistoryRecord(hits: attributed.placed, skipped: previous.record.skipped)
        Trace.phase("store the history record") {
          // One transaction: if it fails, neither the objects nor the packs are recorded.
          summary.note(
            cache.store.storeHistory(
              state: state, record, walk: attributed.walk, wholePacks: (packs ?? []).map(\.stamp),
              learnt: cacheWrite.takeHeld()))
        }
      }
      noteShallow(repo.shallowBoundariesWhenShallow, summary: &summary)
      return result
    }
    let incompleteBeforeWalk = summary.incomplete.count
    // The whole walk counts what no ref reaches among every object: list the packs left out too.
    let fullListing = wholePacks.paths.isEmpty ? listing : try repo.listAllObjects()
    let index = walkHistory(
      repo, selection: selection, listing: fullListing, concurrentWalk: concurrentWalk,
      needed: result.needsAttribution || !promisors.isEmpty, result: result, summary: &summary)
    if let index {
      Trace.phase("check the reached objects exist") {
        noteMissingObjects(repo, index: index, promisors: promisors, summary: &summary)
      }
    }
    let places = HistoryPlaces(index: index, selective: selective)
    let recording = cache?.state != nil
    var placed: [ScanCache.PlacedHit] = []
    func add(_ hits: [ContentHit], at path: String?, location: (ContentHit) -> Location) {
      let added = collector.add(hits, at: path, location: location)
      if recording { placed += added.map { ScanCache.PlacedHit(hit: $0.0, location: $0.1, pathIsReal: path != nil) } }
    }
    Trace.phase("place the hits") { placeHits(result, places: places, repo: repo, add: add) }

    // 5. Summarise.
    let skippedBefore = summary.skipped.count
    summariseUnscanned(result, places: places, collector: collector, summary: &summary)
    let written = Trace.phase("finish the cache write") { cacheWrite.finish(into: &summary) }
    if let cache, let state = cache.state, result.unreadable.isEmpty, result.ruleErrors.isEmpty,
      result.archiveSkipped.isEmpty, summary.incomplete.count == incompleteBeforeWalk
    {
      let record = ScanCache.HistoryRecord(hits: placed, skipped: Array(summary.skipped[skippedBefore...]))
      // What the walk covered, when it walked every ref: the next scan may walk new commits only.
      let walk = index.map {
        ScanCache.WalkRecord(tips: $0.tipCommits, reachable: $0.reachableCommits, unreachable: $0.unreachableCommits)
      }
      // Every object listed is known now: so is every pack whole.
      Trace.phase("store the history record") {
        summary.note(
          cache.store.storeHistory(
            state: state, record, walk: walk, wholePacks: written ? (packs ?? []).map(\.stamp) : []))
      }
    }
    noteShallow(repo.shallowBoundariesWhenShallow, summary: &summary)
    return result
  }

  /// The packs the cache knows whole, which a scan of new commits does not list.
  struct WholePacks {
    var paths: Set<String> = []
    var objectCount = 0
  }

  // MARK: 1. Consult the cache

  /// Opens the scan cache the options name, with the repository's state: nil when the cache is
  /// off or cannot be used (a warning goes to the summary's notes).
  /// `opened`: the cache as a scan from the repository's memo opened it, if it did (an opening
  /// deletes a damaged file: its warnings are said once, here).
  func openCache(_ repo: Repository, opened: OpenedCache?, summary: inout ScanSummary) -> HistoryCache? {
    let opened = opened?.gitDirectory == repo.gitDirectory ? opened : openCacheStore(gitDirectory: repo.gitDirectory)
    guard let opened else { return nil }
    summary.note(contentsOf: opened.warnings)
    guard let store = opened.store else { return nil }
    return HistoryCache(
      store: store, key: opened.key,
      state: reusesAttributedResults
        ? Trace.phase("repository state") { historyState(repo, cacheKey: opened.key) } : nil)
  }

  /// Whether attributed results (the history record) may be reused and recorded: not for
  /// selective scans, nor for runs that need the secrets (`--show-secrets`, `--verify`), which
  /// cached hits do not hold.
  var reusesAttributedResults: Bool { !isSelective && !options.showSecrets && !options.keepsSecrets }

  /// The scan cache as opened for a git directory: the store (nil when it cannot be used), the
  /// key it was opened with, and the warnings of the opening.
  struct OpenedCache {
    let gitDirectory: String
    let store: ScanCache?
    let key: String
    let warnings: [String]
  }

  /// Opens the scan cache the options name for the repository whose git directory is `gitDir`;
  /// nil when the cache is off.
  func openCacheStore(gitDirectory gitDir: String) -> OpenedCache? {
    let path: String? =
      switch options.cache {
      case .none: nil
      case .inGitDirectory: (gitDir.hasSuffix("/") ? gitDir : gitDir + "/") + "fairscan/cache.sqlite"
      case .file(let path): path
      }
    guard let path else { return nil }
    let key = Trace.phase("cache key") { cacheKey() }
    let (opened, warnings) = Trace.phase("open scan cache") { ScanCache.open(path: path, key: key, ruleSet: ruleSet) }
    return OpenedCache(gitDirectory: gitDir, store: opened, key: key, warnings: warnings)
  }

  /// An unchanged repository: the findings the cache recorded for this state, placed as they
  /// were, and what it knows of the work tree's blobs. Nil when the cache has no record of this state.
  /// `shallowBoundaries`: the repository's, when it is a shallow clone.
  func replayHistory(
    _ cache: HistoryCache, shallowBoundaries: @autoclosure () -> [ObjectID]?, worktreeBlobs: Set<ObjectID>,
    collector: inout FindingCollector, summary: inout ScanSummary
  ) -> ObjectScanResult? {
    guard let state = cache.state, let record = cache.store.history(state: state) else { return nil }
    for placed in record.hits { collector.addResolved(placed.hit, placed.location, pathIsReal: placed.pathIsReal) }
    summary.skipped += record.skipped
    summary.cachedObjects = cache.store.count
    var known = ObjectScanResult()
    cache.store.absorbKnown(among: worktreeBlobs, into: &known)
    noteShallow(shallowBoundaries(), summary: &summary)
    return known
  }

  /// Takes out of `ids` the objects the cache knows (hits are read again when a run needs the
  /// secrets) and returns what it knows of them.
  /// Of the blobs without hits, only those of the work tree (`worktreeBlobs`) are noted as
  /// scanned: nothing else asks (`scanWorktree` reuses them).
  private func takeKnownObjects(
    _ ids: inout [ObjectID], from cache: ScanCache, worktreeBlobs: Set<ObjectID>, summary: inout ScanSummary
  ) -> ObjectScanResult {
    let reusesHits = !options.showSecrets && !options.keepsSecrets
    // The work tree's blobs are looked up too: a pack left out of `ids` may hold them.
    let objects = cache.objects(among: ids, more: worktreeBlobs)
    var known = ObjectScanResult()
    for blob in worktreeBlobs where objects[blob] == .clean { known.absorb(blob, .clean) }
    var toScan: [ObjectID] = []
    toScan.reserveCapacity(max(0, ids.count - objects.count))
    var cachedCount = 0
    for id in ids {
      guard let object = objects[id] else { toScan.append(id); continue }
      if case .hits = object, !reusesHits { toScan.append(id); continue }
      if object != .clean { known.absorb(id, object) }
      cachedCount += 1
    }
    ids = toScan
    summary.cachedObjects = cachedCount
    return known
  }

  /// What must match for cached results to apply: rules, settings and fairscan's version
  /// (hashes every rule: computed once a scan).
  func cacheKey() -> String {
    let settings =
      "\(FairScanVersion.current)|\(ruleSet.digest)|\(options.maxFileSize)|\(options.limits)|\(ruleSet.database != nil)"
      + "|archives \(options.archiveLimits?.description ?? "off")"  // not the optional itself: reflection
      + "|content \(ScanWorker.contentRevision)"
    return SHA256.hex(Array(settings.utf8))
  }

  /// The repository's state as far as the history results go: refs, the objects (by pack
  /// checksums and loose ids: `objectStoreFingerprint`), the index.
  /// Nil when it cannot be read (then nothing is reused).
  private func historyState(_ repo: Repository, cacheKey: String) -> String? {
    guard let refs = try? repo.referenceFingerprint(), let objects = repo.objectStoreFingerprint() else { return nil }
    var hasher = SHA256()
    hasher.update(Array((cacheKey + "\n" + refs).utf8))
    if let stamp = repo.indexFileStamp() { hasher.update(Array(stamp.utf8)) }
    hasher.update(objects)
    return Hex.encode(hasher.finalize())
  }

  // MARK: 2. Select the objects

  /// Every object of the database, in the listing's (pack) order; or, for `--range`, `--since`
  /// and `--commits`, only what the selected commits introduced, walked first, then put in pack order.
  private func selectObjects(
    _ repo: Repository, listing: ObjectListing, selective: Bool, summary: inout ScanSummary
  ) throws -> HistorySelection {
    guard selective else { return HistorySelection(ids: listing.ids, walked: nil) }
    var walk = HistoryWalkOptions()
    if let range = options.range {
      guard range.contains("..") else { throw ScanError.badRange("expected A..B, got '\(range)'") }
      let resolved = try RangeSelection.resolve(range, in: repo)
      walk.selection = resolved.selection
      walk.includeUnreachable = false
      summary.incomplete += resolved.incomplete
      summary.note(contentsOf: resolved.notes)
    }
    if let commits = options.commits {
      walk.selection = .commits(show: commits.show, hide: commits.hide)
      walk.includeUnreachable = false
    }
    walk.since = options.since
    let index: HistoryIndex
    do { index = try repo.walkHistory(walk) } catch {
      if let range = options.range { throw ScanError.badRange("'\(range)': \(error.message)") }
      if options.commits != nil { throw ScanError.path("cannot resolve the commits to scan: \(error.message)") }
      throw ScanError.walkFailed(error)
    }
    var position: [ObjectID: Int] = [:]
    position.reserveCapacity(listing.ids.count)
    for (i, id) in listing.ids.enumerated() { position[id] = i }
    let wanted = index.introducedBlobs + index.commits.ids
    return HistorySelection(ids: wanted.sorted { (position[$0] ?? Int.max) < (position[$1] ?? Int.max) }, walked: index)
  }

  // MARK: 3. Scan

  /// Reads and scans `ids`; `walk`, if any, starts at the first hit (or at once when the cache
  /// already knows one).
  private func scanObjects(
    _ repo: Repository, _ ids: [ObjectID], known: ObjectScanResult, selective: Bool, walk: BackgroundWalk?
  ) throws -> ObjectScanResult {
    var startWalk: (@Sendable () -> Void)? = nil
    if let walk { startWalk = { walk.start() } }
    if known.needsAttribution { startWalk?() }
    return try Trace.phase("read and scan objects") {
      try ObjectScan.run(
        gitDirectory: repo.gitDirectory, ids: ids, ruleSet: ruleSet, options: options, scanTags: !selective,
        packs: repo.packIndexPaths(), onAttributionNeeded: startWalk)
    }
  }

  // MARK: 4. Attribute (the whole history)

  /// The walk that ties hits to paths and commits: the selective scan's own, the concurrent
  /// one, or one made now for the hit blobs only. Nil when nothing needs it, or it failed
  /// (the findings then stand without their commits, and the summary says why).
  private func walkHistory(
    _ repo: Repository, selection: HistorySelection, listing: ObjectListing, concurrentWalk: BackgroundWalk?,
    needed: Bool, result: ObjectScanResult, summary: inout ScanSummary
  ) -> HistoryIndex? {
    if let walked = selection.walked { return walked }
    if let concurrentWalk {
      guard needed else {
        concurrentWalk.cancel()
        return nil
      }
      do { return try concurrentWalk.result() } catch {
        summary.incomplete.append(ScanError.walkFailed(error).description)
        return nil
      }
    }
    guard needed else { return nil }
    var wanted = Set(result.blobHits.keys)
    for (id, _) in result.tooLarge { wanted.insert(id) }
    for (id, _, _) in result.ruleErrors { wanted.insert(id) }
    for (id, _) in result.unreadable { wanted.insert(id) }
    var walk = HistoryWalkOptions()
    walk.wantedBlobs = wanted
    walk.objectIDs = listing.ids
    do { return try Trace.phase("attribute (history walk)") { try repo.walkHistory(walk) } } catch {
      summary.incomplete.append(ScanError.walkFailed(error).description)
      return nil
    }
  }

  // MARK: 5. Summarise

  /// Names what the scan could not look at, at the paths that hold it: blobs over the size
  /// cap, unreadable objects, archive members not read whole, and rule errors where the rule applies.
  private func summariseUnscanned(
    _ result: ObjectScanResult, places: HistoryPlaces, collector: FindingCollector, summary: inout ScanSummary
  ) {
    let unattributed = Self.unattributed
    for (blob, size) in result.tooLarge {
      for place in places.paths(of: blob).map(\.path).ifEmpty(unattributed) where !collector.isExcluded(place) {
        summary.skipped.append(
          SkippedItem(path: TerminalSafe.string(place), blob: blob.hex, reason: .tooLarge, size: size))
      }
    }
    for (blob, message) in result.unreadable {
      summary.skipped.append(
        SkippedItem(
          path: TerminalSafe.string(places.paths(of: blob).first?.path ?? unattributed), blob: blob.hex,
          reason: .unreadable,
          detail: message))
    }
    // Inside archives: members not read whole, at the blob's first path (ScanWorker+Archives.swift).
    var archiveSkipped: [SkippedItem] = []
    for (blob, items) in result.archiveSkipped {
      let place = places.paths(of: blob).first?.path ?? unattributed
      if !collector.isExcluded(place) { archiveSkipped += items.map { $0.placed(in: place, blob: blob.hex) } }
    }
    summary.recordArchiveSkips(archiveSkipped.sorted { $0.path < $1.path })
    var ruleErrors: [RuleErrorRecord] = []
    for (blob, ruleID, message) in result.ruleErrors {
      let paths = places.paths(of: blob).map(\.path)
      // A blob only at paths the configuration leaves out, or where the rule does not apply,
      // cannot make the scan incomplete.
      if !paths.isEmpty && paths.allSatisfy({ !collector.applies(ruleID, at: $0) }) { continue }
      ruleErrors.append(
        RuleErrorRecord(
          ruleID: ruleID, path: TerminalSafe.string(paths.first ?? "(commit or tag message)"), blob: blob.hex,
          message: message))
    }
    summary.recordUnreadable(result.unreadable.count, "object(s)")
    summary.recordRuleErrors(ruleErrors)
  }

  /// Objects the walk was led to that the object database lacks: left out of a partial clone on
  /// purpose (with the fetch that brings them), or lost (a damaged repository).
  func noteMissingObjects(_ repo: Repository, index: HistoryIndex, promisors: [String], summary: inout ScanSummary) {
    let missing = index.reachableObjects.filter { !repo.contains($0) }.count
    if missing > 0, let remote = promisors.first {
      summary.incomplete.append(
        "partial clone: \(missing) object(s) the refs reach are not in this clone (promisor remote \(remote)) and were not scanned; fairscan never fetches. To scan them, fetch them: git config --unset remote.\(remote).partialclonefilter && git fetch --refetch \(remote) (or clone without --filter)"
      )
    } else if missing > 0 {
      summary.incomplete.append(
        "damaged repository: \(missing) object(s) the refs reach are missing from the object database")
    }
    if let first = index.missingCommits.min() {
      summary.incomplete.append(
        "damaged repository: \(index.missingCommits.count) commit(s) are missing (first \(first.hex.prefix(12))): the history behind them was not scanned"
      )
    }
  }

  /// `boundaries`: the shallow clone's (`Repository.shallowBoundariesWhenShallow`); nil: not shallow.
  func noteShallow(_ boundaries: [ObjectID]?, summary: inout ScanSummary) {
    guard let boundaries = boundaries?.map(\.hex) else { return }
    summary.shallowBoundaries = boundaries
    summary.incomplete.append(
      "shallow clone: history is truncated at \(boundaries.map { String($0.prefix(12)) }.joined(separator: ", ")); fetch it all (git fetch --unshallow, or fetch-depth: 0 in CI)"
    )
  }
}
