import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

/// `fairscan repo [PATH]`: working tree and full history.
struct RepoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repo",
    abstract: "Scan a git repository: its working tree and its entire history (every ref, tag, stash, and unreachable objects).")

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

  @Option(help: ArgumentHelp(
    "Keep the scan cache in FILE (an SQLite file) instead of .git/fairscan/cache.sqlite.",
    discussion: "The cache remembers which objects were scanned with which rules, so the next scan reads only new ones. It keeps no secret (hashes and redacted forms only)."))
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

/// `fairscan dir PATH`: plain files, no git.
struct DirCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dir",
    abstract: "Scan the plain files under a folder (no git; symlinks not followed; .git folders left out).")

  @Argument(help: "The folder (or a single file).")
  var path: String

  @OptionGroup var flags: ScanFlags

  func run() throws {
    // A folder or file name that is not UTF-8 is taken back from the command line's own bytes.
    let path = RawArgument.exact(self.path)
    var info = stat()
    let isFolder = PathBytes.withCString(path, { stat($0, &info) }) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    let root = isFolder ? path : nil
    let runner = ScanRunner(flags: flags, configRoot: root, verifiesByDefault: true)
    let (ruleSet, options) = try runner.prepare()
    let report: ScanReport
    do { report = try DirectoryScanner(ruleSet: ruleSet, options: options).scan(path: path) } catch let error as ScanError {
      throw CommandFailure.usage(error.description)
    }
    try runner.finish(runner.verified(report))
  }
}

/// `fairscan stdin [--name NAME]`.
struct StdinCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "stdin", abstract: "Scan standard input.")

  @Option(help: "A file name for the content (selects path-specific rules and appears in the report).")
  var name: String?

  @OptionGroup var flags: ScanFlags

  func run() throws {
    let runner = ScanRunner(flags: flags, configRoot: nil, verifiesByDefault: true)
    let (ruleSet, options) = try runner.prepare()
    try runner.finish(runner.verified(try StandardInputScanner(ruleSet: ruleSet, options: options).scan(name: name.map(RawArgument.exact))))
  }
}

/// Finds the top of the work tree holding `path` (for `.fairscan.yml` and `.fairscanignore`).
enum RepositoryRoot {
  static func find(_ path: String) -> String? {
    var url = URL(fileURLWithPath: path).standardizedFileURL
    while true {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) { return url.path }
      let parent = url.deletingLastPathComponent()
      if parent.path == url.path { return nil }
      url = parent
    }
  }
}


/// Dates for `--since`.
enum DateParser {
  static func unixSeconds(_ text: String, now: Date = Date()) -> Int64? {
    if let n = Int64(text) { return n }
    // "3 days ago", "2 weeks ago", "1 month ago", "yesterday"
    let words = text.lowercased().split(separator: " ")
    if words == ["yesterday"] { return Int64(now.timeIntervalSince1970) - 86_400 }
    if words.count == 3, words[2] == "ago", let n = Int64(words[0]), n >= 0 {
      let unit = words[1].hasSuffix("s") ? String(words[1].dropLast()) : String(words[1])
      let seconds: [String: Int64] = ["second": 1, "minute": 60, "hour": 3600, "day": 86_400, "week": 604_800,
                                      "month": 2_592_000, "year": 31_536_000]
      if let s = seconds[unit] {
        // An age too large to count in seconds is not a date (and must not trap).
        let (ago, overflow) = n.multipliedReportingOverflow(by: s)
        return overflow ? nil : Int64(now.timeIntervalSince1970) - ago
      }
    }
    let formats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd HH:mm:ss"]
    for f in formats {
      let formatter = DateFormatter()
      formatter.locale = Locale(identifier: "en_US_POSIX")
      formatter.timeZone = TimeZone(identifier: "UTC")
      formatter.dateFormat = f
      if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970) }
    }
    return nil
  }
}
