import FairScanDigest
import XCTest
@testable import FairScanKit

/// `ISODate`: the one reader and writer of ISO-8601 timestamps (FAIR's dates carry no zone: UTC).
final class ISODateTests: XCTestCase {
  let base = 1_773_661_172.0  // 2026-03-16T11:39:32Z

  func testFormats() {
    XCTAssertEqual(ISODate.parse("2026-03-16T11:39:32"), base)
    XCTAssertEqual(ISODate.parse("2026-03-16 11:39:32"), base)
    XCTAssertEqual(ISODate.parse("2026-03-16T11:39:32Z"), base)
    XCTAssertEqual(ISODate.parse("2026-03-16T12:39:32+01:00"), base)
    XCTAssertEqual(ISODate.parse("2026-03-16T06:39:32-0500"), base)
    XCTAssertEqual(ISODate.parse("2026-03-16T11:39:32.250"), base + 0.25)
    XCTAssertEqual(ISODate.parse("2026-03-16T11:39:32.500"), base + 0.5)
    XCTAssertGreaterThan(ISODate.parse("2026-03-16T11:39:32.123456+00:00")! - base, 0.1234)
    XCTAssertEqual(ISODate.parse("2026-03-16"), 1_773_619_200)
    XCTAssertEqual(ISODate.parse("2026-04-15T11:39:32"), 1_776_253_172)
    XCTAssertNotNil(ISODate.parse("2024-02-29T00:00:00"))
    for bad in ["", "2026-02-30T00:00:00", "2026-13-01T00:00:00", "yesterday", "2026-03-16T11:39:32 UTC", "1773661172"]
    {
      XCTAssertNil(ISODate.parse(bad), bad)
    }
  }

  func testUTC() {
    XCTAssertEqual(ISODate.utc(Int64(1_773_661_172)), "2026-03-16T11:39:32Z")
    XCTAssertEqual(ISODate.utc(Int64(0)), "1970-01-01T00:00:00Z")
    XCTAssertEqual(ISODate.utc(Int64(-1)), "1969-12-31T23:59:59Z")
    XCTAssertEqual(ISODate.utc(Int64(951_782_400)), "2000-02-29T00:00:00Z")
    XCTAssertEqual(ISODate.utc(1_773_661_172.75), "2026-03-16T11:39:32Z", "a JWT exp with fractions: its whole second")
    XCTAssertEqual(ISODate.utc(1e300), "9999-12-31T23:59:59Z", "an absurd exp does not trap")
    for seconds: Int64 in [0, 86_399, 1_773_661_172, 4_102_444_800, -86_401] {
      XCTAssertEqual(ISODate.parse(ISODate.utc(seconds)), Double(seconds), "\(seconds)")
    }
  }

  /// A key's `expires_at` (no zone: UTC) against the time of the check: expired at that
  /// second and after, live before it; a key without one never expires.
  func testExpiry() {
    let secret = "q3Vd8Lr0_ZpXk2NwTf7yHs5Jc-Gm9aBeU4oWi1RtQnE"
    let sha = SHA256.hex(Array(secret.utf8))
    func status(expiresAt: String?, now: Double) -> KeyStatus? {
      let inventory = KeyInventory(keys: [InventoryKey(id: "1", name: "n", keyHash: sha, expiresAt: expiresAt)])
      var findings = [
        Finding(
          ruleID: "fair.api-key", ruleName: "r", severity: .high, secret: "…", secretSHA256: sha,
          fingerprint: "f", path: ".env", line: 1, column: 1, locations: [])
      ]
      inventory.crossReference(&findings, now: now)
      return findings[0].keyStatus
    }
    XCTAssertEqual(status(expiresAt: "2026-03-16T11:39:32", now: 1_773_661_173), .expired)
    XCTAssertEqual(status(expiresAt: "2026-03-16T11:39:32", now: 1_773_661_172), .expired)
    XCTAssertEqual(status(expiresAt: "2026-03-16T11:39:32", now: 1_773_661_171), .live)
    XCTAssertEqual(status(expiresAt: nil, now: 1_773_661_173), .live)
  }
}
