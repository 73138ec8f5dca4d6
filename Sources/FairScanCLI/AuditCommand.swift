import ArgumentParser
import FairScanKit
import Foundation

/// `fairscan audit`: the key inventory's hygiene against the platform's practices, and,
/// with `--repo` or `--report`, which of the keys are leaked.
struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "Check your FAIR keys against the platform's practices: expiry, age, shared names and leaks.",
    discussion: """
      Reads the key inventory once and reports, per key: leaked (with --repo or --report), expired, \
      expiring-soon, never-expires, too-old, shared-environments and shared-users (names such as \
      prod-and-staging, all-envs, shared-ci, alice+bob). With --repo PATH the repository's working tree and \
      full history are scanned and found secrets are hashed and compared locally: nothing found is sent. \
      Exit bits: 1 an issue; 2 the audit is incomplete (the scan or report is, a finding could not be \
      compared, a key's date is unreadable); 4 the inventory could not be read (nothing audited); \
      8 a live key of the account is leaked; 64 usage.
      """)

  enum Format: String, ExpressibleByArgument { case text, json }

  @Option(name: .customLong("max-age-days"), help: "Report keys created more than N days ago (0: off).")
  var maxAgeDays: Int = 90

  @Option(name: .customLong("expiring-within-days"), help: "Report keys that expire within N days (0: off).")
  var expiringWithinDays: Int = 14

  @Option(help: ArgumentHelp("Look for leaked keys in an earlier JSON report (by secret_sha256).", valueName: "file"))
  var report: String?

  @Option(help: ArgumentHelp("Look for leaked keys in a repository: working tree and full history.", valueName: "path"))
  var repo: String?

  @Option(help: "text or json.") var format: Format = .text

  @OptionGroup var api: APIFlags

  func validate() throws {
    if maxAgeDays < 0 { throw ValidationError("--max-age-days must be 0 or more") }
    if expiringWithinDays < 0 { throw ValidationError("--expiring-within-days must be 0 or more") }
    if report != nil && repo != nil { throw ValidationError("--report and --repo cannot be combined") }
  }

  func run() throws {
    // Usage errors first, before any call to the API.
    let scanReport = try report.map(ReportFile.load)
    if let repo, !FileManager.default.fileExists(atPath: repo) { throw CommandFailure.usage("no such path: \(repo)") }

    let session = try FairSession.open(caFile: api.caFile)
    let (inventory, failure) = session.inventory()
    session.close()
    let policy = KeyAuditPolicy(maxAgeDays: maxAgeDays, expiringWithinDays: expiringWithinDays)
    let auditedAt = ISODate.utc(Int64(Date().timeIntervalSince1970))
    if let failure {
      // Nothing to audit, and no claim about leaks: a key missing from a partial list is not "not leaked".
      let result = KeyAuditReport(
        auditedAt: auditedAt, policy: policy, inventory: .init(complete: false, keys: 0, error: failure),
        leakCheck: .init(source: .none), keys: [])
      if format == .json { Terminal.write(Array(result.json().utf8), to: 1) }
      throw CommandFailure(
        message: "the key inventory could not be read: \(failure); nothing audited", code: ExitStatus.apiFailure)
    }

    var leakCheck = KeyAuditReport.LeakCheck(source: .none)
    var findings: [Finding] = []
    if var parsed = scanReport, let report {
      inventory.crossReference(&parsed.findings, now: Date().timeIntervalSince1970)
      findings = parsed.findings
      leakCheck = .init(source: .report, target: report, incomplete: parsed.summary.incomplete)
    } else if let repo {
      let scanned = try InventoryScan.repository(repo, inventory: inventory, quiet: false)
      findings = scanned.findings
      leakCheck = .init(source: .repo, target: repo, incomplete: scanned.summary.incomplete)
      Terminal.standardError(SummaryLine.make(scanned.summary))
    }
    let uncompared = findings.filter { $0.keyStatus == .indeterminate }.count
    if uncompared > 0 {
      var reason = "\(uncompared) FAIR finding\(uncompared == 1 ? "" : "s") could not be compared with the inventory"
      if inventory.digest == .plain && leakCheck.source == .report {
        reason += " (it lists plaintext keys: a report has only hashes; use --repo)"
      }
      leakCheck.incomplete.append(reason)
    }

    let now = Date().timeIntervalSince1970
    let result = KeyAuditReport(
      auditedAt: auditedAt, policy: policy, inventory: .init(complete: true, keys: inventory.keys.count),
      leakCheck: leakCheck,
      keys: KeyAudit.audit(
        inventory.keys, now: now, policy: policy, leaks: KeyAudit.leaks(in: findings),
        contradictions: inventory.contradictions))
    Terminal.write(Array((format == .json ? result.json() : result.text()).utf8), to: 1)
    throw ExitCode(
      (result.hasIssues ? ExitStatus.findings : 0) | (result.isIncomplete ? ExitStatus.incomplete : 0)
        | (result.summary.liveKeysLeaked > 0 ? ExitStatus.liveKey : 0))
  }
}
