import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

/// `fairscan staged [PATH]`: what the next commit would record (the pre-commit hook).
struct StagedCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "staged",
    abstract: "Scan what the next commit would record: the staged blobs that are added or modified compared with HEAD.",
    discussion: """
      Reads the index git names in GIT_INDEX_FILE (as it does for hooks run by `git commit -a` and \
      `git commit PATHS`), else the repository's index, and the blobs from the object database; the \
      work tree is never read, so an unstaged edit is not the commit's. Nothing in the repository is \
      written. Conflicted paths: their "ours" and "theirs" stages are scanned, and stderr says so. \
      Offline unless --verify is given or .fairscan.yml says `verify: true`.
      """)

  @Argument(help: "The repository (a work tree or a folder inside one).")
  var path: String = "."

  @Flag(help: ArgumentHelp(
    "Run as git's pre-commit hook: on findings, a redacted list and how to fix it on stderr; nothing on stdout.",
    discussion: "The hook `fairscan hook install` writes runs `fairscan staged --hook`."))
  var hook = false

  @OptionGroup var flags: ScanFlags

  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let indexFile = environment["GIT_INDEX_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    // In a hook git names the repository in GIT_DIR (linked work trees, --git-dir): follow it
    // unless a path was given.
    let gitEnvironment = path == "." && !(environment["GIT_DIR"] ?? "").isEmpty
    // The index is read while the rules load; its errors come after theirs, as before.
    let staged = StagedScanner.read(path: path, indexFile: indexFile, gitEnvironment: gitEnvironment)
    let root = RepositoryRoot.find(path)
    let runner = ScanRunner(flags: flags, configRoot: root)
    let (ruleSet, options) = try runner.prepare()
    let result: StagedScanner.Result
    do {
      result = try StagedScanner(ruleSet: ruleSet, options: options).scan(path: path, read: staged)
    } catch let error as ScanError {
      var message = error.description
      if message.contains("extension: 'link'") {
        message += " (a split index, which libgit2 cannot read; `git update-index --no-split-index` turns it off)"
      }
      let failure = CommandFailure(error, message: message)
      if hook {
        // The commit is refused: say why and how to get past it, not only the error.
        Terminal.standardError("fairscan: error: \(failure.message)")
        Terminal.standardError("fairscan: commit blocked: the staged changes could not be scanned; to commit anyway: git commit --no-verify")
        throw ExitCode(failure.code)
      }
      throw failure
    }
    if !result.conflicted.isEmpty && (!flags.quiet || hook) {
      let shown = result.conflicted.prefix(5).map { TerminalSafe.string($0) }.joined(separator: ", ")
      Terminal.standardError(
        "fairscan: \(SummaryLine.count(result.conflicted.count, "conflicted path")) (\(shown)\(result.conflicted.count > 5 ? ", …" : "")): "
          + "scanned their \"ours\" and \"theirs\" versions; git commits nothing until each is resolved and added, "
          + "and this hook then scans the resolution")
    }
    let report = runner.verified(result.report)
    if hook { try HookMessage.finishPreCommit(report, flags: flags, hasHead: result.hasHead, known: result.known) }
    if !flags.quiet { for line in HookMessage.knownLines(result.known) { Terminal.standardError(line) } }
    try runner.finish(report)
  }
}

/// `fairscan pre-push [REMOTE] [URL]`: the commits git is about to push (the pre-push hook).
struct PrePushCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pre-push",
    abstract: "Scan the commits a push sends: read git's pre-push lines on stdin, scan what those commits introduced.",
    discussion: """
      Each stdin line is `<local ref> <local sha> <remote ref> <remote sha>`, as git gives its pre-push \
      hook. The commits scanned are those reachable from the local shas and from none of the remote \
      shas or the remote's known refs (refs/remotes/REMOTE/*): a new branch is scanned against what \
      the remote already has, an update from the remote's old tip. A deleted ref sends nothing. \
      Offline unless --verify is given or .fairscan.yml says `verify: true`.
      """)

  @Argument(help: "The remote's name (git passes it first; its refs/remotes/REMOTE/* are taken as already pushed).")
  var remote: String?

  @Argument(help: "The remote's URL (git passes it second; shown in messages only).")
  var url: String?

  @Option(name: .customShort("C"), help: "The repository (default: the current folder).")
  var path: String = "."

  @Flag(help: "Run as git's pre-push hook: on findings, a redacted list and how to fix it on stderr; nothing on stdout.")
  var hook = false

  @OptionGroup var flags: ScanFlags

  func run() throws {
    LibGit2.initializeInBackground()  // while stdin is read and the rules load
    let lines = try PushLine.parse(FileHandle.standardInput.readDataToEndOfFile())
    let root = RepositoryRoot.find(path)
    let runner = ScanRunner(flags: flags, configRoot: root)
    var (ruleSet, options) = try runner.prepare()
    var show: [String] = []
    var hide: [String] = []
    for line in lines where !line.isDeletion {
      show.append(line.localSHA)
      if !line.isNewRef { hide.append(line.remoteSHA) }
    }
    var report: ScanReport
    if show.isEmpty {
      // Nothing but deletions (or nothing at all): no commit is sent.
      report = ScanReport(
        version: FairScanVersion.current, target: path, findings: [], summary: ScanSummary(), rules: ruleSet.descriptors)
    } else {
      if let remote, !remote.isEmpty {
        hide += try RemoteRefs.list(repository: path, remote: remote)
      }
      options.history = .historyOnly
      options.commits = CommitSelection(show: show, hide: hide)
      do {
        report = try RepositoryScanner(ruleSet: ruleSet, options: options).scan(path: path)
      } catch let error as ScanError {
        throw CommandFailure(error)
      }
    }
    report = runner.verified(report)
    if hook { try HookMessage.finishPrePush(report, flags: flags, remote: remote ?? url ?? "the remote") }
    try runner.finish(report)
  }
}

/// One line git gives a pre-push hook on stdin.
struct PushLine: Equatable {
  var localRef: String
  var localSHA: String
  var remoteRef: String
  var remoteSHA: String

  /// The ref is deleted on the remote: nothing is sent.
  var isDeletion: Bool { PushLine.isZero(localSHA) }
  /// The remote has no such ref yet.
  var isNewRef: Bool { PushLine.isZero(remoteSHA) }

  static func isZero(_ sha: String) -> Bool { sha.allSatisfy { $0 == "0" } }

  static func parse(_ data: Data) throws -> [PushLine] {
    var result: [PushLine] = []
    for raw in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
      let fields = raw.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      if fields.isEmpty { continue }
      guard fields.count == 4, fields[1].count >= 40, fields[3].count >= 40,
        (fields[1] + fields[3]).allSatisfy(\.isHexDigit)
      else {
        throw CommandFailure.usage(
          "pre-push: stdin line is not '<local ref> <local sha> <remote ref> <remote sha>': '\(TerminalSafe.string(String(raw.prefix(200))))'")
      }
      result.append(PushLine(localRef: fields[0], localSHA: fields[1], remoteRef: fields[2], remoteSHA: fields[3]))
    }
    return result
  }
}

/// The remote-tracking refs of a remote: what it is known to have already.
enum RemoteRefs {
  static func list(repository: String, remote: String) throws -> [String] {
    // A URL or path given instead of a remote name has no tracking refs.
    if remote.contains("/") || remote.contains(":") || remote.contains("*") { return [] }
    do {
      return try RemoteTracking.refs(repository: repository, remote: remote)
    } catch let error as ScanError {
      throw CommandFailure(error)
    }
  }
}
