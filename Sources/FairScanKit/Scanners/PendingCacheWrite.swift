/// The scan cache's write of what this scan learnt: on a thread of its own until `finish`
/// waits for it, or held back (`held`) to go into the history record's transaction. Any
/// warning goes to the summary's notes.
struct PendingCacheWrite {
  var task: BackgroundTask<String?>? = nil
  /// What a scan of new commits learnt: a few objects, written with the history record in one
  /// transaction (`takeHeld`), or by `finish` alone if no record is stored.
  var held: (store: ScanCache, learnt: LearntObjects)? = nil

  /// Waits for the write, or writes what is held; true when it went through (or there was
  /// nothing to write).
  @discardableResult
  mutating func finish(into summary: inout ScanSummary) -> Bool {
    if let (store, learnt) = held {
      held = nil
      let warning = store.record(learnt)
      summary.note(warning)
      succeeded = succeeded && warning == nil
    }
    guard let task else { return succeeded }
    let warning = task.result()
    summary.note(warning)
    succeeded = warning == nil
    self.task = nil
    return succeeded
  }

  /// The objects held back, for the caller's transaction; `finish` then writes nothing of them.
  mutating func takeHeld() -> LearntObjects? {
    defer { held = nil }
    return held?.learnt
  }

  private var succeeded = true
}
