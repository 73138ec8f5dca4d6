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
    Trace.phase("libgit2 set-up") { LibGit2.initialize() }
    let repo: Repository
    do { repo = try Repository(path: path) } catch { throw ScanError.cannotOpen(path, error) }
    var summary = ScanSummary()
    // Damaged refs hide nothing else: what is intact is scanned, and the damage named.
    summary.incomplete += repo.referenceDamage().map { "damaged repository: \($0)" }
    var collector = FindingCollector(ruleSet: ruleSet, excludePaths: options.excludePaths)
    var scanned = ObjectScanResult()
    let worktreeWanted =
      options.history != .historyOnly && options.range == nil && options.commits == nil
      && repo.workingDirectory != nil

    // The cache opens first: when the work tree's status was begun as the process started
    // (`WorktreeStatusPrefetch`), the opening overlaps the status's end. The status comes before
    // the history: a replayed history looks up only its blobs.
    let cache = options.history != .worktreeOnly ? openCache(repo, summary: &summary) : nil
    let status = worktreeWanted ? Trace.phase("working tree status") { worktreeStatus(repo, collector) } : nil
    let recording = StatusRecording(status)
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
    var headBlobs: [String: String] = [:]
    Trace.phase("blobs at HEAD") {
      let paths = collector.containerPaths
      if !paths.isEmpty, let head = repo.headCommit(), let blobs = try? repo.blobs(atCommit: head, paths: paths) {
        headBlobs = blobs.mapValues(\.hex)
      }
    }
    return Trace.phase("report") {
      collector.report(
        target: path, summary: summary, started: started, options: options, headBlobs: headBlobs,
        worktreeScanned: worktreeWanted)
    }
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
    var status: WorktreeStatus
    if let early = WorktreeStatusPrefetch.take(for: repo, recordAt: record) {
      Trace.note("working tree status: begun as the process started")
      status = early
    } else {
      status = WorktreeSnapshot.status(of: repo, recordAt: record)
    }
    if status.fromRecord { Trace.note("working tree status: the last scan's record holds") }
    status.entries = status.entries.map { $0.filter { !collector.isExcluded($0.path) } }
    return status
  }

  /// Writes the record of git's status for the next scan, on a thread of its own; `finish`
  /// waits for it.
  struct StatusRecording {
    private let task: BackgroundTask<WorktreeSnapshot.Outcome>?

    init(_ status: WorktreeStatus?) {
      task = status?.pending.map { pending in BackgroundTask { pending.write() } }
    }

    func finish() {
      guard let outcome = task?.result() else { return }
      switch outcome {
      case .written: Trace.note("working tree status: recorded for the next scan")
      case .notWritten(let why): Trace.note("working tree status: not recorded (\(why))")
      }
    }
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
