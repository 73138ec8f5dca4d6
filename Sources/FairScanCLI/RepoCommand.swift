import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

/// `fairscan repo [PATH]`: working tree and full history.
struct RepoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repo",
    abstract:
      "Scan a git repository: its working tree and its entire history (every ref, tag, stash, and unreachable objects)."
  )

  @Argument(help: "The repository (a work tree, a folder inside one, or a bare repository).")
  var path: String = "."

  @Flag(name: .customLong("no-history"), help: "Scan the working tree only.")
  var noHistory = false

  @Flag(name: .customLong("history-only"), help: "Scan the history only, not the working tree.")
  var historyOnly = false

  @Option(help: "Only what the commits in A..B introduced (for pull requests). Implies --history-only.")
  var range: String?

  @Option(help: "Only commits from this date on (YYYY-MM-DD, ISO-8601, unix seconds, or '2 weeks ago').")
  var since: String?

  @Option(
    help: ArgumentHelp(
      "Keep the scan cache in FILE (an SQLite file) instead of .git/fairscan/cache.sqlite.",
      discussion:
        "The cache remembers which objects were scanned with which rules, so the next scan reads only new ones. It keeps no secret (hashes and redacted forms only)."
    ))
  var cache: String?

  @Flag(name: .customLong("no-cache"), help: "Neither read nor write the scan cache: read every object.")
  var noCache = false

  @OptionGroup var flags: ScanFlags

  func validate() throws {
    if noHistory && (historyOnly || range != nil || since != nil) {
      throw ValidationError("--no-history cannot be combined with --history-only, --range or --since")
    }
    if let range, !range.contains("..") || range.hasPrefix("..") || range.hasSuffix("..") {
      throw ValidationError("--range must look like A..B")
    }
    if cache != nil && noCache { throw ValidationError("--cache and --no-cache contradict each other") }
    if let since, DateParser.unixSeconds(since) == nil {
      throw ValidationError("--since: not a date: '\(since)'")
    }
  }

  func run() throws {
    LibGit2.initializeInBackground()  // while the rules load
    let root = RepositoryRoot.find(path)
    let runner = ScanRunner(flags: flags, configRoot: root, verifiesByDefault: true)
    var (ruleSet, options) = try runner.prepare()
    options.history = noHistory ? .worktreeOnly : (historyOnly ? .historyOnly : .full)
    options.range = range
    options.cache = noCache ? .none : (cache.map { .file($0) } ?? .inGitDirectory)
    options.since = since.flatMap { DateParser.unixSeconds($0) }
    let report: ScanReport
    do {
      report = try RepositoryScanner(ruleSet: ruleSet, options: options).scan(path: path)
    } catch let error as ScanError {
      throw CommandFailure(error)
    }
    try runner.finish(runner.verified(report))
  }
}
