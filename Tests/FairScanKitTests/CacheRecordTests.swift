import XCTest

@testable import FairScanKit

/// The scan cache's records as bytes (`CacheRecord`): every field comes back as written, and bytes
/// that do not read whole are a `CacheProblem`, never a crash or a partial record.
final class CacheRecordTests: XCTestCase {
  let ruleIDs = ["a.first", "b.second", "fair.api-key"]
  var ruleIndex: [String: Int] { Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) }) }
  let sha = String(repeating: "0123456789abcdef", count: 4)

  /// A hit with every field away from its default, as the cache gives it back (no secret).
  func fullHit() -> ContentHit {
    var hit = ContentHit(
      ruleIndex: 2, secret: [], secretSHA256: sha,
      position: TextPosition(line: 3, column: 7, endLine: 4, endColumn: 2, byteOffset: 1234, byteLength: 43),
      snippet: "FAIR_API_KEY=Rb5V…(43) # ünïcode ✓")
    hit.redacted = "Rb5V…(43)"
    hit.encoding = "base64+percent"
    hit.browserVariable = true
    hit.longLine = true
    hit.claims = TokenClaims(expiresAt: 1_900_000_000.5, issuedAt: -1, type: "refresh", issuer: "https://fair.example")
    hit.member = "config/app.zip!prod.env"
    return hit
  }

  func fullLocation() -> Location {
    var location = Location(
      source: .blob, path: "dépôt/ключ.env", line: 3, column: 7, endLine: 4, endColumn: 2, byteOffset: 1234,
      byteLength: 43, blob: String(repeating: "ab", count: 20),
      commits: [
        CommitRef(
          id: String(repeating: "cd", count: 20), author: "Zoë", email: "z@example.invalid",
          date: "2026-03-16T11:39:32Z", summary: "add the key"),
        CommitRef(
          id: String(repeating: "ef", count: 20), author: "", email: "", date: "", summary: "",
          unreachable: true, introducedAtOrBefore: true),
      ],
      unreachable: true, snippet: "FAIR_API_KEY=Rb5V…(43)", encoding: "escape")
    location.member = "prod.env"
    location.pathBytes = "ZOlw9HQ="
    return location
  }

  func testAHitWithEveryFieldComesBackAsWritten() throws {
    var bare = fullHit()
    bare.encoding = nil
    bare.claims = TokenClaims()
    bare.member = nil
    bare.browserVariable = false
    let hits = [fullHit(), bare]
    XCTAssertEqual(try CacheRecord.hits(from: try CacheRecord.hits(hits, ruleIDs: ruleIDs), ruleIndex: ruleIndex), hits)
    XCTAssertEqual(try CacheRecord.hits(from: try CacheRecord.hits([], ruleIDs: ruleIDs), ruleIndex: ruleIndex), [])
  }

  func testAHitKeepsTheSecretOnlyRedacted() throws {
    var hit = fullHit()
    hit.secret = Array("Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0".utf8)
    hit.redacted = nil
    let bytes = try CacheRecord.hits([hit], ruleIDs: ruleIDs)
    XCTAssertNil(bytes.firstRange(of: hit.secret), "the secret is not in the bytes")
    let back = try XCTUnwrap(try CacheRecord.hits(from: bytes, ruleIndex: ruleIndex).first)
    XCTAssertEqual(back.secret, [])
    XCTAssertEqual(back.redacted, Redaction.redact(hit.secret))
  }

  func testAHistoryRecordWithEveryFieldComesBackAsWritten() throws {
    var placeless = fullLocation()
    placeless.blob = nil
    placeless.commits = []
    placeless.encoding = nil
    placeless.member = nil
    placeless.pathBytes = nil
    placeless.source = .worktree
    let skipped = [
      SkippedItem(path: "big.bin", blob: String(repeating: "12", count: 20), reason: .tooLarge, size: 1 << 40),
      SkippedItem(path: "a.zip", reason: .archiveLimit, detail: "more than 10,000 members"),
      SkippedItem(path: "x", reason: .unreadable),
      SkippedItem(path: "y", reason: .notRegularFile),
      SkippedItem(path: "z.zip!s.env", reason: .encrypted, size: 0, detail: ""),
    ]
    let record = ScanCache.HistoryRecord(
      hits: [
        ScanCache.PlacedHit(hit: fullHit(), location: fullLocation(), pathIsReal: true),
        ScanCache.PlacedHit(hit: fullHit(), location: placeless, pathIsReal: false),
      ], skipped: skipped)
    let back = try CacheRecord.history(
      from: try CacheRecord.history(record, ruleIDs: ruleIDs), ruleIndex: ruleIndex)
    XCTAssertEqual(back.hits.map(\.hit), record.hits.map(\.hit))
    XCTAssertEqual(back.hits.map(\.location), record.hits.map(\.location))
    XCTAssertEqual(back.hits.map(\.pathIsReal), [true, false])
    XCTAssertEqual(back.skipped, skipped)
  }

  func testBytesThatDoNotReadWholeAreAProblem() throws {
    let record = ScanCache.HistoryRecord(
      hits: [ScanCache.PlacedHit(hit: fullHit(), location: fullLocation(), pathIsReal: true)],
      skipped: [SkippedItem(path: "a.zip", reason: .archiveLimit, size: 3, detail: "d")])
    let bytes = try CacheRecord.history(record, ruleIDs: ruleIDs)
    for length in 0..<bytes.count {
      XCTAssertThrowsError(
        try CacheRecord.history(from: Array(bytes[..<length]), ruleIndex: ruleIndex), "cut at \(length)")
    }
    XCTAssertThrowsError(try CacheRecord.history(from: bytes + [0], ruleIndex: ruleIndex), "a byte left over")
    XCTAssertThrowsError(
      try CacheRecord.history(from: bytes, ruleIndex: ["a.first": 0]), "a rule no longer in force")
    var huge = bytes
    huge.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
    XCTAssertThrowsError(try CacheRecord.history(from: huge, ruleIndex: ruleIndex), "a count past the end")
    var negative = bytes
    negative.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    XCTAssertThrowsError(try CacheRecord.history(from: negative, ruleIndex: ruleIndex), "a negative count")
    var hit = fullHit()
    hit.ruleIndex = 7
    XCTAssertThrowsError(try CacheRecord.hits([hit], ruleIDs: ruleIDs), "a hit of a rule not in force is not written")
  }
}
