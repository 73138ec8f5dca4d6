import FairScanDigest
import Foundation
import XCTest
@testable import FairScanKit

/// `fairscan audit`'s rules over an inventory, a clock and leaks: each one firing and not, at its boundaries.
final class KeyAuditTests: XCTestCase {
  let now = ISODate.parse("2026-06-01T00:00:00")!
  let policy = KeyAuditPolicy(maxAgeDays: 90, expiringWithinDays: 14)

  /// A timestamp `days` (fractions allowed) before `now` (negative: after), as FAIR writes it.
  func date(_ days: Double) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date(timeIntervalSince1970: now - (days * 86_400).rounded()))
  }

  func key(_ name: String = "ci-production", id: String = "k-1", created: Double? = 10, expires: Double? = -60)
    -> InventoryKey
  {
    InventoryKey(
      id: id, name: name, keyHash: String(repeating: "a", count: 64), created: created.map(date),
      expiresAt: expires.map(date))
  }

  func kinds(_ key: InventoryKey, policy: KeyAuditPolicy? = nil, leaks: [KeyLeak] = []) -> [KeyIssueKind] {
    KeyAudit.audit(key, now: now, policy: policy ?? self.policy, leaks: leaks).issues.map(\.kind)
  }

  func testACleanKeyHasNoIssues() {
    let entry = KeyAudit.audit(key(), now: now, policy: policy, leaks: [])
    XCTAssertEqual(entry.issues, [])
    XCTAssertEqual(entry.notChecked, [])
    XCTAssertEqual(date(0), "2026-06-01T00:00:00", "the fixture's dates look like FAIR's")
  }

  func testNeverExpires() {
    XCTAssertEqual(kinds(key(expires: nil)), [.neverExpires])
    XCTAssertEqual(
      kinds(InventoryKey(id: "k", name: "ci", keyHash: "", created: date(1), expiresAt: " ")), [.neverExpires],
      "an empty expires_at is no expiry")
    XCTAssertEqual(kinds(key(expires: -365)), [], "a far expiry is fine")
  }

  func testAgeBoundary() {
    XCTAssertEqual(kinds(key(created: 90)), [], "exactly 90 days is not older than 90 days")
    XCTAssertEqual(kinds(key(created: 90 + 1.0 / 86_400)), [.tooOld], "one second more is")
    let old = KeyAudit.audit(key(created: 400), now: now, policy: policy, leaks: [])
    XCTAssertEqual(old.issues.first?.days, 400)
    XCTAssertTrue(old.issues[0].message.contains("400 days ago"), old.issues[0].message)
    XCTAssertEqual(kinds(key(created: 400), policy: KeyAuditPolicy(maxAgeDays: 500)), [])
    XCTAssertEqual(kinds(key(created: 4000), policy: KeyAuditPolicy(maxAgeDays: 0)), [], "0 turns the check off")
    XCTAssertEqual(kinds(key(created: -1)), [], "a key created in the future (clock skew) is not old")
  }

  func testExpiringSoonBoundary() {
    XCTAssertEqual(kinds(key(expires: -14)), [.expiringSoon], "exactly 14 days left is within 14 days")
    XCTAssertEqual(kinds(key(expires: -14 - 1.0 / 86_400)), [], "one second more is not")
    let soon = KeyAudit.audit(key(expires: -2.5), now: now, policy: policy, leaks: [])
    XCTAssertEqual(soon.issues.map(\.days), [3], "days left round up")
    XCTAssertEqual(kinds(key(expires: -1), policy: KeyAuditPolicy(expiringWithinDays: 0)), [], "0 turns the check off")
  }

  func testExpiredAtTheMomentOfExpiry() {
    XCTAssertEqual(kinds(key(expires: 0)), [.expired], "expires_at == now is expired, as in the cross-reference")
    XCTAssertEqual(kinds(key(expires: -1.0 / 86_400)), [.expiringSoon], "a second before it is not")
    let dead = KeyAudit.audit(
      key("shared-prod-and-dev", created: 400, expires: 30), now: now, policy: policy, leaks: [])
    XCTAssertEqual(dead.issues.map(\.kind), [.expired], "a dead key is only said to be dead")
    XCTAssertEqual(dead.issues[0].days, 30)
  }

  func testSeveralIssuesMostUrgentFirst() {
    let leak = KeyLeak(path: ".env", line: 1, ruleID: "fair.api-key", fingerprint: "f", status: .live)
    XCTAssertEqual(
      kinds(key("team-prod-staging", created: 200, expires: nil), leaks: [leak]),
      [.leaked, .neverExpires, .tooOld, .sharedEnvironments, .sharedUsers])
  }

  func testUnreadableDatesAreNotCheckedNotGuessed() {
    let entry = KeyAudit.audit(
      InventoryKey(id: "k", name: "ci", keyHash: "", created: "last week", expiresAt: "soon"), now: now, policy: policy,
      leaks: [])
    XCTAssertEqual(entry.issues, [], "an unreadable expires_at is not 'never expires'")
    XCTAssertEqual(entry.notChecked.count, 2, "\(entry.notChecked)")
    XCTAssertEqual(
      KeyAudit.audit(InventoryKey(id: "k", name: "ci", keyHash: ""), now: now, policy: policy, leaks: []).notChecked,
      ["age: no created date"])
  }

  // MARK: names

  func sharing(_ name: String) -> (envs: [String], envWords: [String], users: [String]) {
    let s = KeyNames.sharing(name)
    return (s.environments, s.environmentWords, s.userWords)
  }

  func testNamesOfSeveralEnvironments() {
    for name in ["prod-and-staging", "dev/prod", "stagingProd", "PROD_STG", "ci production+staging", "uat, prod"] {
      XCTAssertEqual(KeyNames.sharing(name).environments.count, 2, name)
      XCTAssertTrue(KeyNames.sharing(name).userWords.isEmpty, name)
    }
    XCTAssertEqual(sharing("dev/prod").envs, ["development", "production"])
    XCTAssertEqual(sharing("all-envs").envWords, ["all envs"])
    XCTAssertEqual(sharing("anyEnvironment").envWords, ["any environment"])
    XCTAssertEqual(sharing("non-prod").envWords, ["non prod"])
    XCTAssertEqual(sharing("nonprod").envWords, ["nonprod"])
    XCTAssertEqual(sharing("ci-envs").envWords, ["envs"])
  }

  func testNamesOfOneEnvironmentAreFine() {
    for name in [
      "production", "ci-prod", "prod-live", "local-dev", "integration-test", "qa-testing", "prodigy",
      "staged-rollout", "devops-bot", "product-catalog", "stagecoach", "ci", "backend-2", "environment",
    ] {
      XCTAssertTrue(KeyNames.sharing(name).isEmpty, "\(name): \(KeyNames.sharing(name))")
    }
  }

  func testNamesOfSeveralUsers() {
    XCTAssertEqual(sharing("shared-ci").users, ["shared"])
    XCTAssertEqual(sharing("team").users, ["team"])
    XCTAssertEqual(sharing("common_key").users, ["common"])
    XCTAssertEqual(sharing("everyone").users, ["everyone"])
    XCTAssertEqual(sharing("alice+bob").users, ["alice+bob"])
    XCTAssertEqual(sharing("ana & luis prod").users, ["ana+luis"])
    XCTAssertEqual(sharing("all-users").users, ["all users"])
    XCTAssertEqual(sharing("multiUser").users, ["multi user"])
    XCTAssertEqual(sharing("shared-env").envWords, ["shared env"], "shared environments, not users")
    XCTAssertTrue(sharing("shared-env").users.isEmpty)
    XCTAssertTrue(sharing("prod+staging").users.isEmpty, "two environments, said once")
    XCTAssertTrue(sharing("key+1").users.isEmpty, "a number is no one")
    XCTAssertEqual(sharing("prod-prod-staging").envWords, ["prod", "staging"], "each word once")
  }

  func testNamesOfOneUserAreFine() {
    for name in [
      "alice", "alice-laptop", "bob_ci", "sharepoint-sync", "teamcity", "commonwealth", "users-service",
      "alices-laptop",
    ] {
      XCTAssertTrue(KeyNames.sharing(name).userWords.isEmpty, "\(name): \(KeyNames.sharing(name))")
    }
  }

  func testTokenizer() {
    XCTAssertEqual(KeyNames.tokenize("prodAndStaging").words, ["prod", "and", "staging"])
    XCTAssertEqual(KeyNames.tokenize("APIKeyProd2").words, ["api", "key", "prod", "2"])
    XCTAssertEqual(KeyNames.tokenize("alice + bob-ci").joins, [0])
    XCTAssertEqual(KeyNames.tokenize("alice+-bob").joins, [], "a join needs the two words side by side")
    XCTAssertEqual(KeyNames.tokenize("Ünïcode_Prod").words, ["ünïcode", "prod"])
  }

  // MARK: leaks

  func finding(_ path: String, line: Int = 1, status: KeyStatus?, keyID: String?) -> Finding {
    var f = Finding(
      ruleID: "fair.api-key", ruleName: "r", severity: .high, secret: "q3Vd…(43)", secretSHA256: "ab",
      fingerprint: path,
      path: path, line: line, column: 1, locations: [], presentAtHead: true, inWorktree: true)
    f.keyStatus = status
    f.key = keyID.map { KeyReference(id: $0, name: "n", exposedSince: "2026-05-01T00:00:00Z", exposureDays: 31) }
    return f
  }

  func testLeaksFromCrossReferencedFindings() {
    let leaks = KeyAudit.leaks(in: [
      finding("b.env", status: .live, keyID: "k-1"),
      finding("a.env", status: .live, keyID: "k-1"),
      finding("a.env", status: .live, keyID: "k-1"),  // the same place twice (two rules)
      finding("c.env", status: .expired, keyID: "k-2"),
      finding("d.env", status: .notInInventory, keyID: nil),
      finding("e.env", status: .indeterminate, keyID: nil),
    ])
    XCTAssertEqual(Set(leaks.keys), ["k-1", "k-2"])
    XCTAssertEqual(leaks["k-1"]?.map(\.path), ["a.env", "b.env"])
    XCTAssertEqual(leaks["k-2"]?.first?.status, .expired)

    let live = KeyAudit.audit(key(id: "k-1"), now: now, policy: policy, leaks: leaks["k-1"]!)
    XCTAssertTrue(live.leakedLive)
    let issue = live.issues[0]
    XCTAssertEqual(issue.kind, .leaked)
    XCTAssertTrue(issue.message.hasPrefix("live key found in a.env:1, b.env:1"), issue.message)
    XCTAssertTrue(issue.message.contains("31 days"), issue.message)
    XCTAssertTrue(issue.hint.contains("fairscan keys revoke k-1"), issue.hint)
    let dead = KeyAudit.audit(key(id: "k-2", expires: 1), now: now, policy: policy, leaks: leaks["k-2"]!)
    XCTAssertEqual(dead.issues.map(\.kind), [.leaked, .expired])
    XCTAssertFalse(dead.leakedLive)
  }

  func testAuditSortsKeysAndMatchesLeaksById() {
    let entries = KeyAudit.audit(
      [key("b", id: "k-2"), key("a", id: "k-3"), key("a", id: "k-1")], now: now, policy: policy,
      leaks: ["k-3": [KeyLeak(path: "x", line: 2, ruleID: "fair.api-key", fingerprint: "f", status: .live)]])
    XCTAssertEqual(entries.map(\.id), ["k-1", "k-3", "k-2"])
    XCTAssertEqual(entries.map { $0.issues.map(\.kind) }, [[], [.leaked], []])
  }

  // MARK: report

  func testReportNeverHoldsKeyHashesAndCountsIssues() throws {
    let hash = SHA256.hex(Array("q3Vd8Lr0_ZpXk2NwTf7yHs5Jc-Gm9aBeU4oWi1RtQnE".utf8))
    let keys = [InventoryKey(id: "k-1", name: "team\u{1b}[31m", keyHash: hash, created: date(200), expiresAt: nil)]
    let report = KeyAuditReport(
      auditedAt: "2026-06-01T00:00:00Z", policy: policy, inventory: .init(complete: true, keys: 1),
      leakCheck: .init(source: .none), keys: KeyAudit.audit(keys, now: now, policy: policy))
    XCTAssertEqual(report.summary.issues, ["never-expires": 1, "too-old": 1, "shared-users": 1])
    XCTAssertEqual(report.summary.keysWithIssues, 1)
    XCTAssertTrue(report.hasIssues)
    XCTAssertFalse(report.isIncomplete)
    let json = report.json()
    XCTAssertFalse(json.contains(hash) || json.contains("key_hash"))
    let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    XCTAssertEqual(
      Set(object.keys), ["tool", "version", "audited_at", "policy", "inventory", "leak_check", "keys", "summary"])
    let text = report.text()
    XCTAssertFalse(text.contains("\u{1b}"), "names from the server are made terminal-safe")
    XCTAssertEqual(text.split(separator: "\n").count, 4, text)
    XCTAssertTrue(
      text.hasSuffix(
        "audit: 1 key, 1 with issues: 1 never-expires, 1 too-old, 1 shared-users; leaks not checked (--repo PATH or --report FILE)\n"
      ),
      text)
  }
}
