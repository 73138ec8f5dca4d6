import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

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

  @Flag(
    help: "Run as git's pre-push hook: on findings, a redacted list and how to fix it on stderr; nothing on stdout.")
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
        version: FairScanVersion.current, target: path, findings: [], summary: ScanSummary(), rules: ruleSet.descriptors
      )
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
    if hook { try runner.finish(report, hookLines: HookMessage.prePush(report, remote: remote ?? url ?? "the remote")) }
    try runner.finish(report)
  }
}
