import FairScanDigest
import Foundation
import XCTest
@testable import FairScanKit

/// Findings against the account's key inventory, compared locally by hash.
final class KeyInventoryTests: XCTestCase {
  let live = "q3Vd8Lr0_ZpXk2NwTf7yHs5Jc-Gm9aBeU4oWi1RtQnE"
  let old = "Hn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiN"
  let foreign = "Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4"
  let now = ISODate.parse("2026-06-01T00:00:00")!

  func finding(_ secret: String, rule: String = "fair.api-key", firstCommit: String? = "2026-05-01T12:00:00Z")
    -> Finding
  {
    let sha = SHA256.hex(Array(secret.utf8))
    let commits = firstCommit.map { [CommitRef(id: "c1", author: "A", email: "a@x", date: $0, summary: "s")] } ?? []
    let location = Location(
      source: .blob, path: ".env", line: 1, column: 14, endLine: 1, endColumn: 57, byteOffset: 13, byteLength: 43,
      commits: commits)
    return Finding(
      ruleID: rule, ruleName: "r", severity: .high, secret: Redaction.redact(Array(secret.utf8)), secretSHA256: sha,
      fingerprint: "f", path: ".env", line: 1, column: 14, locations: [location])
  }

  var inventory: KeyInventory {
    KeyInventory(keys: [
      InventoryKey(
        id: "k-1", name: "ci", keyHash: SHA256.hex(Array(live.utf8)), created: "2026-04-01T00:00:00", expiresAt: nil),
      InventoryKey(
        id: "k-2", name: "old", keyHash: SHA256.hex(Array(old.utf8)).uppercased(), created: "2025-01-01T00:00:00",
        expiresAt: "2026-01-01T00:00:00"),
    ])
  }

  func testLiveExpiredAndForeignKeys() {
    var findings = [finding(live), finding(old), finding(foreign), finding(live, rule: "aws.secret-access-key")]
    inventory.crossReference(&findings, now: now)
    XCTAssertEqual(findings.map(\.keyStatus), [.live, .expired, .notInInventory, nil])
    let key = try! XCTUnwrap(findings[0].key)
    XCTAssertEqual(key.id, "k-1")
    XCTAssertEqual(key.name, "ci")
    XCTAssertEqual(key.exposedSince, "2026-05-01T12:00:00Z")
    XCTAssertEqual(key.exposureDays, 30, "from the first commit (later than the key's creation) to now")
    XCTAssertNil(findings[2].key)
  }

  func testExposureStartsAtCreationWhenTheCommitIsOlder() {
    var findings = [finding(live, firstCommit: "2026-01-01T00:00:00Z")]
    inventory.crossReference(&findings, now: now)
    XCTAssertEqual(findings[0].key?.exposureDays, 61, "2026-04-01 to 2026-06-01")
  }

  func testAnIncompleteInventoryIsNeverGuessed() {
    var partial = inventory
    partial.complete = false
    var findings = [finding(live), finding(foreign)]
    partial.crossReference(&findings, now: now)
    XCTAssertEqual(findings.map(\.keyStatus), [.indeterminate, .indeterminate])
  }

  func testPlainInventories() {
    let plain = KeyInventory(keys: [InventoryKey(id: "k-9", name: "p", keyHash: live)], digest: .plain)
    var withSecret = [finding(live)]
    plain.crossReference(&withSecret, secrets: [SHA256.hex(Array(live.utf8)): Array(live.utf8)], now: now)
    XCTAssertEqual(withSecret[0].keyStatus, .live)
    var fromReport = [finding(live)]
    plain.crossReference(&fromReport, now: now)
    XCTAssertEqual(
      fromReport[0].keyStatus, .live, "a plain key_hash is hashed and compared with the report's secret_sha256")
    XCTAssertEqual(plain.matchDigests, [SHA256.hex(Array(live.utf8))])
  }

  /// The contract (part B): a salted `key_hash` (bcrypt `$2b$`, `$argon2`, any `$scheme$` crypt
  /// string) cannot be matched offline, whatever the digest setting: only a liveness probe can
  /// tell. A FAIR finding beside such a key is `indeterminate`, never `not-in-inventory`.
  func testASaltedKeyHashIsNeverComparedOffline() {
    let salted = [
      ("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi", "bcrypt"),
      ("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", "bcrypt"),
      ("$2x$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", "bcrypt"),
      ("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "argon2id"),
      ("$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA", "scrypt"),
      ("$pbkdf2-sha256$29000$c2FsdA$aGFzaA", "pbkdf2"),
      ("$6$rounds=5000$c2FsdA$aGFzaA", "6"),
    ]
    let secrets = [SHA256.hex(Array(live.utf8)): Array(live.utf8)]
    for (hash, scheme) in salted {
      XCTAssertEqual(KeyDigest.saltedScheme(hash), scheme, hash)
      for digest in KeyDigest.allCases {
        let inventory = KeyInventory(keys: [InventoryKey(id: "k-3", name: "b", keyHash: hash)], digest: digest)
        XCTAssertFalse(inventory.isComparable(hash), "\(digest): \(hash)")
        XCTAssertEqual(inventory.matchDigests, [], "\(digest): \(hash)")
        for known in [[:], secrets] {
          var findings = [finding(live)]
          inventory.crossReference(&findings, secrets: known, now: now)
          XCTAssertEqual(findings[0].keyStatus, .indeterminate, "\(digest): \(hash)")
          XCTAssertTrue(
            inventory.doubt(about: findings, problem: nil)?.contains("cannot compare") == true, "\(digest): \(hash)")
        }
      }
    }
    XCTAssertNil(KeyDigest.saltedScheme(live))
    XCTAssertNil(KeyDigest.saltedScheme(SHA256.hex(Array(live.utf8))))
  }

  /// A listed `key_hash` against a found secret, under each digest setting.
  func testKeyHashComparison() {
    let secret = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"
    let s256 = KeyDigest.sha256.digest(of: secret)
    let s512 = KeyDigest.sha512.digest(of: secret)
    func matches(_ hash: String, _ found: String, _ digest: KeyDigest = .sha256) -> Bool {
      KeyInventory(keys: [InventoryKey(id: "1", name: "n", keyHash: hash)], digest: digest)
        .key(secretSHA256: SHA256.hex(Array(found.utf8)), secret: Array(found.utf8)) != nil
    }
    XCTAssertTrue(matches(s256, secret))
    XCTAssertTrue(matches(s256.uppercased(), secret, .sha256))
    XCTAssertFalse(matches(s256, secret + "x"))
    XCTAssertFalse(matches(s256, secret, .sha512))
    XCTAssertTrue(matches(s512, secret, .sha512))
    XCTAssertTrue(matches(secret, secret, .plain))
    XCTAssertFalse(matches(secret, secret.lowercased(), .plain))
    XCTAssertFalse(matches(secret, secret, .sha256))
    // No key_hash listed (the client reads a missing one as ""): nothing can be compared.
    let none = KeyInventory(keys: [InventoryKey(id: "1", name: "n", keyHash: "")])
    XCTAssertFalse(none.isComparable(""))
    XCTAssertFalse(none.canCompare(secretKnown: true))
  }

  func testSHA512InventoriesNeedTheSecret() throws {
    let sha512 = KeyInventory(
      keys: [InventoryKey(id: "k-5", name: "s", keyHash: SHA512.hex(Array(live.utf8)))], digest: .sha512)
    var withSecret = [finding(live), finding(foreign)]
    let secrets = [live, foreign].reduce(into: [String: [UInt8]]()) { $0[SHA256.hex(Array($1.utf8))] = Array($1.utf8) }
    sha512.crossReference(&withSecret, secrets: secrets, now: now)
    XCTAssertEqual(withSecret.map(\.keyStatus), [.live, .notInInventory])
    XCTAssertEqual(withSecret[0].key?.id, "k-5")
    var fromReport = [finding(live)]
    sha512.crossReference(&fromReport, now: now)
    XCTAssertEqual(fromReport[0].keyStatus, .indeterminate, "a report keeps only the SHA-256; SHA-512 needs the secret")
    // fair.inventory-match hashes candidate tokens with SHA-512 for such an inventory.
    let set = try RuleSet(rules: [try XCTUnwrap(sha512.matchRule)])
    let hits = try ScanWorker(ruleSet: set).scan(Array("token: \(live)\nother: \(foreign)\n".utf8), path: "x.txt").hits
    XCTAssertEqual(hits.map(\.secret), [Array(live.utf8)])
  }

  func testARevocationPlanHoldsEachLiveKeyOnce() {
    var findings = (0..<1_000).map { i -> Finding in
      var f = finding(live)
      f.fingerprint = "fp\(i)"
      f.path = "s\(i)/.env"
      f.locations[0].path = f.path
      return f
    }
    findings += [finding(old), finding(foreign), finding(live, rule: "fair.key-shared-between-users")]
    inventory.crossReference(&findings, now: now)
    let plan = RevocationPlan(findings: findings)
    XCTAssertEqual(plan.targets.map(\.key.id), ["k-1"])
    XCTAssertEqual(plan.targets[0].fingerprints.count, 1_001)
    XCTAssertEqual(plan.targets[0].places.count, 1_001, "s0..s999 and .env")
    XCTAssertTrue(plan.targets[0].places.contains("s7/.env:1 (commit c1)"))
    XCTAssertEqual(plan.leftAlone, ["expired": 1, "not-in-inventory": 1])
    XCTAssertEqual(plan.targets[0].hashPrefix, String(SHA256.hex(Array(live.utf8)).prefix(12)))
    XCTAssertFalse(plan.hasIndeterminate)
    let own = RevocationPlan(findings: findings, ownKeySHA256: SHA256.hex(Array(live.utf8)))
    XCTAssertTrue(own.targets[0].isOwnKey)
    XCTAssertTrue(own.actionable.isEmpty)
  }

  /// `RevocationPlan.hasIndeterminate`'s promise: a FAIR finding in doubt never becomes a key to
  /// revoke, whatever made it doubtful; the keys whose match is certain stay in the plan.
  func testAFindingInDoubtIsNeverATarget() {
    // A listing that contradicts itself about k-1 (two hashes under one id): k-1 is refused, k-3 is not.
    let contradicted = KeyInventory(keys: [
      InventoryKey(id: "k-1", name: "ci", keyHash: SHA256.hex(Array(live.utf8))),
      InventoryKey(id: "k-1", name: "ci", keyHash: SHA256.hex(Array(old.utf8))),
      InventoryKey(id: "k-3", name: "other", keyHash: SHA256.hex(Array(foreign.utf8))),
    ])
    var findings = [finding(live), finding(foreign)]
    contradicted.crossReference(&findings, now: now)
    XCTAssertEqual(findings.map(\.keyStatus), [.indeterminate, .live])
    let plan = RevocationPlan(findings: findings, inventory: contradicted)
    XCTAssertTrue(plan.hasIndeterminate)
    XCTAssertEqual(plan.targets.map(\.key.id), ["k-3"])
    XCTAssertEqual(plan.actionable.map(\.key.id), ["k-3"])
    XCTAssertEqual(plan.refused.map(\.key.id), ["k-1"])

    // A salted hash in the listing, or a listing read only in part: nothing can be told apart, nothing is a target.
    let salted = KeyInventory(
      keys: inventory.keys + [InventoryKey(id: "k-4", name: "s", keyHash: "$2b$12$abcdefghijklmnopqrstuv")])
    var partial = inventory
    partial.complete = false
    for doubtful in [salted, partial] {
      var findings = [finding(live), finding(old), finding(foreign)]
      doubtful.crossReference(&findings, now: now)
      let plan = RevocationPlan(findings: findings, inventory: doubtful)
      XCTAssertTrue(plan.hasIndeterminate)
      XCTAssertEqual(plan.targets, [])
      XCTAssertEqual(plan.leftAlone, ["indeterminate": 3])
    }

    // Whatever set it: an `indeterminate` finding that names a key is still not acted on.
    var named = finding(live)
    named.keyStatus = .indeterminate
    named.key = KeyReference(id: "k-1", name: "ci", created: nil, expiresAt: nil, exposedSince: nil, exposureDays: nil)
    let alone = RevocationPlan(findings: [named])
    XCTAssertTrue(alone.hasIndeterminate)
    XCTAssertEqual(alone.targets, [])
    XCTAssertEqual(alone.actionable, [])
  }

  func testJWTsGetValidOrExpiredWithoutACall() {
    var token = finding("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln", rule: "fair.access-token")
    token.tokenType = "access"
    token.expired = false
    var expiredToken = token
    expiredToken.expired = true
    var findings = [token, expiredToken]
    KeyInventory(keys: [], complete: false).crossReference(&findings, now: now)
    XCTAssertEqual(findings.map(\.keyStatus), [.valid, .expired])
  }

  func testDates() {
    XCTAssertEqual(ISODate.parse("2026-03-16T11:39:32"), 1_773_661_172)
    XCTAssertEqual(ISODate.parse("2026-03-16T11:39:32Z"), 1_773_661_172)
    XCTAssertEqual(ISODate.parse("2026-03-16T12:39:32+01:00"), 1_773_661_172)
    XCTAssertEqual(ISODate.parse("2026-03-16T11:39:32.500"), 1_773_661_172.5)
    XCTAssertNil(ISODate.parse("yesterday"))
  }
}

/// `--verify` finds the account's keys anywhere, by hash alone.
final class InventoryMatchTests: XCTestCase {
  func testAnyTokenWhoseHashIsAKeyIsFound() throws {
    let key = "Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7"
    let set = try RuleSet(rules: [
      KeyInventory.matchRule(DigestGate(algorithm: .sha256, digests: [SHA256.hex(Array(key.utf8))]))
    ])
    let worker = try ScanWorker(ruleSet: set)
    // No name, no FAIR context: only the hash says it is a key.
    let text = "curl -s localhost:8080/x -d 'payload=\(key)' # other: \(String(key.reversed()))\n"
    let hits = worker.scan(Array(text.utf8), path: "notes.txt").hits
    XCTAssertEqual(hits.map(\.secret), [Array(key.utf8)])
    XCTAssertEqual(set.rules[hits[0].ruleIndex].rule.id, "fair.inventory-match")
    XCTAssertTrue(try ScanWorker(ruleSet: try RuleSet(rules: [])).scan(Array(text.utf8), path: nil).hits.isEmpty)
  }

  func testASpecificRuleKeepsItsFinding() throws {
    let key = "Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7"
    let gate = DigestGate(algorithm: .sha256, digests: [SHA256.hex(Array(key.utf8))])
    let set = try RuleSet(rules: try BuiltinRules.rules() + [KeyInventory.matchRule(gate)])
    let hits = try ScanWorker(ruleSet: set).resolvedHits(Array("FAIR_API_KEY=\(key)\n".utf8), path: ".env")
    XCTAssertEqual(hits.map { set.rules[$0.ruleIndex].rule.id }, ["fair.api-key"])
  }
}

/// A scan with an inventory sets key_status on its findings (the scan still has the secrets).
final class VerifiedScanTests: XCTestCase {
  func testDirectoryScanWithInventory() throws {
    let key = "Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0Rb5"
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fairscan-verify-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("FAIR_API_KEY=\(key)\n".utf8).write(to: folder.appendingPathComponent("app.env"))
    var options = ScanOptions()
    options.keepsSecrets = true
    let verification = KeyVerification(
      inventory: KeyInventory(
        keys: [InventoryKey(id: "k-7", name: "laptop", keyHash: key, created: "2026-01-01T00:00:00")], digest: .plain))
    var report = try DirectoryScanner(
      ruleSet: try RuleSet(rules: try BuiltinRules.rules() + verification.rules), options: options
    )
    .scan(path: folder.path)
    XCTAssertEqual(report.secrets[SHA256.hex(Array(key.utf8))], Array(key.utf8), "kept for the verification stage")
    verification.apply(to: &report)
    XCTAssertTrue(report.secrets.isEmpty, "the stage drops the secrets it compared")
    let finding = try XCTUnwrap(report.findings.first { $0.ruleID == "fair.api-key" })
    XCTAssertEqual(finding.keyStatus, .live, "a plain inventory is compared with the secret the scan holds")
    XCTAssertEqual(finding.key?.id, "k-7")
    XCTAssertNil(finding.key?.exposedSince, "only in a file, no commit")
  }
}
