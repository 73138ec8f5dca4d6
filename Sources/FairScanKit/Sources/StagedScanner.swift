import FairScanGit

/// `fairscan staged`: what the next commit would record, read from the index and the
/// object database only.
///
/// The blobs of added and modified index entries (compared with HEAD; an unborn HEAD is the
/// empty tree) are read from the object database and scanned whole, so findings carry the
/// staged content's line numbers. The work tree is never read: a secret only in an unstaged
/// edit is not the commit's. Nothing is written anywhere: the index file is opened
/// read-only, so an interrupted scan leaves the repository as it was.
public struct StagedScanner {
  public let ruleSet: RuleSet
  public let options: ScanOptions

  public init(ruleSet: RuleSet, options: ScanOptions) {
    self.ruleSet = ruleSet
    self.options = options
  }

  /// The report and what the caller should tell the user beside it.
  public struct Result: Sendable {
    public var report: ScanReport
    /// Paths with an unresolved conflict: their "ours" and "theirs" stages were scanned
    /// (where they differ from HEAD); git commits nothing until they are resolved.
    public var conflicted: [String]
    /// Paths staged for deletion (nothing to scan).
    public var deleted: Int
    /// False before the first commit.
    public var hasHead: Bool
  }

  /// Scans what is staged in the repository at `path`. `indexFile` is the index git
  /// would commit (`GIT_INDEX_FILE`, as `git commit -a` and `git commit PATHS` set it for
  /// hooks); nil means the repository's own index. With `gitEnvironment`, the repository
  /// is the one `GIT_DIR` names (as git sets it for hooks in linked work trees or with
  /// `--git-dir`), and `path` only names the report's target.
  public func scan(path: String, indexFile: String?, gitEnvironment: Bool = false) throws -> Result {
    let started = Clock.seconds()
    LibGit2.initialize()
    let repo: Repository
    do { repo = gitEnvironment ? try Repository(fromEnvironment: ()) : try Repository(path: path) } catch {
      throw ScanError.cannotOpen(path, error)
    }
    let staged: StagedChanges
    let read = Trace.phase("read the index") { () -> Swift.Result<StagedChanges, GitError> in
      do throws(GitError) { return .success(try repo.stagedChanges(indexFile: indexFile)) } catch { return .failure(error) }
    }
    switch read {
    case .success(let changes): staged = changes
    case .failure(let error):
      if repo.isBare && indexFile == nil { throw ScanError.repository(error.message) }
      if error.isNotFound, let indexFile { throw ScanError.path("GIT_INDEX_FILE: no index file at '\(indexFile)'") }
      throw ScanError.failed("cannot read the staged changes: \(error.message)")
    }

    var collector = FindingCollector(ruleSet: ruleSet, excludePaths: options.excludePaths)
    var summary = ScanSummary()
    let wanted = staged.blobs.filter { !collector.isExcluded($0.path) }
    var seen = Set<ObjectID>()
    let ids = wanted.map(\.blob).filter { seen.insert($0).inserted }
    var scanOptions = options
    scanOptions.progress = nil
    let result = try Trace.phase("read and scan staged blobs") {
      try ObjectScan.run(gitDirectory: repo.gitDirectory, ids: ids, ruleSet: ruleSet, options: scanOptions, scanTags: false)
    }
    summary.blobsScanned = result.blobs
    summary.bytesScanned = result.bytes

    let tooLarge = Dictionary(result.tooLarge, uniquingKeysWith: { a, _ in a })
    let unreadable = Dictionary(result.unreadable, uniquingKeysWith: { a, _ in a })
    var ruleErrors: [ObjectID: [(String, String)]] = [:]
    for (blob, rule, message) in result.ruleErrors { ruleErrors[blob, default: []].append((rule, message)) }
    for entry in wanted {
      let hex = entry.blob.hex
      let path = TerminalSafe.string(entry.path)
      collector.add(result.blobHits[entry.blob] ?? [], at: entry.path) {
        FindingCollector.location($0, source: .index, path: entry.path, blob: hex)
      }
      if let size = tooLarge[entry.blob] {
        summary.skipped.append(SkippedItem(path: path, blob: hex, reason: .tooLarge, size: size))
      }
      if let message = unreadable[entry.blob] {
        summary.skipped.append(SkippedItem(path: path, blob: hex, reason: .unreadable, detail: message))
      }
      for (rule, message) in ruleErrors[entry.blob] ?? [] where collector.applies(rule, at: entry.path) {
        summary.ruleErrors.append(RuleErrorRecord(ruleID: rule, path: path, blob: hex, message: message))
      }
    }
    let unreadableCount = summary.skipped.filter { $0.reason == .unreadable }.count
    if unreadableCount > 0 { summary.incomplete.append("\(unreadableCount) staged blob(s) could not be read") }
    if !summary.ruleErrors.isEmpty {
      summary.incomplete.append("\(summary.ruleErrors.count) rule error(s): a PCRE2 limit was hit")
    }
    // Inside archives: members not read whole (ScanWorker+Archives.swift).
    let archiveSkipped = Dictionary(result.archiveSkipped, uniquingKeysWith: { a, _ in a })
    let placed = wanted.flatMap { entry in (archiveSkipped[entry.blob] ?? []).map { $0.placed(in: entry.path, blob: entry.blob.hex) } }
    summary.skipped += placed
    if let reason = ArchiveSkips.incompleteReason(placed) { summary.incomplete.append(reason) }
    let report = collector.report(target: path, summary: summary, started: started, options: options)
    return Result(report: report, conflicted: staged.conflicted, deleted: staged.deleted.count, hasHead: staged.head != nil)
  }
}

/// What a remote is already known to have: the targets of its remote-tracking refs.
public enum RemoteTracking {
  /// Hex ids of `refs/remotes/REMOTE/*` in the repository at `repository`.
  public static func refs(repository: String, remote: String) throws -> [String] {
    LibGit2.initialize()
    let repo: Repository
    do { repo = try Repository(path: repository) } catch {
      throw ScanError.cannotOpen(repository, error)
    }
    do {
      return try repo.references(matching: "refs/remotes/\(remote)/*").values.map(\.hex).sorted()
    } catch {
      throw ScanError.failed("cannot list the refs of remote '\(remote)': \(error.message)")
    }
  }
}
