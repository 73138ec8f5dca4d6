/// The scan cache's write of what this scan learnt, running on a thread of its own until
/// `finish` waits for it (any warning goes to the summary's notes).
struct PendingCacheWrite {
  var task: BackgroundTask<String?>? = nil

  mutating func finish(into summary: inout ScanSummary) {
    summary.note(task?.result() ?? nil)
    task = nil
  }
}
