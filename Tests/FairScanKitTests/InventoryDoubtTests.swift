import FairScanDigest
import Foundation
import XCTest
@testable import FairScanKit

/// An inventory that contradicts itself, or lists hashes fairscan cannot compare, is never
/// acted on and never read as "not yours": the findings it concerns are `indeterminate`.
final class InventoryDoubtTests: XCTestCase {
  let leaked = "q3Vd8Lr0_ZpXk2NwTf7yHs5Jc-Gm9aBeU4oWi1RtQnE"
  let other = "Hn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiN"
  let now = ISODate.parse("2026-06-01T00:00:00")!

  func sha(_ s: String) -> String { SHA256.hex(Array(s.utf8)) }

  func finding(_ secret: String) -> Finding {
    Finding(
      ruleID: "fair.api-key", ruleName: "r", severity: .high, secret: Redaction.redact(Array(secret.utf8)),
      secretSHA256: sha(secret), fingerprint: "f-\(secret.prefix(4))", path: ".env", line: 1, column: 1, locations: [])
  }

  func testAnIdListedTwiceWithDifferentHashesIsRefused() {
    let inventory = KeyInventory(keys: [
      InventoryKey(id: "k-1", name: "ci", keyHash: sha(leaked)),
      InventoryKey(id: "k-1", name: "ci", keyHash: sha(other)),
    ])
    var findings = [finding(leaked)]
    inventory.crossReference(&findings, now: now)
    XCTAssertEqual(findings[0].keyStatus, .indeterminate)
    XCTAssertEqual(findings[0].key?.id, "k-1", "the report still says which key")
    let plan = RevocationPlan(findings: findings, inventory: inventory)
    XCTAssertEqual(plan.actionable, [])
    XCTAssertEqual(plan.refused.map(\.key.id), ["k-1"])
    XCTAssertTrue(
      plan.refused[0].refusal!.contains("id k-1 is listed 2 times with different key_hash"), plan.refused[0].refusal!)
    XCTAssertTrue(inventory.doubt(about: findings, problem: nil)!.contains("1 FAIR finding is indeterminate"))
  }

  func testTwoKeysWithOneHashAreAmbiguous() {
    let inventory = KeyInventory(keys: [
      InventoryKey(id: "k-1", name: "ci", keyHash: sha(leaked)),
      InventoryKey(id: "k-2", name: "prod", keyHash: sha(leaked).uppercased()),
    ])
    var findings = [finding(leaked)]
    inventory.crossReference(&findings, now: now)
    XCTAssertEqual(findings[0].keyStatus, .indeterminate)
    let plan = RevocationPlan(findings: findings, inventory: inventory)
    XCTAssertEqual(plan.actionable, [])
    XCTAssertTrue(
      plan.refused[0].refusal!.contains("ambiguous: 2 listed keys (ids k-1, k-2)"), plan.refused[0].refusal!)
  }

  func testAHashOfUnknownFormatMakesTheOthersIndeterminate() {
    for odd in [
      String(sha(leaked).prefix(16)), "$2b$12$abcdefghijklmnopqrstuv", "", "zz" + String(sha(leaked).dropFirst(2)),
    ] {
      let inventory = KeyInventory(keys: [
        InventoryKey(id: "k-1", name: "ci", keyHash: odd),
        InventoryKey(id: "k-2", name: "prod", keyHash: sha(other)),
      ])
      var findings = [finding(leaked)]
      inventory.crossReference(&findings, now: now)
      XCTAssertEqual(findings[0].keyStatus, .indeterminate, "key_hash \(odd)")
      XCTAssertEqual(inventory.matchDigests, [], "key_hash \(odd)")
      XCTAssertTrue(inventory.doubt(about: findings, problem: nil)!.contains("cannot compare"), "key_hash \(odd)")
    }
  }

  func testSHA512AndPlainShapes() {
    let sha512 = KeyInventory(keys: [InventoryKey(id: "k", name: "n", keyHash: sha(leaked))], digest: .sha512)
    XCTAssertFalse(sha512.isComparable(sha(leaked)), "64 hex digits are not a SHA-512")
    XCTAssertTrue(sha512.isComparable(SHA512.hex(Array(leaked.utf8))))
    let plain = KeyInventory(keys: [InventoryKey(id: "k", name: "n", keyHash: leaked)], digest: .plain)
    XCTAssertTrue(plain.isComparable(leaked))
    XCTAssertFalse(plain.isComparable("$2b$12$abcdefghijklmnopqrstuv"))
  }

  func testVerificationMarksTheReportIncompleteWhenAFindingStaysIndeterminate() {
    let inventory = KeyInventory(keys: [InventoryKey(id: "k-1", name: "ci", keyHash: String(sha(leaked).prefix(16)))])
    var report = ScanReport(version: "t", target: "t", findings: [finding(leaked)], summary: ScanSummary(), rules: [])
    KeyVerification(inventory: inventory).apply(to: &report, now: now)
    XCTAssertEqual(report.findings[0].keyStatus, .indeterminate)
    XCTAssertFalse(report.summary.isComplete)
    XCTAssertTrue(report.summary.incomplete.joined().contains("indeterminate"), report.summary.incomplete.joined())
  }

  func testAConsistentInventoryStaysComplete() {
    let inventory = KeyInventory(keys: [InventoryKey(id: "k-1", name: "ci", keyHash: sha(leaked))])
    var report = ScanReport(
      version: "t", target: "t", findings: [finding(leaked), finding(other)], summary: ScanSummary(), rules: [])
    KeyVerification(inventory: inventory).apply(to: &report, now: now)
    XCTAssertEqual(report.findings.map(\.keyStatus), [.live, .notInInventory])
    XCTAssertTrue(report.summary.isComplete)
  }

  /// `contradictions` names every record the listing contradicts itself about, and only those;
  /// the audit keeps auditing them but does not vouch for them (a `not_checked` reason).
  func testContradictionsNameEachRecordAndTheAuditDoesNotVouchForThem() {
    let third = String(other.reversed())
    let inventory = KeyInventory(keys: [
      InventoryKey(id: "k-1", name: "ci", keyHash: sha(leaked)),
      InventoryKey(id: "k-1", name: "ci", keyHash: sha(other)),
      InventoryKey(id: "k-2", name: "prod", keyHash: sha(third)),
      InventoryKey(id: "k-3", name: "dev", keyHash: sha(third).uppercased()),
      InventoryKey(id: "k-4", name: "web", keyHash: sha("fine")),
      InventoryKey(id: "k-5", name: "old", keyHash: sha("same")),
      InventoryKey(id: "k-5", name: "renamed", keyHash: sha("same")),
    ])
    let c = inventory.contradictions
    XCTAssertEqual(Set(c.keys), ["k-1", "k-2", "k-3", "k-5"])
    XCTAssertEqual(c["k-1"], "inconsistent inventory: id k-1 is listed 2 times with different key_hash values")
    XCTAssertEqual(c["k-2"], "ambiguous: 2 listed keys (ids k-2, k-3) have this key_hash")
    XCTAssertEqual(c["k-3"], c["k-2"])
    XCTAssertEqual(c["k-5"], "inconsistent inventory: id k-5 is listed 2 times with different fields")
    XCTAssertEqual(inventory.refusal(secretSHA256: sha(third), secret: nil), c["k-2"])
    XCTAssertNil(inventory.refusal(secretSHA256: sha("fine"), secret: nil))

    let audited = KeyAudit.audit(inventory.keys, now: now, contradictions: c)
    XCTAssertEqual(
      audited.filter { $0.notChecked.contains { $0.hasPrefix("inventory: ") } }.map(\.id).sorted(),
      ["k-1", "k-1", "k-2", "k-3", "k-5", "k-5"])
    XCTAssertEqual(audited.first { $0.id == "k-4" }?.notChecked.filter { $0.hasPrefix("inventory: ") }, [])
  }
}
