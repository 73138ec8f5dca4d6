/// Reads and scans plain files on several threads.
struct FileScan: Sendable {
  var hits: [(path: String, hits: [ContentHit])] = []
  var skipped: [SkippedItem] = []
  /// Inside archives: members not read whole (`ScanWorker+Archives.swift`).
  var archiveSkipped: [SkippedItem] = []
  var ruleErrors: [RuleErrorRecord] = []
  var files = 0
  var bytes = 0
  var source: SourceKind = .file

  /// `makeWorker`: how each thread sets up its scanner (default: `ScanWorker(ruleSet:options:)`;
  /// tests fail it on purpose). A thread that cannot takes no file; files no thread could take
  /// are listed as unreadable, so the scan says it is incomplete instead of passing as clean.
  static func run(
    root: String, relativePaths: [String], ruleSet: RuleSet, options: ScanOptions, source: SourceKind,
    makeWorker: (@Sendable () throws -> ScanWorker)? = nil
  ) -> FileScan {
    // No file, no worker: a rescan whose files are all known reads none and needs no scanner.
    guard !relativePaths.isEmpty else { return FileScan(source: source) }
    let dispenser = ChunkDispenser(total: relativePaths.count, chunkSize: 16)
    let gathered = Gathered<FileScan>()
    let setUpFailures = Gathered<String>()
    let progress = ProgressMeter(total: relativePaths.count, unit: "files", report: options.progress)
    let shared = Unchecked(relativePaths)
    Parallel.run(jobs: min(options.jobs, max(1, relativePaths.count / 8 + 1))) { _ in
      let paths = shared.value
      var part = FileScan(source: source)
      let worker: ScanWorker
      do { worker = try makeWorker?() ?? ScanWorker(ruleSet: ruleSet, options: options) } catch {
        setUpFailures.append("\(error)")
        return
      }
      while let chunk = dispenser.take() {
        for i in chunk { part.scanFile(root: root, path: paths[i], worker: worker, options: options) }
        progress.advance(chunk.count)
      }
      gathered.append(part)
    }
    progress.finish()
    var total = FileScan(source: source)
    for part in gathered.all {
      total.hits += part.hits
      total.skipped += part.skipped
      total.archiveSkipped += part.archiveSkipped
      total.ruleErrors += part.ruleErrors
      total.files += part.files
      total.bytes += part.bytes
    }
    if let failure = setUpFailures.all.first {
      while let chunk = dispenser.take() {
        for i in chunk {
          total.skipped.append(
            SkippedItem(
              path: TerminalSafe.string(relativePaths[i]), reason: .unreadable,
              detail: "no scanner could be set up: \(failure)"))
        }
      }
    }
    total.hits.sort { $0.path < $1.path }
    total.skipped.sort { $0.path < $1.path }
    total.archiveSkipped.sort { $0.path < $1.path }
    return total
  }

  private mutating func scanFile(root: String, path: String, worker: ScanWorker, options: ScanOptions) {
    // A file larger than one window is read window by window: memory stays flat (`ContentWindows`).
    let whole = worker.windows.size + worker.windows.context
    switch FileReader.read(root + path, maxSize: options.maxFileSize, wholeUpTo: whole) {
    case .content(let bytes):
      record(worker.scan(bytes, path: path), path: path, size: bytes.count)
    case .large(let file):
      do throws(ContentReadError) {
        record(try worker.scan(file: file, path: path), path: path, size: file.count)
      } catch {
        skipped.append(SkippedItem(path: TerminalSafe.string(path), reason: .unreadable, detail: error.message))
      }
    case .tooLarge(let size):
      skipped.append(SkippedItem(path: TerminalSafe.string(path), reason: .tooLarge, size: size))
    case .notRegular:
      break
    case .failed(let message):
      skipped.append(SkippedItem(path: TerminalSafe.string(path), reason: .unreadable, detail: message))
    }
  }

  private mutating func record(_ scan: ContentScan, path: String, size: Int) {
    files += 1
    bytes += size
    if !scan.hits.isEmpty { hits.append((path, scan.hits)) }
    archiveSkipped += scan.skipped.map { $0.placed(in: path) }
    for error in scan.errors {
      ruleErrors.append(RuleErrorRecord(ruleID: error.ruleID, path: TerminalSafe.string(path), message: error.message))
    }
  }

  /// Adds the hits to the findings and the counts to the summary.
  func apply(to collector: inout FindingCollector, summary: inout ScanSummary) {
    for (path, list) in hits {
      collector.add(list, at: path) { FindingCollector.location($0, source: source, path: path) }
    }
    summary.filesScanned += files
    summary.bytesScanned += bytes
    summary.skipped += skipped
    // A path the configuration leaves out cannot make the scan incomplete.
    summary.recordUnreadable(skipped.filter { $0.reason == .unreadable }.count, "file(s)")
    summary.recordRuleErrors(ruleErrors.filter { !collector.isExcluded($0.path) })
    summary.recordArchiveSkips(archiveSkipped)
  }
}
