/// `fairscan stdin`.
public struct StandardInputScanner {
  public let ruleSet: RuleSet
  public let options: ScanOptions

  public init(ruleSet: RuleSet, options: ScanOptions) {
    self.ruleSet = ruleSet
    self.options = options
  }

  public func scan(name: String?) throws -> ScanReport {
    let started = Clock.seconds()
    var collector = FindingCollector(ruleSet: ruleSet, excludePaths: options.excludePaths)
    var summary = ScanSummary()
    let label = name ?? "(stdin)"
    switch FileReader.readStandardInput(maxSize: options.maxFileSize) {
    case .content(let bytes):
      let worker = try ScanWorker(ruleSet: ruleSet, options: options)
      let scan = worker.scan(bytes, path: name)
      summary.filesScanned = 1
      summary.bytesScanned = bytes.count
      collector.add(scan.hits, at: name) { FindingCollector.location($0, source: .stdin, path: label) }
      summary.recordRuleErrors(
        scan.errors.map {
          RuleErrorRecord(ruleID: $0.ruleID, path: TerminalSafe.string(label), message: $0.message)
        })
      summary.recordArchiveSkips(scan.skipped.map { $0.placed(in: label) })  // inside archives
    case .tooLarge(let size):
      summary.skipped.append(SkippedItem(path: TerminalSafe.string(label), reason: .tooLarge, size: size))
    case .notRegular, .failed, .large:  // (standard input is read whole: never .large)
      summary.skipped.append(SkippedItem(path: TerminalSafe.string(label), reason: .unreadable))
      summary.incomplete.append("standard input could not be read")
    }
    return collector.report(target: label, summary: summary, started: started, options: options)
  }
}
