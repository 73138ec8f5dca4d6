/// What the scanning threads of one `ObjectScan` share: how each sets up its `ScanWorker`, the
/// first-hit announcement (`onAttributionNeeded`, at most once a thread), and the gathering of
/// their results and failures.
final class ScanThreads: Sendable {
  private let ruleSet: RuleSet
  private let options: ScanOptions
  private let onAttributionNeeded: (@Sendable () -> Void)?
  private let results = Gathered<ObjectScanResult>()
  private let failures = Gathered<String>()

  init(ruleSet: RuleSet, options: ScanOptions, onAttributionNeeded: (@Sendable () -> Void)?) {
    self.ruleSet = ruleSet
    self.options = options
    self.onAttributionNeeded = onAttributionNeeded
  }

  /// One thread's scanning: its worker and what it found.
  struct Thread {
    let worker: ScanWorker
    let onAttributionNeeded: (@Sendable () -> Void)?
    var result = ObjectScanResult()
    var announced = false

    /// Scans `item` into `result`; the first hit that needs attribution announces it.
    mutating func scan(_ item: ObjectScan.Loaded) {
      ObjectScan.scan(item, worker: worker, into: &result)
      if !announced && result.needsAttribution {
        announced = true
        onAttributionNeeded?()
      }
    }
  }

  /// A thread's scanning set up; nil (the failure recorded) when its worker cannot be made.
  func start() -> Thread? {
    do {
      let worker = try ScanWorker(ruleSet: ruleSet, options: options)
      return Thread(worker: worker, onAttributionNeeded: onAttributionNeeded)
    } catch {
      fail(error)
      return nil
    }
  }

  func fail(_ error: any Error) { failures.append("\(error)") }

  func finish(_ thread: Thread) { results.append(thread.result) }

  /// Every thread's results merged, or the first failure.
  func merged() throws -> ObjectScanResult {
    if let failure = failures.all.first { throw ScanError.failed(failure) }
    var total = ObjectScanResult()
    for part in results.all { total.merge(part) }
    return total
  }
}
