import ArgumentParser
import FairAPI
import FairScanKit
import Foundation

/// `fairscan revoke`: incident response. Revokes the account's live keys found in a report or
/// in a scan run now, each once, after a dry run; idempotent and resumable, with an audit log.
struct RevokeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke",
    abstract: "Revoke the live FAIR keys of your account found in a report or a repository.",
    discussion: """
      Builds a plan: the live keys of your account among the findings, each once, with where it \
      was found. Without --yes nothing changes (on a terminal it asks; default no). Never revokes \
      the key fairscan authenticates with, never acts when the inventory could not be read whole. \
      A run killed half-way can be run again: keys already revoked are no longer live and are \
      skipped. Every action is appended to the audit log (no key material). \
      Before each change an intent record is flushed to the audit log; the next run settles \
      intents a killed run left open against a fresh listing. Keys the listing contradicts itself \
      about (an id listed twice with different key_hash values, a key_hash listed under two ids) \
      are refused, never acted on. \
      Exit: 0 every planned key revoked and confirmed gone; bit 8 live keys remain (dry run, \
      declined, refused or failed); bit 4 an action failed, could not be confirmed or was refused; \
      bit 2 a FAIR finding stayed indeterminate; 64 usage.
      """)

  @Argument(help: "A JSON report (--format json) to act on.") var report: String?
  @Option(help: "Scan this repository now (working tree and full history) instead of reading a report.")
  var repo: String?
  @Flag(help: "Act without asking.") var yes = false
  @Flag(name: .customLong("dry-run"), help: "Print the plan only, even on a terminal.") var dryRun = false
  @Flag(help: "Create a replacement for each key (same name with a suffix, same lifetime) before revoking it.")
  var replace = false
  @Option(
    name: .customLong("new-keys-file"),
    help: "With --replace: append the new keys here (file created 0600; never printed).")
  var newKeysFile: String?
  @Option(name: .customLong("audit-log"), help: "Append one JSON line per action here (created 0600).")
  var auditLog: String = "fairscan-audit.jsonl"
  @OptionGroup var api: APIFlags

  func validate() throws {
    if (report == nil) == (repo == nil) { throw ValidationError("give either a REPORT file or --repo PATH") }
    if yes && dryRun { throw ValidationError("--yes and --dry-run contradict each other") }
    if replace && newKeysFile == nil {
      throw ValidationError("--replace needs --new-keys-file FILE (new keys are never printed)")
    }
    if !replace && newKeysFile != nil { throw ValidationError("--new-keys-file is only used with --replace") }
  }

  func run() throws {
    let session = try FairSession.open(caFile: api.caFile)
    defer { session.close() }
    let (inventory, failure) = session.inventory()
    if let failure {
      throw CommandFailure(
        message: "the key inventory could not be read completely (\(failure)): nothing was revoked",
        code: ExitStatus.apiFailure)
    }
    let out = RevokeOutput()
    try reconcileOpenIntents(inventory: inventory, out: out)
    let findings = try self.findings(inventory: inventory)
    let plan = RevocationPlan(findings: findings, ownKeySHA256: session.ownKeySHA256, inventory: inventory)
    out.plan(plan, dryRun: !yes && (dryRun || !Terminal.isTTY(0) || !Terminal.isTTY(2)))

    let actionable = plan.actionable
    var code: Int32 = plan.targets.contains(where: \.isOwnKey) ? ExitStatus.apiFailure | ExitStatus.liveKey : 0
    if !plan.refused.isEmpty { code |= ExitStatus.apiFailure }
    if let doubt = inventory.doubt(about: findings, problem: nil) {
      Terminal.standardError("fairscan: \(doubt)")
      code |= ExitStatus.incomplete
    }
    guard !actionable.isEmpty else { throw ExitCode(code) }
    let asking = !yes && !dryRun && Terminal.isTTY(0) && Terminal.isTTY(2)
    guard try confirmed(count: actionable.count) else {
      out.line(
        (asking ? "not confirmed" : "dry run")
          + ": nothing was changed; run again with --yes to revoke \(SummaryLine.count(actionable.count, "key"))")
      throw ExitCode(code | ExitStatus.liveKey)
    }

    let log = try AppendOnlyFile(path: auditLog, private: false)
    let newKeys = try newKeysFile.map { try AppendOnlyFile(path: $0, private: true) }
    let earlier = AppendOnlyFile.records(at: auditLog)
    var attempted: [RevocationPlan.Target] = []
    var intents: [String: String] = [:]
    var failed: [String: String] = [:]
    for target in actionable {
      if replace, let newKeys {
        if let problem = ensureReplacement(
          for: target, session: session, inventory: inventory, earlier: earlier, log: log, newKeys: newKeys, out: out)
        {
          failed[target.key.id] = problem
          continue
        }
      }
      attempted.append(target)
      let id = target.key.id
      // On disk before the request leaves: a run killed before the answer still names the key.
      let intent = try log.intend("revoke", record("intent", target, status: nil, outcome: "pending"))
      intents[id] = intent
      switch session.attempt({ client in try await client.revokeKeyWithStatus(id: id) }) {
      case .success(let (result, status)):
        let outcome = result == .revoked ? "revoked" : "already-gone"
        try log.append(record("revoke", target, status: status, outcome: outcome, intent: intent))
        out.line(
          "revoked \(describe(target))"
            + (result == .alreadyGone ? ": the server no longer knew it (HTTP \(status)); checking" : ""))
      case .failure(let error):
        let status = (error as? FairAPIError)?.status
        // No answer settles whether it was applied: the intent stays open until the listing below
        // (or, if that fails too, the next run) says.
        var entry = record("revoke", target, status: status, outcome: "failed", detail: "\(error)")
        entry["for_intent"] = intent
        try log.append(entry)
        out.line("revoke of \(describe(target)) failed: \(error); checking whether the server applied it")
      }
    }

    // Confirm from a fresh listing: a key counts as revoked only once the account no longer lists it.
    let check = session.attempt { client in try await client.listKeys() }
    switch check {
    case .failure(let error):
      for target in attempted where failed[target.key.id] == nil {
        try log.append(
          record(
            "confirm", target, status: (error as? FairAPIError)?.status, outcome: "unconfirmed", detail: "\(error)"))
        failed[target.key.id] = "could not be confirmed: \(error)"
      }
    case .success(let keys):
      let listed = Set(keys.map(\.id))
      for target in attempted {
        let gone = !listed.contains(target.key.id)
        try log.append(
          record(
            "confirm", target, status: 200, outcome: gone ? "gone" : "still-listed", intent: intents[target.key.id]))
        if !gone { failed[target.key.id] = "still listed by the server after the revoke" }
      }
    }

    let done = actionable.filter { failed[$0.key.id] == nil }
    out.line("revoked and confirmed gone: \(SummaryLine.count(done.count, "key")) of \(actionable.count)")
    if !failed.isEmpty {
      out.line("NOT revoked (run again to retry):")
      for target in actionable where failed[target.key.id] != nil {
        out.line("  \(describe(target)): \(failed[target.key.id]!)")
      }
      code |= ExitStatus.apiFailure | ExitStatus.liveKey
    }
    out.line("audit log: \(auditLog)")
    throw ExitCode(code)
  }

  /// The findings to act on, cross-referenced with `inventory`.
  private func findings(inventory: KeyInventory) throws -> [Finding] {
    if let report {
      var parsed = try ReportFile.load(report)
      inventory.crossReference(&parsed.findings, now: Date().timeIntervalSince1970)
      return parsed.findings
    }
    let path = repo ?? "."
    let scanned = try InventoryScan.repository(path, inventory: inventory, quiet: true, cache: .inGitDirectory)
    if !scanned.summary.isComplete {
      Terminal.standardError(
        "fairscan: the scan of \(path) was incomplete (\(scanned.summary.incomplete.joined(separator: "; "))): keys only in what could not be read are not in the plan"
      )
    }
    return scanned.findings
  }

  /// `--yes`, or a yes typed at a terminal; otherwise a dry run.
  private func confirmed(count n: Int) throws -> Bool {
    if yes { return true }
    if dryRun || !Terminal.isTTY(0) || !Terminal.isTTY(2) { return false }
    Terminal.write(Array("Revoke \(SummaryLine.count(n, "key")) now? [y/N] ".utf8), to: 2)
    let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
    return answer == "y" || answer == "yes"
  }

  /// With `--replace`: a replacement key exists (made now, or by an earlier run on record in the
  /// audit log) before the old one is revoked. Returns why not, when it does not.
  private func ensureReplacement(
    for target: RevocationPlan.Target, session: FairSession, inventory: KeyInventory, earlier: [[String: Any]],
    log: AppendOnlyFile, newKeys: AppendOnlyFile, out: RevokeOutput
  ) -> String? {
    let name = Self.replacementName(for: target.key)
    let listed = inventory.keys.filter { $0.name == name }
    let madeBefore = earlier.contains {
      $0["action"] as? String == "create-replacement" && $0["replaces"] as? String == target.key.id
        && $0["outcome"] as? String == "created"
    }
    if !listed.isEmpty {
      if madeBefore {
        out.line("replacement \(name) was created by an earlier run (see \(newKeysFile ?? "the new keys file"))")
        return nil
      }
      return
        "a key named \(name) already exists but no earlier run recorded creating it: its key may have been lost; check it with 'fairscan keys list', revoke it if so, and run again"
    }
    let days = Self.lifetimeDays(target.key)
    var pending = record("intent", target, status: nil, outcome: "pending")
    pending["new_key_name"] = name
    let intent: String
    do { intent = try log.intend("create-replacement", pending) } catch {
      return "the audit log could not be written (\(error)), so no replacement was created"
    }
    let result = session.attempt { client in try await client.createKey(name: name, expirationDays: days) }
    switch result {
    case .failure(let error):
      try? log.append(
        record(
          "create-replacement", target, status: (error as? FairAPIError)?.status, outcome: "failed", detail: "\(error)",
          intent: intent))
      return
        "its replacement could not be created (\(error)), so it was not revoked; run without --replace to revoke it anyway"
    case .success(let created):
      do {
        try newKeys.append([
          "id": created.id, "name": created.name, "replaces": target.key.id, "created": created.created ?? "",
          "expires_at": created.expiresAt ?? NSNull(), "key": created.key.revealed,
        ])
        var entry = record("create-replacement", target, status: 200, outcome: "created", intent: intent)
        entry["new_key_id"] = created.id
        entry["new_key_name"] = created.name
        entry["replaces"] = target.key.id
        try log.append(entry)
      } catch {
        return "replacement \(created.id) was created but could not be saved (\(error)): revoke it, then run again"
      }
      out.line(
        "created replacement \(TerminalSafe.string(created.id)) (\(TerminalSafe.string(created.name))): its key is in \(newKeysFile!)"
      )
      return nil
    }
  }

  /// The replacement's name: the old name, `-rotated-` and the first 8 characters of the old
  /// key's id, so a re-run finds it.
  static func replacementName(for key: KeyReference) -> String {
    "\(key.name)-rotated-\(key.id.prefix(8))"
  }

  /// The old key's lifetime in whole days (rounded up; 0 when it never expires).
  static func lifetimeDays(_ key: KeyReference) -> Int {
    guard let expires = key.expiresAt.flatMap(ISODate.parse) else { return 0 }
    let start = key.created.flatMap(ISODate.parse) ?? Date().timeIntervalSince1970
    return max(1, Int(((expires - start) / 86_400).rounded(.up)))
  }

  /// One audit-log line: never the key, only a prefix of its SHA-256.
  private func record(
    _ action: String, _ target: RevocationPlan.Target, status: Int?, outcome: String, detail: String? = nil,
    intent: String? = nil
  ) -> [String: Any] {
    var entry: [String: Any] = [
      "time": ISODate.utc(Int64(Date().timeIntervalSince1970)), "action": action, "key_id": target.key.id,
      "key_name": target.key.name, "key_sha256_prefix": target.hashPrefix, "outcome": outcome,
      "reason": [
        "fingerprints": target.fingerprints, "locations": Array(target.places.prefix(50)),
        "locations_total": target.places.count,
      ] as [String: Any],
      "http_status": status.map { $0 as Any } ?? NSNull(),
    ]
    if let detail { entry["detail"] = detail }
    if let intent { entry["intent_id"] = intent }
    return entry
  }

  /// Settles the open intents of earlier runs (see `AppendOnlyFile.openIntents`) against the
  /// listing just read, which is complete: a revoke whose key is no longer listed was applied
  /// (`gone`), one whose key is still listed was not (`not-applied`); a create whose key is
  /// listed by name was applied, its key unknown (`created-key-lost`), else `not-applied`.
  private func reconcileOpenIntents(inventory: KeyInventory, out: RevokeOutput) throws {
    guard FileManager.default.fileExists(atPath: auditLog) else { return }
    let open = AppendOnlyFile.openIntents(in: AppendOnlyFile.records(at: auditLog))
    guard !open.isEmpty else { return }
    let log = try AppendOnlyFile(path: auditLog, private: false)
    let listedIDs = Set(inventory.keys.map(\.id))
    let listedNames = Set(inventory.keys.map(\.name))
    for intent in open {
      let action = intent["intended_action"] as? String ?? "?"
      let keyID = intent["key_id"] as? String ?? ""
      var entry = intent
      entry["action"] = "reconcile"
      entry["time"] = ISODate.utc(Int64(Date().timeIntervalSince1970))
      entry["http_status"] = 200
      let outcome: String
      switch action {
      case "revoke":
        outcome = listedIDs.contains(keyID) ? "not-applied" : "gone"
        entry["detail"] =
          outcome == "gone"
          ? "an earlier run was stopped before the answer; the key is no longer listed"
          : "an earlier run was stopped before the answer; the key is still listed"
      case "create-replacement":
        let name = intent["new_key_name"] as? String ?? ""
        outcome = listedNames.contains(name) ? "created-key-lost" : "not-applied"
        entry["detail"] =
          outcome == "not-applied"
          ? "an earlier run was stopped before the answer; no key named \(name) is listed"
          : "an earlier run was stopped before the answer; \(name) is listed but its key was never saved: revoke it"
      default:
        outcome = "unknown-action"
      }
      entry["outcome"] = outcome
      try log.append(entry)
      out.line("audit log: the \(action) of key \(TerminalSafe.string(keyID)) left open by an earlier run: \(outcome)")
    }
  }

  private func describe(_ target: RevocationPlan.Target) -> String {
    "key \(TerminalSafe.string(target.key.id)) (\(TerminalSafe.string(target.key.name)))"
  }
}
