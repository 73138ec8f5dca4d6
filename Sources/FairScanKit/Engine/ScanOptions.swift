import FairScanArchive
import FairScanRegex
import FairScanSystem

/// Which part of a repository to scan.
public enum HistoryMode: Sendable, Equatable {
  /// Working tree and full history.
  case full
  /// Working tree only (`--no-history`).
  case worktreeOnly
  /// History only (`--history-only`).
  case historyOnly
}

/// Where the incremental scan cache lives.
public enum ScanCacheSetting: Sendable, Equatable {
  /// No cache: every object is read.
  case none
  /// `fairscan/cache.sqlite` in the repository's git directory (the default of `fairscan repo`).
  case inGitDirectory
  /// This SQLite file (`--cache PATH`).
  case file(String)
}

/// Everything that shapes a scan, whatever its source.
public struct ScanOptions: Sendable {
  public var maxFileSize: Int = 100 * 1024 * 1024
  /// Archives opened one inside another (`--max-archive-depth`); 0: archives are plain bytes.
  public var archiveDepth: Int = ArchiveLimits().maxDepth
  public var jobs: Int = ProcessInfoCores.count
  /// PCRE2 limits; the JIT stack may grow to 16 MiB per thread so long lines in big files still complete.
  public var limits = MatchLimits(jitStackKiB: 16 * 1024)
  public var showSecrets: Bool = false
  /// Paths to leave out (globs).
  public var excludePaths: [String] = []
  public var history: HistoryMode = .full
  /// `A..B`: only what the commits in that range introduced.
  public var range: String? = nil
  /// Unix time: only commits from then on.
  public var since: Int64? = nil
  /// Only what these commits introduced (`fairscan pre-push`): history only, like `range`.
  public var commits: CommitSelection? = nil
  /// Fingerprints not to report (`.fairscanignore`, `--baseline`).
  public var suppressedFingerprints: Set<String> = []
  /// Findings below this severity are left out of the report and the exit code (counted in
  /// the summary). The default hides `info`: test vectors in test and example code.
  public var minimumSeverity: Severity = .low
  /// The report keeps the findings' secrets in memory (`ScanReport.secrets`) for a stage after
  /// the scan that compares them (`KeyVerification`); a cached scan then re-reads the objects
  /// with hits, since the scan cache keeps no secret.
  public var keepsSecrets: Bool = false
  /// Up to this many objects, attribution walks the history beside the object scan and
  /// records every blob; above it, it walks afterwards for the blobs with hits only (less memory).
  public var concurrentWalkLimit: Int = 2_000_000
  /// The incremental scan cache of `fairscan repo`.
  public var cache: ScanCacheSetting = .none
  /// Called with a line to show progress (nil: no progress).
  public var progress: (@Sendable (String) -> Void)? = nil

  public init() {}
}

/// Commits reachable from any of `show` and from none of `hide` (revisions or hex ids).
public struct CommitSelection: Sendable, Equatable {
  public var show: [String]
  public var hide: [String]

  public init(show: [String], hide: [String]) {
    self.show = show
    self.hide = hide
  }
}

public enum ProcessInfoCores {
  public static var count: Int {
    Processors.online
  }
}
