import FairScanArchive
import FairScanGit

/// `fairscan staged`: what the next commit would record, read from the index and the
/// object database only.
///
/// The blobs of added and modified index entries (compared with HEAD; an unborn HEAD is the
/// empty tree) are read from the object database and scanned whole, so findings carry the
/// staged content's line numbers. The work tree is never read: a secret only in an unstaged
/// edit is not the commit's. Nothing is written anywhere: the index file is opened
/// read-only, so an interrupted scan leaves the repository as it was.
///
/// A commit blocks only on what it adds. A finding whose secret HEAD already holds, found by
/// the same rule at least as severe, at the same path (a mode change, an edit elsewhere in the
/// file), at a path the commit deletes (a move: `git mv`, with or without edits) or in the same
/// blob at another path (a copy), is a known secret: it leaves the findings and is listed in
/// `Result.known`. A secret that becomes more severe where it now is (moved out of a test
/// folder, into front-end code) stays a finding.
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
    /// Findings whose secret HEAD already holds (see the type's comment): not in the report's findings.
    public var known: [KnownSecret] = []
  }

  /// A staged finding whose secret is already committed in HEAD.
  public struct KnownSecret: Sendable, Equatable {
    public enum Change: String, Sendable, Equatable {
      /// At the same path in HEAD (a mode change, an edit elsewhere in the file).
      case unchanged
      /// In HEAD at a path this commit deletes.
      case moved
      /// In HEAD at another path that stays.
      case copied
    }
    /// The finding where the commit puts the secret.
    public var finding: Finding
    /// Where HEAD has the secret (same rule, as severe or more).
    public var headPaths: [String]
    public var change: Change
  }

  /// The staged changes of a repository, read on a thread of their own (`read`) while the
  /// caller loads and compiles the rules: libgit2's set-up, opening the repository and comparing
  /// the index with HEAD take about as long, and a pre-commit hook's time is mostly start-up.
  public final class PendingRead: Sendable {
    fileprivate let task: BackgroundTask<Swift.Result<Opened, any Error>>
    fileprivate init(_ task: BackgroundTask<Swift.Result<Opened, any Error>>) { self.task = task }
  }

  /// The repository and what is staged in it.
  fileprivate struct Opened {
    var repo: Repository
    var staged: StagedChanges
    var started: Double
  }

  /// Starts reading what is staged (the arguments are those of `scan(path:indexFile:gitEnvironment:)`)
  /// and returns at once; `scan(path:read:)` takes the result, and throws its error if it failed.
  public static func read(path: String, indexFile: String?, gitEnvironment: Bool = false) -> PendingRead {
    let started = Clock.seconds()
    return PendingRead(
      BackgroundTask {
        Swift.Result { try open(path: path, indexFile: indexFile, gitEnvironment: gitEnvironment, started: started) }
      })
  }

  /// Scans what is staged in the repository at `path`. `indexFile` is the index git
  /// would commit (`GIT_INDEX_FILE`, as `git commit -a` and `git commit PATHS` set it for
  /// hooks); nil means the repository's own index. With `gitEnvironment`, the repository
  /// is the one `GIT_DIR` names (as git sets it for hooks in linked work trees or with
  /// `--git-dir`), and `path` only names the report's target.
  public func scan(path: String, indexFile: String?, gitEnvironment: Bool = false) throws -> Result {
    try scan(
      path: path,
      opened: Self.open(path: path, indexFile: indexFile, gitEnvironment: gitEnvironment, started: Clock.seconds()))
  }

  /// Scans what `read` read (started with the same `path`).
  public func scan(path: String, read: PendingRead) throws -> Result {
    try scan(path: path, opened: read.task.result().get())
  }

  private static func open(path: String, indexFile: String?, gitEnvironment: Bool, started: Double) throws -> Opened {
    LibGit2.initialize()
    let repo: Repository
    do { repo = gitEnvironment ? try Repository(fromEnvironment: ()) : try Repository(path: path) } catch {
      throw ScanError.cannotOpen(path, error)
    }
    let read = Trace.phase("read the index") { () -> Swift.Result<StagedChanges, GitError> in
      do throws(GitError) { return .success(try repo.stagedChanges(indexFile: indexFile)) } catch {
        return .failure(error)
      }
    }
    switch read {
    case .success(let staged): return Opened(repo: repo, staged: staged, started: started)
    case .failure(let error):
      if repo.isBare && indexFile == nil { throw ScanError.repository(error.message) }
      if error.isNotFound, let indexFile { throw ScanError.path("GIT_INDEX_FILE: no index file at '\(indexFile)'") }
      throw ScanError.failed("cannot read the staged changes: \(error.message)")
    }
  }

  private func scan(path: String, opened: Opened) throws -> Result {
    let (repo, staged, started) = (opened.repo, opened.staged, opened.started)
    var collector = FindingCollector(ruleSet: ruleSet, excludePaths: options.excludePaths)
    var summary = ScanSummary()
    let wanted = staged.blobs.filter { !collector.isExcluded($0.path) }
    var seen = Set<ObjectID>()
    let ids = wanted.map(\.blob).filter { seen.insert($0).inserted }
    var scanOptions = options
    scanOptions.progress = nil
    let result = try Trace.phase("read and scan staged blobs") {
      try ObjectScan.run(
        gitDirectory: repo.gitDirectory, ids: ids, ruleSet: ruleSet, options: scanOptions, scanTags: false)
    }
    summary.blobsScanned = result.blobs
    summary.bytesScanned = result.bytes

    let tooLarge = Dictionary(result.tooLarge, uniquingKeysWith: { a, _ in a })
    let unreadable = Dictionary(result.unreadable, uniquingKeysWith: { a, _ in a })
    var ruleErrors: [ObjectID: [(String, String)]] = [:]
    for (blob, rule, message) in result.ruleErrors { ruleErrors[blob, default: []].append((rule, message)) }
    var ruleErrorRecords: [RuleErrorRecord] = []
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
        ruleErrorRecords.append(RuleErrorRecord(ruleID: rule, path: path, blob: hex, message: message))
      }
    }
    summary.recordUnreadable(summary.skipped.filter { $0.reason == .unreadable }.count, "staged blob(s)")
    summary.recordRuleErrors(ruleErrorRecords)
    // Inside archives: members not read whole (ScanWorker+Archives.swift).
    let archiveSkipped = Dictionary(result.archiveSkipped, uniquingKeysWith: { a, _ in a })
    summary.recordArchiveSkips(
      wanted.flatMap { entry in
        (archiveSkipped[entry.blob] ?? []).map { $0.placed(in: entry.path, blob: entry.blob.hex) }
      })
    var report = collector.report(target: path, summary: summary, started: started, options: options)
    var known: [KnownSecret] = []
    if !report.findings.isEmpty, let head = staged.head {
      known = try Trace.phase("compare findings with HEAD") {
        try separateKnown(&report, repo: repo, head: head, staged: staged, wanted: wanted, scanned: result.blobHits)
      }
    }
    return Result(
      report: report, conflicted: staged.conflicted, deleted: staged.deleted.count, hasHead: staged.head != nil,
      known: known)
  }

  /// Moves the findings whose secret HEAD already holds out of `report` (see the type's comment).
  /// HEAD's candidates are read only when the staged blobs have findings: the blob at each staged
  /// path, the blobs at the paths the commit deletes, and HEAD's copies of the staged blobs.
  private func separateKnown(
    _ report: inout ScanReport, repo: Repository, head: ObjectID, staged: StagedChanges, wanted: [StagedBlob],
    scanned: [ObjectID: [ContentHit]]
  ) throws -> [KnownSecret] {
    // HEAD that cannot be listed: nothing is known, every finding stays.
    guard let headBlobs = try? repo.blobs(atCommit: head) else { return [] }
    var pathsOfBlob: [ObjectID: [String]] = [:]
    for (headPath, id) in headBlobs { pathsOfBlob[id, default: []].append(headPath) }
    var candidates: [String: ObjectID] = [:]
    for entry in wanted where !(scanned[entry.blob] ?? []).isEmpty {
      if let id = headBlobs[entry.path] { candidates[entry.path] = id }
      for headPath in pathsOfBlob[entry.blob] ?? [] { candidates[headPath] = entry.blob }
    }
    let deleted = Set(staged.deleted)
    for headPath in deleted { if let id = headBlobs[headPath] { candidates[headPath] = id } }
    guard !candidates.isEmpty else { return [] }

    var hits = scanned
    let stagedIDs = Set(wanted.map(\.blob))
    var seen = Set<ObjectID>()
    let toRead = candidates.values.filter { !stagedIDs.contains($0) && seen.insert($0).inserted }
    if !toRead.isEmpty {
      var scanOptions = options
      scanOptions.progress = nil
      let read = try ObjectScan.run(
        gitDirectory: repo.gitDirectory, ids: toRead, ruleSet: ruleSet, options: scanOptions, scanTags: false)
      hits.merge(read.blobHits) { a, _ in a }
    }
    var atHead = FindingCollector(ruleSet: ruleSet, excludePaths: options.excludePaths)
    for (headPath, id) in candidates.sorted(by: { $0.key < $1.key }) {
      atHead.add(hits[id] ?? [], at: headPath) {
        FindingCollector.location($0, source: .blob, path: headPath, blob: id.hex)
      }
    }
    let headFindings = atHead.findings(showSecrets: false, headBlobs: nil, worktreeScanned: false)

    var kept: [Finding] = []
    var known: [KnownSecret] = []
    for finding in report.findings {
      let holders = headFindings.filter {
        $0.ruleID == finding.ruleID && $0.secretSHA256 == finding.secretSHA256 && $0.severity >= finding.severity
      }
      guard !holders.isEmpty else {
        kept.append(finding)
        continue
      }
      let headPaths = Array(Set(holders.map(\.path))).sorted()
      let change: KnownSecret.Change
      if headPaths.contains(finding.path) {
        change = .unchanged
      } else if headPaths.contains(where: { held in
        deleted.contains { held == $0 || held.hasPrefix($0 + ArchivePath.separator) }
      }) {
        change = .moved
      } else {
        change = .copied
      }
      known.append(KnownSecret(finding: finding, headPaths: headPaths, change: change))
    }
    guard !known.isEmpty else { return [] }
    report.findings = kept
    report.summary.findings = kept.count
    report.summary.notes =
      (report.summary.notes ?? []) + [
        "\(known.count) known secret(s) already committed in HEAD (moved, copied or unchanged), not counted as new"
      ]
    return known
  }
}
