/// The verification stage, run after a scan: its findings measured against the account's key
/// inventory (`key_status`, and `key` for the account's own keys), and with `--probe` the FAIR
/// keys the inventory does not claim asked about. The scan itself knows nothing of it; it only
/// finds, and keeps the secrets a comparison needs (`ScanOptions.keepsSecrets`) in memory.
///
/// An inventory that could not be read never hides a finding: every FAIR finding is then
/// `indeterminate`, and the report says the scan is incomplete, and why.
public struct KeyVerification: Sendable {
  public var inventory: KeyInventory
  public var prober: (any SecretProber)?
  /// Why the inventory is incomplete (what stopped the listing), for the summary.
  public var problem: String?

  public init(inventory: KeyInventory, prober: (any SecretProber)? = nil, problem: String? = nil) {
    self.inventory = inventory
    self.prober = prober
    self.problem = problem
  }

  /// The rules the scan adds so that the account's keys are found in any context.
  public var rules: [Rule] { inventory.matchRule.map { [$0] } ?? [] }

  /// Sets the statuses on `report`'s findings, then drops the secrets the report held.
  public func apply(to report: inout ScanReport, now: Double? = nil) {
    let now = now ?? Clock.wallSeconds()
    inventory.crossReference(&report.findings, secrets: report.secrets, now: now)
    if let prober {
      inventory.probe(&report.findings, secrets: report.secrets, with: prober)
      report.summary.note(contentsOf: prober.finish())
    }
    if let doubt = inventory.doubt(about: report.findings, problem: problem) { report.summary.incomplete.append(doubt) }
    report.secrets = [:]
  }
}

extension KeyInventory {
  /// Why some FAIR findings of `findings` (already cross-referenced) are `indeterminate`, for
  /// the report's `incomplete` list: a run that leaves a FAIR finding `indeterminate` must not
  /// pass as complete. Nil when none is. `problem`: what stopped the listing, if anything did.
  public func doubt(about findings: [Finding], problem: String?) -> String? {
    if !complete {
      let why = problem.map { " (\($0))" } ?? ""
      return "the FAIR key inventory could not be read completely\(why): FAIR findings are indeterminate"
    }
    let doubtful = findings.filter { $0.keyStatus == .indeterminate && $0.isFAIR }
    guard !doubtful.isEmpty else { return nil }
    var reasons: [String] = []
    let odd = uncomparableHashes.count
    if odd > 0 {
      reasons.append(
        "\(odd) listed key\(odd == 1 ? " has a key_hash" : "s have key_hash values") fairscan cannot compare (salted, or not \(digest.rawValue))"
      )
    }
    let refused = Set(doubtful.compactMap { refusal(secretSHA256: $0.secretSHA256, secret: nil) })
    reasons += refused.sorted()
    if reasons.isEmpty { reasons.append("the inventory's digest needs the secrets themselves") }
    return "\(doubtful.count) FAIR finding\(doubtful.count == 1 ? " is" : "s are") indeterminate: "
      + reasons.joined(separator: "; ")
  }
}
