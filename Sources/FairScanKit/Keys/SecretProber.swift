import FairScanDigest
import Foundation

/// `--probe`: asks the FAIR API whether a found key authenticates. Opt-in: it uses a leaked
/// credential against its account. Implementations rate-limit and cache per secret.
public protocol SecretProber: Sendable {
  /// The verdict for `secret`, or nil when no probe was made (a limit was reached).
  func probe(_ secret: [UInt8]) -> ProbeVerdict?
  /// Called once, after the last probe.
  func finish() -> [String]
}

extension KeyInventory {
  /// FAIR rules whose secrets are API keys a probe can test (not passwords, not JWTs).
  static func isProbeable(_ finding: Finding) -> Bool {
    finding.isFAIR && finding.ruleID != "fair.login-password" && finding.ruleID != "fair.access-token"
      && finding.ruleID != "fair.refresh-token" && finding.expired == nil
  }

  /// `--probe`: for FAIR key findings the inventory could not claim (`not-in-inventory`, or
  /// `indeterminate` because its hashes cannot be compared offline), asks `prober`.
  /// `not-in-inventory` becomes `live-foreign` or `dead`; an uncomparable `indeterminate` stays
  /// so (a live key there may be the account's own) unless the probe says `dead`.
  public func probe(_ findings: inout [Finding], secrets: [String: [UInt8]], with prober: any SecretProber) {
    for i in findings.indices where Self.isProbeable(findings[i]) {
      let status = findings[i].keyStatus
      let eligible = status == .notInInventory || (status == .indeterminate && complete)
      guard eligible, let secret = secrets[findings[i].secretSHA256], let verdict = prober.probe(secret) else {
        continue
      }
      findings[i].probe = verdict
      switch (status, verdict) {
      case (.notInInventory, .live): findings[i].keyStatus = .liveForeign
      case (_, .dead): findings[i].keyStatus = .dead
      default: break
      }
    }
  }
}
