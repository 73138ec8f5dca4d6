import ArgumentParser
import FairScanGit
import FairScanKit
import FairScanSystem
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

  @Flag(
    help: ArgumentHelp(
      "Run as git's pre-commit hook: on findings, a redacted list and how to fix it on stderr; nothing on stdout.",
      discussion: "The hook `fairscan hook install` writes runs `fairscan staged --hook`."))
  var hook = false

  @OptionGroup var flags: ScanFlags

  func run() throws {
    let indexFile = Environment.value("GIT_INDEX_FILE").flatMap { $0.isEmpty ? nil : $0 }
    // In a hook git names the repository in GIT_DIR (linked work trees, --git-dir): follow it
    // unless a path was given.
    let gitEnvironment = path == "." && !(Environment.value("GIT_DIR") ?? "").isEmpty
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
        Terminal.standardError(
          "fairscan: commit blocked: the staged changes could not be scanned; to commit anyway: git commit --no-verify")
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
    if hook {
      try runner.finish(report, hookLines: HookMessage.preCommit(report, hasHead: result.hasHead, known: result.known))
    }
    if !flags.quiet { for line in HookMessage.knownLines(result.known) { Terminal.standardError(line) } }
    try runner.finish(report)
  }
}
