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
    let opened: OpenedCache?
    switch try scanUnchangedRepository(path: path, started: started) {
    case .scanned(let report): return report
    case .usual(let cache): opened = cache
    }
    Trace.phase("libgit2 set-up") { LibGit2.initialize() }
    let repo: Repository
    do { repo = try Repository(path: path) } catch { throw ScanError.cannotOpen(path, error) }
    // Stamped before the refs are read: what the scan learns through libgit2 is kept for the next
    // scan (`RepositoryMemo`) only if nothing it depends on moved meanwhile.
    let memo = keepsMemo ? RepositoryMemo.begin(repo) : nil
    var summary = ScanSummary()
    // Damaged refs hide nothing else: what is intact is scanned, and the damage named.
    let damage = repo.referenceDamage()
    Self.noteDamage(damage, summary: &summary)
    var collector = FindingCollector(ruleSet: ruleSet, excludePaths: options.excludePaths)
    var scanned = ObjectScanResult()
    let worktreeWanted =
      options.history != .historyOnly && options.range == nil && options.commits == nil
      && repo.workingDirectory != nil

    // The cache opens first: when the work tree's status was begun as the process started
    // (`WorktreeStatusPrefetch`), the opening overlaps the status's end. The status comes before
    // the history: a replayed history looks up only its blobs.
    let cache = options.history != .worktreeOnly ? openCache(repo, opened: opened, summary: &summary) : nil
    let status = worktreeWanted ? Trace.phase("working tree status") { worktreeStatus(repo, collector) } : nil
    let recording = Recording("working tree status", "recorded", status?.pending.map { pending in { pending.write() } })
    defer { recording.finish() }
    if options.history != .worktreeOnly {
      scanned = try scanHistory(
        repo, cache: cache, worktreeBlobs: status?.unmodifiedBlobs ?? [], collector: &collector, summary: &summary)
    }
    if let status, let workdir = repo.workingDirectory {
      try Trace.phase("working tree") {
        try scanWorktree(status, workdir: workdir, history: scanned, collector: &collector, summary: &summary)
      }
    }

    // An unborn HEAD (no commit yet) holds nothing: every finding is "not at HEAD". Only the
    // paths of findings are looked up at HEAD (none, when nothing was found).
    let atHead = Trace.phase("blobs at HEAD") { Self.blobsAtHead(of: collector.containerPaths, in: repo) }
    // The memo is kept when the cache holds the history record of the state it names.
    var memoWrite: (() -> WorktreeSnapshot.Outcome)? = nil
    if let memo, let cache, let state = cache.state, let atHead, cache.store.hasHistory(state: state) {
      let facts = RepositoryMemo.Facts(
        cacheKey: cache.key, state: state, damage: damage, shallowBoundaries: repo.shallowBoundariesWhenShallow,
        headBlobs: atHead)
      memoWrite = { memo.write(facts) }
    }
    let memoRecording = Recording("repository memo", "written", memoWrite)
    defer { memoRecording.finish() }
    return report(
      path: path, collector: collector, summary: summary, started: started, atHead: atHead ?? [:],
      worktreeScanned: worktreeWanted)
  }

  /// Each of `paths` with its blob at `HEAD` (nil: not there, or `HEAD` is unborn); nil when
  /// they cannot be read.
  private static func blobsAtHead(of paths: Set<String>, in repo: Repository) -> [String: ObjectID?]? {
    guard !paths.isEmpty else { return [:] }
    guard let head = repo.headCommit() else { return Dictionary(uniqueKeysWithValues: paths.map { ($0, nil) }) }
    guard let blobs = try? repo.blobs(atCommit: head, paths: paths) else { return nil }
    return Dictionary(uniqueKeysWithValues: paths.map { ($0, blobs[$0]) })
  }

  /// The report of a scan: its findings (`atHead`: the blobs at `HEAD` of their paths) and summary.
  private func report(
    path: String, collector: FindingCollector, summary: ScanSummary, started: Double, atHead: [String: ObjectID?],
    worktreeScanned: Bool
  ) -> ScanReport {
    Trace.phase("report") {
      collector.report(
        target: path, summary: summary, started: started, options: options,
        headBlobs: atHead.compactMapValues { $0?.hex }, worktreeScanned: worktreeScanned)
    }
  }

  // MARK: An unchanged repository

  /// Whether this scan keeps and uses the repository's memo (`RepositoryMemo`): it sits beside
  /// the work tree's record, with the default cache, and holds what a history scan that reuses
  /// attributed results learns.
  private var keepsMemo: Bool {
    guard case .inGitDirectory = options.cache else { return false }
    return options.history != .worktreeOnly && reusesAttributedResults
  }

  /// The scan of a repository that has not changed since the last scan, without libgit2: the
  /// repository's memo (`RepositoryMemo`) holds, and so does the work tree's record when the
  /// work tree is scanned, and the cache holds the history record of the memo's state. Then the
  /// findings are the record's, the work tree's files looked up as the record says, and the blobs
  /// at `HEAD` the memo's (libgit2 is opened only for a finding's path the memo has none for).
  /// When any of it does not hold, the scan takes the usual way (with the cache, if it was opened).
  private func scanUnchangedRepository(path: String, started: Double) throws -> UnchangedScan {
    guard keepsMemo, let plain = RepositoryMemo.plainRepository(at: path) else { return .usual(nil) }
    let (workdir, gitDir) = (plain.workingDirectory, plain.gitDirectory)
    let worktreeWanted = options.history != .historyOnly
    let recordPath = WorktreeSnapshot.path(gitDirectory: gitDir)
    var memo: RepositoryMemo?
    var status: WorktreeStatus?
    let prefetched = WorktreeStatusPrefetch.memo(workingDirectory: workdir, gitDirectory: gitDir, recordAt: recordPath)
    if prefetched.looked {
      (memo, status) = (prefetched.memo, prefetched.recorded)
    } else {
      memo = RepositoryMemo.holding(plain)
      if memo != nil, worktreeWanted {
        status = WorktreeSnapshot.recordedEntries(at: recordPath, gitDirectory: gitDir, workingDirectory: workdir)
          .map { WorktreeStatus(entries: .success($0), fromRecord: true) }
      }
    }
    guard let memo, !worktreeWanted || status?.fromRecord == true else { return .usual(nil) }

    var summary = ScanSummary()
    Self.noteDamage(memo.facts.damage, summary: &summary)
    var collector = FindingCollector(ruleSet: ruleSet, excludePaths: options.excludePaths)
    guard let opened = openCacheStore(gitDirectory: gitDir) else { return .usual(nil) }
    guard let store = opened.store, opened.key == memo.facts.cacheKey else { return .usual(opened) }
    summary.note(contentsOf: opened.warnings)
    let cache = HistoryCache(store: store, key: opened.key, state: memo.facts.state)
    let worktreeStatus = status.map { Self.withoutExcluded($0, collector) }
    guard
      let scanned = Trace.phase(
        "replay the history record",
        {
          replayHistory(
            cache, shallowBoundaries: memo.facts.shallowBoundaries,
            worktreeBlobs: worktreeStatus?.unmodifiedBlobs ?? [], collector: &collector, summary: &summary)
        })
    else { return .usual(opened) }
    Trace.note("repository memo: the last scan's memo holds (libgit2 not opened)")
    if worktreeWanted { Trace.note("working tree status: the last scan's record holds") }
    WorktreeStatusPrefetch.forget()
    if let worktreeStatus {
      try Trace.phase("working tree") {
        try scanWorktree(worktreeStatus, workdir: workdir, history: scanned, collector: &collector, summary: &summary)
      }
    }
    let atHead = Trace.phase("blobs at HEAD") { () -> [String: ObjectID?]? in
      let paths = collector.containerPaths
      let known = memo.facts.headBlobs
      if paths.allSatisfy({ known[$0] != nil }) { return known.filter { paths.contains($0.key) } }
      // A path the memo has no blob for: libgit2 after all.
      Trace.note("repository memo: a finding's path is not in the memo; HEAD read through libgit2")
      return (try? Repository(path: workdir)).flatMap { Self.blobsAtHead(of: paths, in: $0) }
    }
    return .scanned(
      report(
        path: path, collector: collector, summary: summary, started: started, atHead: atHead ?? [:],
        worktreeScanned: worktreeWanted))
  }

  /// What `scanUnchangedRepository` did: the scan, or nothing but perhaps open the cache.
  private enum UnchangedScan {
    case scanned(ScanReport)
    case usual(OpenedCache?)
  }

  // MARK: Working tree

  /// The work tree's status: the one begun as the process started (`WorktreeStatusPrefetch`),
  /// if it is this repository's, else taken now; from the record of the last scan when the scan
  /// cache is in the git directory and the record still holds (`WorktreeSnapshot`), else git's.
  /// Git's is then recorded for the next scan, beside this one (`recording`). Files the options
  /// exclude are left out.
  private func worktreeStatus(_ repo: Repository, _ collector: FindingCollector) -> WorktreeStatus {
    var record: String? = nil
    if case .inGitDirectory = options.cache { record = WorktreeSnapshot.path(gitDirectory: repo.gitDirectory) }
    let status: WorktreeStatus
    if let early = WorktreeStatusPrefetch.take(for: repo, recordAt: record) {
      Trace.note("working tree status: begun as the process started")
      status = early
    } else {
      status = WorktreeSnapshot.status(of: repo, recordAt: record)
    }
    if status.fromRecord { Trace.note("working tree status: the last scan's record holds") }
    return Self.withoutExcluded(status, collector)
  }

  /// `status` without the files the options exclude.
  private static func withoutExcluded(_ status: WorktreeStatus, _ collector: FindingCollector) -> WorktreeStatus {
    var status = status
    status.entries = status.entries.map { $0.filter { !collector.isExcluded($0.path) } }
    return status
  }

  /// A record for the next scan (the work tree's status, the repository's memo) written on a
  /// thread of its own; `finish` waits for it and traces what came of it ("`what`: `done` for the
  /// next scan", or "not `done`" and why).
  struct Recording {
    private let what: String
    private let done: String
    private let task: BackgroundTask<WorktreeSnapshot.Outcome>?

    /// Starts `write`, if any.
    init(_ what: String, _ done: String, _ write: (() -> WorktreeSnapshot.Outcome)?) {
      (self.what, self.done) = (what, done)
      task = write.map { write in BackgroundTask { write() } }
    }

    func finish() {
      guard let outcome = task?.result() else { return }
      switch outcome {
      case .written: Trace.note("\(what): \(done) for the next scan")
      case .notWritten(let why): Trace.note("\(what): not \(done) (\(why))")
      }
    }
  }

  /// The damaged refs a scan found, in the summary's incomplete list.
  static func noteDamage(_ damage: [String], summary: inout ScanSummary) {
    summary.incomplete += damage.map { "damaged repository: \($0)" }
  }

  private func scanWorktree(
    _ status: WorktreeStatus, workdir: String, history: ObjectScanResult, collector: inout FindingCollector,
    summary: inout ScanSummary
  ) throws {
    let base = workdir.hasSuffix("/") ? workdir : workdir + "/"
    let entries: [WorktreeEntry]
    switch status.entries {
    case .success(let listed): entries = listed
    case .failure(let error):
      // A corrupt index or HEAD: git cannot say what is tracked, so every file is read.
      summary.incomplete.append(
        "damaged repository: cannot compare the work tree with the index and HEAD (\(error.message)): every file of the work tree was scanned, ignored ones too"
      )
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

extension WorktreeStatus {
  /// The blobs of the files that equal their index entry.
  var unmodifiedBlobs: Set<ObjectID> {
    guard case .success(let entries) = entries else { return [] }
    var blobs = Set<ObjectID>(minimumCapacity: entries.count)
    for entry in entries { if case .unmodified(let blob) = entry.state { blobs.insert(blob) } }
    return blobs
  }
}

extension Array {
  func ifEmpty(_ fallback: Element) -> [Element] { isEmpty ? [fallback] : self }
}
