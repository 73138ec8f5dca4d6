/// The scan cache's write of what this scan learnt, running on a thread of its own until
/// `finish` waits for it (any warning goes to the summary's notes).
struct PendingCacheWrite {
  var task: BackgroundTask<String?>? = nil

  /// Waits for the write; true when it went through (or there was nothing to write).
  @discardableResult
  mutating func finish(into summary: inout ScanSummary) -> Bool {
    guard let task else { return succeeded }
    let warning = task.result()
    summary.note(warning)
    succeeded = warning == nil
    self.task = nil
    return succeeded
  }

  private var succeeded = true
}
