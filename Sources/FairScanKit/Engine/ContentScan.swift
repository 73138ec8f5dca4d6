/// The outcome of scanning one piece of content.
public struct ContentScan: Sendable {
  public var hits: [ContentHit] = []
  /// Rule id and what stopped it (a PCRE2 limit).
  public var errors: [(ruleID: String, message: String)] = []
  /// Archive members not read whole (`ScanWorker+Archives.swift`); `path` is the member's, `""` the archive's.
  public var skipped: [SkippedItem] = []
}
