import FairScanDigest
import FairScanGit

/// `fairscan repo`: the working tree and the whole history of a repository.
public struct RepositoryScanner {
  public let ruleSet: RuleSet
  public let options: ScanOptions

  public init(ruleSet: RuleSet, options: ScanOptions) {
    self.ruleSet = ruleSet
    self.options = options
  }

  public func scan(path: String) throws -> ScanReport {
    let started = Clock.seconds()
    LibGit2.initialize()
    let repo: Repository
    do { repo = try Repository(path: path) } catch { throw ScanError.cannotOpen(path, error) }
    var summary = ScanSummary()
    // Damaged refs hide nothing else: what is intact is scanned, and the damage named.
    summary.incomplete += repo.referenceDamage().map { "damaged repository: \($0)" }
    var collector = FindingCollector(ruleSet: ruleSet, excludePaths: options.excludePaths)
    var scanned = ObjectScanResult()
    let worktreeWanted = options.history != .historyOnly && options.range == nil && options.commits == nil
      && repo.workingDirectory != nil

    if options.history != .worktreeOnly {
      scanned = try scanHistory(repo, collector: &collector, summary: &summary)
    }
    if worktreeWanted, let workdir = repo.workingDirectory {
      try Trace.phase("working tree") {
        try scanWorktree(repo, workdir: workdir, history: scanned, collector: &collector, summary: &summary)
      }
    }

    // An unborn HEAD (no commit yet) holds nothing: every finding is "not at HEAD".
    var headBlobs: [String: String] = [:]
    Trace.phase("blobs at HEAD") {
      if let head = repo.headCommit(), let blobs = try? repo.blobs(atCommit: head) {
        headBlobs = blobs.mapValues(\.hex)
      }
    }
    return Trace.phase("report") { collector.report(
      target: path, summary: summary, started: started, options: options, headBlobs: headBlobs,
      worktreeScanned: worktreeWanted) }
  }

  // MARK: History

  private func scanHistory(_ repo: Repository, collector: inout FindingCollector, summary: inout ScanSummary) throws
    -> ObjectScanResult
  {
    let gitDir = repo.gitDirectory
    var index: HistoryIndex? = nil
    var ids: [ObjectID]
    let selective = options.range != nil || options.since != nil || options.commits != nil

    // The scan cache: objects scanned before under the same rules and settings are not read
    // again; an unchanged repository reuses its attributed results, and lists and walks nothing.
    let useCachedHits = !options.showSecrets && !options.keepsSecrets
    var cache: ScanCache? = nil
    var cacheState: String? = nil
    let cachePath: String? =
      switch options.cache {
      case .none: nil
      case .inGitDirectory: (gitDir.hasSuffix("/") ? gitDir : gitDir + "/") + "fairscan/cache.sqlite"
      case .file(let path): path
      }
    let cacheKey = cachePath == nil ? "" : self.cacheKey()
    if let cachePath {
      let (opened, warnings) = Trace.phase("open scan cache") { ScanCache.open(path: cachePath, key: cacheKey, ruleSet: ruleSet) }
      cache = opened
      if !warnings.isEmpty { summary.notes = (summary.notes ?? []) + warnings }
    }
    if let cache, !selective, useCachedHits {
      cacheState = historyState(repo, cacheKey: cacheKey)
      if let state = cacheState, let record = cache.history(state: state) {
        for placed in record.hits { collector.addResolved(placed.hit, placed.location, pathIsReal: placed.pathIsReal) }
        summary.skipped += record.skipped
        summary.cachedObjects = cache.count
        var known = ObjectScanResult()
        cache.absorbAll(into: &known)
        noteShallow(repo, summary: &summary)
        return known
      }
    }

    let listing = try Trace.phase("list objects") { try repo.listAllObjects() }
    if selective {
      // Only what the selected commits introduced: walk first, then read those objects in pack order.
      var walk = HistoryWalkOptions()
      if let range = options.range {
        guard range.contains("..") else { throw ScanError.badRange("expected A..B, got '\(range)'") }
        let resolved = try RangeSelection.resolve(range, in: repo)
        walk.selection = resolved.selection
        walk.includeUnreachable = false
        summary.incomplete += resolved.incomplete
        if !resolved.notes.isEmpty { summary.notes = (summary.notes ?? []) + resolved.notes }
      }
      if let commits = options.commits {
        walk.selection = .commits(show: commits.show, hide: commits.hide)
        walk.includeUnreachable = false
      }
      walk.since = options.since
      do { index = try repo.walkHistory(walk) } catch {
        if let range = options.range { throw ScanError.badRange("'\(range)': \(error.message)") }
        if options.commits != nil { throw ScanError.path("cannot resolve the commits to scan: \(error.message)") }
        throw ScanError.walkFailed(error)
      }
      var position: [ObjectID: Int] = [:]
      position.reserveCapacity(listing.ids.count)
      for (i, id) in listing.ids.enumerated() { position[id] = i }
      let wanted = index!.introducedBlobs + index!.commits.ids
      ids = wanted.sorted { (position[$0] ?? Int.max) < (position[$1] ?? Int.max) }
    } else {
      ids = listing.ids
    }

    var known = ObjectScanResult()
    if let cache {
      var toScan: [ObjectID] = []
      toScan.reserveCapacity(cache.isEmpty ? ids.count : 1024)
      var cachedCount = 0
      for id in ids {
        guard let object = cache.object(id) else { toScan.append(id); continue }
        if case .hits = object, !useCachedHits { toScan.append(id); continue }
        known.absorb(id, object)
        cachedCount += 1
      }
      ids = toScan
      summary.cachedObjects = cachedCount
    }
    // The last history record and what its walk covered: new commits may be attributed alone
    // (`RepositoryScanner+NewCommits.swift`).
    let previous = cacheState == nil ? nil : cache?.latestHistory()
    // Attribution starts beside the scan at its first hit, except on huge histories where
    // recording every blob's introductions would cost too much memory, and when only new commits
    // may need walking: those walk afterwards, for the hits only.
    let concurrentWalk = !selective && previous == nil && listing.ids.count <= options.concurrentWalkLimit
      ? BackgroundWalk(gitDirectory: gitDir, objectIDs: listing.ids) : nil
    var startWalk: (@Sendable () -> Void)? = nil
    if let concurrentWalk { startWalk = { concurrentWalk.start() } }
    if known.needsAttribution { startWalk?() }
    var result = try Trace.phase("read and scan objects") { try ObjectScan.run(
      gitDirectory: gitDir, ids: ids, ruleSet: ruleSet, options: options, scanTags: !selective,
      packs: repo.packIndexPaths(), onAttributionNeeded: startWalk) }
    // The cache learns on a thread of its own while the findings are attributed; it is
    // waited for before the history record is stored (one SQLite connection, one user at a time).
    var cacheWrite: BackgroundTask<String?>? = nil
    let fresh = result
    if let cache {
      let learnt = result.learnt(from: ids)
      cacheWrite = BackgroundTask { cache.record(learnt) }
      result.merge(known)  // cached objects add no counts: they were not read
    }
    func cacheWritten() {
      if let warning = cacheWrite?.result() ?? nil { summary.notes = (summary.notes ?? []) + [warning] }
      cacheWrite = nil
    }
    defer { cacheWritten() }
    let skippedBefore = summary.skipped.count
    var placed: [ScanCache.PlacedHit] = []
    func add(_ hits: [ContentHit], at path: String?, location: (ContentHit) -> Location) {
      let added = collector.add(hits, at: path, location: location)
      if cacheState != nil {
        placed += added.map { ScanCache.PlacedHit(hit: $0.0, location: $0.1, pathIsReal: path != nil) }
      }
    }

    summary.blobsScanned += result.blobs
    summary.commitsScanned += result.commits
    summary.bytesScanned += result.bytes

    let needsAttribution = result.needsAttribution
    // A partial clone lacks objects by design: walk to count those the refs reach (never fetch them).
    let promisors = repo.promisorRemotes()
    let incompleteBeforeWalk = summary.incomplete.count
    if let previous, promisors.isEmpty, needsAttribution,
      let attributed = attributeNewCommits(repo, previous: previous, fresh: fresh, result: result, collector: &collector)
    {
      summary.skipped += previous.record.skipped
      cacheWritten()
      if let cache, let state = cacheState {
        let record = ScanCache.HistoryRecord(hits: attributed.placed, skipped: previous.record.skipped)
        if let warning = cache.storeHistory(state: state, record, walk: attributed.walk) {
          summary.notes = (summary.notes ?? []) + [warning]
        }
      }
      noteShallow(repo, summary: &summary)
      return result
    }
    var walkFailed = false
    if let concurrentWalk {
      if needsAttribution || !promisors.isEmpty {
        do { index = try concurrentWalk.result() } catch {
          walkFailed = true
          summary.incomplete.append(ScanError.walkFailed(error).description)
        }
      } else {
        concurrentWalk.cancel()
      }
    }
    if index == nil && (needsAttribution || !promisors.isEmpty) && !walkFailed {
      var wanted = Set(result.blobHits.keys)
      for (id, _) in result.tooLarge { wanted.insert(id) }
      for (id, _, _) in result.ruleErrors { wanted.insert(id) }
      for (id, _) in result.unreadable { wanted.insert(id) }
      var walk = HistoryWalkOptions()
      walk.wantedBlobs = wanted
      walk.objectIDs = listing.ids
      do { index = try Trace.phase("attribute (history walk)") { try repo.walkHistory(walk) } } catch {
        // The findings stand without their commits; the report says why.
        summary.incomplete.append(ScanError.walkFailed(error).description)
      }
    }
    if let index { Trace.phase("check the reached objects exist") { noteMissingObjects(repo, index: index, promisors: promisors, summary: &summary) } }
    // Which commits a selective scan walked (a full one needs no such table).
    let walkedCommits: Set<ObjectID> = selective ? Set(index?.commits.ids ?? []) : []

    func paths(of blob: ObjectID) -> [(path: String, commits: [CommitRef], unreachable: Bool)] {
      guard let index else { return [] }
      var byPath: [String: [Introduction]] = [:]
      var order: [String] = []
      for intro in index.introductions(of: blob) {
        if byPath[intro.path] == nil { order.append(intro.path) }
        byPath[intro.path, default: []].append(intro)
      }
      return order.map { path in
        let intros = byPath[path]!
        return (path, intros.map { Self.commitRef(index.commits[$0.commit], unreachable: $0.unreachable, atOrBefore: $0.atOrBefore) },
                intros.allSatisfy(\.unreachable))
      }
    }
    let unattributed = Self.unattributed

    // Blobs no commit holds may be staged: the index names their paths.
    let staged = result.blobHits.keys.contains(where: { paths(of: $0).isEmpty }) ? Self.stagedPaths(repo) : [:]
    // Each place a blob is seen at resolves its hits for that path, as a file scan of the path would.
    for (blob, hits) in result.blobHits {
      let places = paths(of: blob)
      if places.isEmpty { Self.placeUncommitted(blob, hits, stagedAt: staged[blob], add: add) }
      for place in places {
        add(hits, at: place.path) {
          FindingCollector.location(
            $0, source: .blob, path: place.path, blob: blob.hex, commits: place.commits, unreachable: place.unreachable)
        }
      }
    }
    for (commit, hits) in result.commitHits {
      let reachable = index?.reachableCommits.contains(commit.info.id) ?? true
      if let since = options.since, commit.info.committer.time < since { continue }
      if selective, !walkedCommits.contains(commit.info.id) { continue }
      Self.placeCommitMessage(commit, hits, reachable: reachable, add: add)
    }
    for (tag, hits) in result.tagHits { Self.placeTagMessage(tag, hits, add: add) }
    for (blob, size) in result.tooLarge {
      for place in paths(of: blob).map(\.path).ifEmpty(unattributed) where !collector.isExcluded(place) {
        summary.skipped.append(SkippedItem(path: TerminalSafe.string(place), blob: blob.hex, reason: .tooLarge, size: size))
      }
    }
    for (blob, message) in result.unreadable {
      summary.skipped.append(SkippedItem(
        path: TerminalSafe.string(paths(of: blob).first?.path ?? unattributed), blob: blob.hex, reason: .unreadable,
        detail: message))
    }
    // Inside archives: members not read whole, at the blob's first path (ScanWorker+Archives.swift).
    var archiveSkipped: [SkippedItem] = []
    for (blob, items) in result.archiveSkipped {
      let place = paths(of: blob).first?.path ?? unattributed
      if !collector.isExcluded(place) { archiveSkipped += items.map { $0.placed(in: place, blob: blob.hex) } }
    }
    summary.skipped += archiveSkipped.sorted { $0.path < $1.path }
    if let reason = ArchiveSkips.incompleteReason(archiveSkipped) { summary.incomplete.append(reason) }
    var ruleErrors = 0
    for (blob, ruleID, message) in result.ruleErrors {
      let places = paths(of: blob).map(\.path)
      // A blob only at paths the configuration leaves out, or where the rule does not apply,
      // cannot make the scan incomplete.
      if !places.isEmpty && places.allSatisfy({ !collector.applies(ruleID, at: $0) }) { continue }
      ruleErrors += 1
      summary.ruleErrors.append(RuleErrorRecord(
        ruleID: ruleID, path: TerminalSafe.string(places.first ?? "(commit or tag message)"), blob: blob.hex,
        message: message))
    }
    if !result.unreadable.isEmpty { summary.incomplete.append("\(result.unreadable.count) object(s) could not be read") }
    if ruleErrors > 0 { summary.incomplete.append("\(ruleErrors) rule error(s): a PCRE2 limit was hit") }
    cacheWritten()
    if let cache, let state = cacheState, result.unreadable.isEmpty, result.ruleErrors.isEmpty, result.archiveSkipped.isEmpty,
      summary.incomplete.count == incompleteBeforeWalk
    {
      let record = ScanCache.HistoryRecord(
        hits: placed, skipped: Array(summary.skipped[skippedBefore...]))
      // What the walk covered, when it walked every ref: the next scan may walk new commits only.
      let walk = index.map {
        ScanCache.WalkRecord(tips: $0.tipCommits, reachable: $0.reachableCommits, unreachable: $0.unreachableCommits)
      }
      if let warning = cache.storeHistory(state: state, record, walk: walk) { summary.notes = (summary.notes ?? []) + [warning] }
    }
    noteShallow(repo, summary: &summary)
    return result
  }

  /// A commit as findings name it.
  static func commitRef(_ info: CommitInfo, unreachable: Bool, atOrBefore: Bool = false) -> CommitRef {
    CommitRef(
      id: info.id.hex, author: TerminalSafe.string(info.author.name), email: TerminalSafe.string(info.author.email),
      date: ISODate.utc(info.author.time), summary: TerminalSafe.string(info.summary), unreachable: unreachable,
      introducedAtOrBefore: atOrBefore ? true : nil)
  }

  /// A tag as findings name it (its message's hits).
  static func tagRef(_ tag: RawTag) -> CommitRef {
    CommitRef(
      id: tag.id.hex, author: TerminalSafe.string(tag.tagger?.name ?? ""), email: TerminalSafe.string(tag.tagger?.email ?? ""),
      date: tag.tagger.map { ISODate.utc($0.time) } ?? "", summary: "tag " + TerminalSafe.string(tag.name))
  }

  /// The path of a blob no commit holds and the index does not name.
  static let unattributed = "(unreachable blob)"

  /// How a history scan places hits: `add(hits, path, location)` resolves them at `path`.
  typealias Place = (_ hits: [ContentHit], _ path: String?, _ location: (ContentHit) -> Location) -> Void

  /// The index's paths of each staged blob.
  static func stagedPaths(_ repo: Repository) -> [ObjectID: [String]] {
    var staged: [ObjectID: [String]] = [:]
    for entry in (try? repo.indexEntries()) ?? [] { staged[entry.blob, default: []].append(entry.path) }
    return staged
  }

  /// Places the hits of a blob no walked commit holds: at the index paths it is staged at or,
  /// staged nowhere, as an unreachable blob.
  static func placeUncommitted(_ blob: ObjectID, _ hits: [ContentHit], stagedAt paths: [String]?, add: Place) {
    guard let paths else {
      add(hits, nil) { FindingCollector.location($0, source: .blob, path: unattributed, blob: blob.hex, unreachable: true) }
      return
    }
    for path in paths {
      add(hits, path) { FindingCollector.location($0, source: .index, path: path, blob: blob.hex) }
    }
  }

  static func placeCommitMessage(_ commit: RawCommit, _ hits: [ContentHit], reachable: Bool, add: Place) {
    let ref = commitRef(commit.info, unreachable: !reachable)
    add(hits, nil) {
      FindingCollector.location($0, source: .commitMessage, path: "(commit message)", commits: [ref], unreachable: !reachable)
    }
  }

  static func placeTagMessage(_ tag: RawTag, _ hits: [ContentHit], add: Place) {
    let ref = tagRef(tag)
    add(hits, nil) { FindingCollector.location($0, source: .tagMessage, path: "(tag message)", commits: [ref]) }
  }

  /// Objects the walk was led to that the object database lacks: left out of a partial clone on
  /// purpose (with the fetch that brings them), or lost (a damaged repository).
  private func noteMissingObjects(_ repo: Repository, index: HistoryIndex, promisors: [String], summary: inout ScanSummary) {
    let missing = index.reachableObjects.filter { !repo.contains($0) }.count
    if missing > 0, let remote = promisors.first {
      summary.incomplete.append(
        "partial clone: \(missing) object(s) the refs reach are not in this clone (promisor remote \(remote)) and were not scanned; fairscan never fetches. To scan them, fetch them: git config --unset remote.\(remote).partialclonefilter && git fetch --refetch \(remote) (or clone without --filter)")
    } else if missing > 0 {
      summary.incomplete.append("damaged repository: \(missing) object(s) the refs reach are missing from the object database")
    }
    if let first = index.missingCommits.min() {
      summary.incomplete.append(
        "damaged repository: \(index.missingCommits.count) commit(s) are missing (first \(first.hex.prefix(12))): the history behind them was not scanned")
    }
  }

  private func noteShallow(_ repo: Repository, summary: inout ScanSummary) {
    guard repo.isShallow else { return }
    let boundaries = repo.shallowBoundaries().map(\.hex)
    summary.shallowBoundaries = boundaries
    summary.incomplete.append(
      "shallow clone: history is truncated at \(boundaries.map { String($0.prefix(12)) }.joined(separator: ", ")); fetch it all (git fetch --unshallow, or fetch-depth: 0 in CI)")
  }

  /// What must match for cached results to apply: rules, settings and fairscan's version
  /// (hashes every rule: computed once a scan).
  private func cacheKey() -> String {
    let settings = "\(FairScanVersion.current)|\(ruleSet.digest)|\(options.maxFileSize)|\(options.limits)|\(ruleSet.database != nil)"
      + "|archives \(options.archiveLimits)"
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
    var index = stat()
    if stat(repo.gitDirectory + "/index", &index) == 0 {
      hasher.update(Array("index \(index.st_size) \(index.st_mtim.tv_sec).\(index.st_mtim.tv_nsec)\n".utf8))
    }
    hasher.update(objects)
    return Hex.encode(hasher.finalize())
  }

  // MARK: Working tree

  private func scanWorktree(
    _ repo: Repository, workdir: String, history: ObjectScanResult, collector: inout FindingCollector,
    summary: inout ScanSummary
  ) throws {
    let base = workdir.hasSuffix("/") ? workdir : workdir + "/"
    let entries: [WorktreeEntry]
    do { entries = try repo.worktreeEntries().filter { !collector.isExcluded($0.path) } } catch {
      // A corrupt index or HEAD: git cannot say what is tracked, so every file is read.
      summary.incomplete.append(
        "damaged repository: cannot compare the work tree with the index and HEAD (\(error.message)): every file of the work tree was scanned, ignored ones too")
      var files: [String] = []
      DirectoryScanner.walk(root: base, relative: "", into: &files, excluded: collector.isExcluded)
      FileScan.run(root: base, relativePaths: files, ruleSet: ruleSet, options: options, source: .worktree)
        .apply(to: &collector, summary: &summary)
      return
    }
    let tooLarge = Set(history.tooLarge.map(\.0))
    var toRead: [String] = []
    for entry in entries {
      if case .unmodified(let blob) = entry.state, history.scannedBlobs.contains(blob) {
        // Same bytes as a blob already scanned: reuse its hits, read nothing again.
        collector.add(history.blobHits[blob] ?? [], at: entry.path) {
          FindingCollector.location($0, source: .worktree, path: entry.path, blob: blob.hex)
        }
        summary.filesScanned += 1
        continue
      }
      if case .unmodified(let blob) = entry.state, tooLarge.contains(blob) { continue }  // listed with the history
      toRead.append(entry.path)
    }
    let files = FileScan.run(
      root: base, relativePaths: toRead, ruleSet: ruleSet, options: options, source: .worktree)
    files.apply(to: &collector, summary: &summary)
  }
}

extension Array {
  func ifEmpty(_ fallback: Element) -> [Element] { isEmpty ? [fallback] : self }
}

#if canImport(Glibc)
import Glibc
#endif
