/// Totals of a scan and the reasons it may be incomplete.
public struct ScanSummary: Codable, Sendable, Equatable {
  public var blobsScanned: Int = 0
  public var filesScanned: Int = 0
  public var commitsScanned: Int = 0
  public var bytesScanned: Int = 0
  public var findings: Int = 0
  public var suppressed: Int = 0
  /// Findings left out for being below `--min-severity`.
  public var belowMinimumSeverity: Int = 0
  public var skipped: [SkippedItem] = []
  public var ruleErrors: [RuleErrorRecord] = []
  /// Why the scan is incomplete; empty when it is complete.
  public var incomplete: [String] = []
  /// Commits where a shallow clone's history stops.
  public var shallowBoundaries: [String] = []
  public var elapsedSeconds: Double = 0
  /// Objects the scan cache already knew (not read again); nil without a cache.
  public var cachedObjects: Int? = nil
  /// Remarks that change no result (e.g. findings `--probe` left unprobed at its limit).
  public var notes: [String]? = nil

  enum CodingKeys: String, CodingKey {
    case blobsScanned = "blobs_scanned", filesScanned = "files_scanned", commitsScanned = "commits_scanned"
    case bytesScanned = "bytes_scanned", findings, suppressed, belowMinimumSeverity = "below_min_severity", skipped
    case ruleErrors = "rule_errors", incomplete, shallowBoundaries = "shallow_boundaries"
    case elapsedSeconds = "elapsed_seconds", notes, cachedObjects = "cached_objects"
  }
  public init() {}
  public var isComplete: Bool { incomplete.isEmpty }
}
