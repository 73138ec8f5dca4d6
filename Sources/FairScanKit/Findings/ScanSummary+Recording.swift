// The one path every scanner (repository, staged, folder and file, standard input) takes to
// record what it could not finish: rule errors, unreadable content and archive members not read
// whole. Each marks the scan incomplete with one line, worded the same from every source.
// And remarks (`notes`) that change no result.

extension ScanSummary {
  /// Records rule errors (a PCRE2 limit was hit); any makes the scan incomplete.
  mutating func recordRuleErrors(_ records: [RuleErrorRecord]) {
    guard !records.isEmpty else { return }
    ruleErrors += records
    incomplete.append("\(records.count) rule error(s): a PCRE2 limit was hit")
  }

  /// Marks the scan incomplete for `count` things that could not be read, named by `what`
  /// ("file(s)", "staged blob(s)", "object(s)").
  mutating func recordUnreadable(_ count: Int, _ what: String) {
    guard count > 0 else { return }
    incomplete.append("\(count) \(what) could not be read")
  }

  /// Lists archive members not read whole; a limit or damage makes the scan incomplete
  /// (members over the size cap and encrypted ones are only listed, as large files are).
  mutating func recordArchiveSkips(_ items: [SkippedItem]) {
    skipped += items
    if let reason = ArchiveSkips.incompleteReason(items) { incomplete.append(reason) }
  }

  /// Adds a remark that changes no result, if there is one.
  mutating func note(_ remark: String?) {
    if let remark { note(contentsOf: [remark]) }
  }

  /// Adds remarks that change no result; none leaves `notes` as it was (nil stays nil).
  mutating func note(contentsOf remarks: [String]) {
    if !remarks.isEmpty { notes = (notes ?? []) + remarks }
  }
}
