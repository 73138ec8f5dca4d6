import ArgumentParser
import FairAPI
import FairScanKit
import Foundation

/// What `fairscan revoke` prints (stdout): the plan, each action and the outcome.
struct RevokeOutput {
  func line(_ text: String) { Terminal.write(Array((text + "\n").utf8), to: 1) }

  func plan(_ plan: RevocationPlan, dryRun: Bool) {
    let n = plan.targets.count
    line("plan\(dryRun ? " (dry run)" : ""): \(SummaryLine.count(n, "live key")) of your account found")
    for target in plan.targets {
      let key = target.key
      var head = target.isOwnKey ? "  keep   " : "  revoke "
      head += "\(TerminalSafe.string(key.id)) (\(TerminalSafe.string(key.name))), sha256 \(target.hashPrefix)…"
      if let created = key.created { head += ", created \(created)" }
      head += ", " + (key.expiresAt.map { "expires \($0)" } ?? "never expires")
      if let since = key.exposedSince { head += ", exposed since \(since)" }
      if let days = key.exposureDays { head += " (\(SummaryLine.count(days, "day")))" }
      line(head)
      places(of: target)
      if target.isOwnKey {
        line(
          "           NOT revoked: fairscan authenticates with this key (FAIR_API_KEY or the credentials file). Rotate it from another credential: log in with FAIR_USERNAME and FAIR_PASSWORD, run 'fairscan keys create', switch to the new key, then 'fairscan keys revoke \(TerminalSafe.string(key.id))'."
        )
      }
    }
    for target in plan.refused {
      line(
        "  refuse \(TerminalSafe.string(target.key.id)) (\(TerminalSafe.string(target.key.name))), sha256 \(target.hashPrefix)…"
      )
      places(of: target)
      line(
        "           NOT revoked: \(TerminalSafe.string(target.refusal ?? "")). Check the key list on the FAIR site and revoke it there."
      )
    }
    if !plan.leftAlone.isEmpty {
      let parts = plan.leftAlone.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
      line("left alone: FAIR findings that are not live keys of your account: " + parts.joined(separator: ", "))
    }
  }
  /// Where a planned or refused key was found: the count and the first five places.
  private func places(of target: RevocationPlan.Target) {
    line(
      "           found in \(SummaryLine.count(target.fingerprints.count, "finding")) at \(SummaryLine.count(target.places.count, "place")):"
    )
    for place in target.places.prefix(5) { line("             \(TerminalSafe.string(place))") }
    if target.places.count > 5 { line("             … and \(target.places.count - 5) more") }
  }

}
