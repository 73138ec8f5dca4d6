import XCTest
import FairScanRegex

final class MultiPatternTests: XCTestCase {
  /// Scans `input` and returns every `(id, end)` report, sorted.
  private func hits(_ db: MultiPatternDatabase, _ input: [UInt8]) throws -> [Hit] {
    let scratch = try db.makeScratch()
    var found: [Hit] = []
    try input.withUnsafeBytes { buffer in
      try db.scan(buffer, scratch: scratch) { id, end in found.append(Hit(id: id, end: end)) }
    }
    return found.sorted { ($0.id, $0.end) < ($1.id, $1.end) }
  }

  func testLiteralKeywordHitIsCaseless() throws {
    let db = try MultiPatternDatabase(patterns: [
      MultiPattern(id: 1, expression: "AKIA", kind: .literal(caseless: true, everyMatch: false)),
      MultiPattern(id: 2, expression: "ghp_", kind: .literal(caseless: true, everyMatch: false)),
      MultiPattern(id: 3, expression: "nothere", kind: .literal(caseless: true, everyMatch: false)),
    ])
    XCTAssertEqual(db.rejected, [:])
    XCTAssertFalse(db.loadedFromCache)
    let (input, akia) = marked([0xFF, 0xE9] + bytes("x ⟦akia⟧ GHP_tok"))
    // "GHP_" ends at byte 13.
    XCTAssertEqual(try hits(db, input), [Hit(id: 1, end: akia.upperBound), Hit(id: 2, end: 13)])
  }

  func testLiteralMetacharactersAreEscaped() throws {
    let db = try MultiPatternDatabase(patterns: [
      MultiPattern(id: 7, expression: "a.b(c)*", kind: .literal(caseless: true, everyMatch: false))
    ])
    XCTAssertEqual(try hits(db, bytes("axbc abccc")), [])
    XCTAssertEqual(try hits(db, bytes("xx A.B(C)* yy")), [Hit(id: 7, end: 10)])
  }

  func testRegexHitReportsEndOffset() throws {
    let db = try MultiPatternDatabase(patterns: [
      MultiPattern(id: 10, expression: #"fair_[A-Za-z0-9]{8}"#, kind: .regex)
    ])
    let (input, expected) = marked("token: ⟦fair_AbCd1234⟧\r\n")
    XCTAssertEqual(try hits(db, input), [Hit(id: 10, end: expected.upperBound)])
    XCTAssertEqual(try hits(db, bytes("fair_short")), [])
  }

  func testLookbehindAndBackreferenceAreAcceptedAsPrefilters() throws {
    let db = try MultiPatternDatabase(patterns: [
      MultiPattern(id: 1, expression: #"(?<=key=)[a-z]{6}"#, kind: .regex),
      MultiPattern(id: 2, expression: #"(['"])secret\1"#, kind: .regex),
      MultiPattern(id: 3, expression: "token", kind: .literal(caseless: true, everyMatch: false)),
    ])
    // Whatever Vectorscan refuses must be listed, and everything else must still work.
    XCTAssertTrue(Set(db.rejected.keys).isSubset(of: [1, 2]))
    let found = Set(try hits(db, bytes("key=abcdef 'secret' TOKEN")).map(\.id))
    XCTAssertEqual(found, Set([1, 2, 3]).subtracting(db.rejected.keys))
  }

  func testRejectedExpressionsAreRecordedAndOthersStillWork() throws {
    let db = try MultiPatternDatabase(patterns: [
      MultiPattern(id: 1, expression: "alpha", kind: .literal(caseless: true, everyMatch: false)),
      MultiPattern(id: 2, expression: #"\Gfoo"#, kind: .regex),
      MultiPattern(id: 3, expression: "beta[0-9]", kind: .regex),
      MultiPattern(id: 4, expression: "abc(", kind: .regex),
      MultiPattern(id: 5, expression: #"x\Ky"#, kind: .regex),
    ])
    XCTAssertEqual(Set(db.rejected.keys), [2, 4, 5])
    XCTAssertTrue(db.rejected[4]?.contains("parenthesis") ?? false, "\(db.rejected)")
    XCTAssertEqual(try hits(db, bytes("foo alpha beta7 abc( xy")).map(\.id), [1, 3])
  }

  func testAllRejectedScansNothing() throws {
    let db = try MultiPatternDatabase(patterns: [MultiPattern(id: 9, expression: "abc(", kind: .regex)])
    XCTAssertEqual(Array(db.rejected.keys), [9])
    XCTAssertEqual(try hits(db, bytes("abc(")), [])
  }

  func testEmptyPatternListScansNothing() throws {
    let db = try MultiPatternDatabase(patterns: [])
    XCTAssertEqual(db.rejected, [:])
    XCTAssertEqual(try hits(db, bytes("anything at all")), [])
  }

  func testEmptyBufferScansNothing() throws {
    let db = try MultiPatternDatabase(patterns: [
      MultiPattern(id: 1, expression: "a", kind: .literal(caseless: true, everyMatch: false))
    ])
    XCTAssertEqual(try hits(db, []), [])
  }

  func testScratchFromAnotherDatabaseIsRefused() throws {
    let a = try MultiPatternDatabase(patterns: [
      MultiPattern(id: 1, expression: "a", kind: .literal(caseless: true, everyMatch: false))
    ])
    let b = try MultiPatternDatabase(patterns: [
      MultiPattern(id: 2, expression: "b", kind: .literal(caseless: true, everyMatch: false))
    ])
    let scratch = try b.makeScratch()
    XCTAssertThrowsError(try bytes("a").withUnsafeBytes { try a.scan($0, scratch: scratch) { _, _ in } }) { error in
      guard case .vectorscan = error as? PatternError else { return XCTFail("\(error)") }
    }
  }

  func testConcurrentScansWithScratchPerThread() throws {
    let db = try MultiPatternDatabase(patterns: [
      MultiPattern(id: 1, expression: "needle", kind: .literal(caseless: true, everyMatch: false)),
      MultiPattern(id: 2, expression: #"fair_[a-z]{4}"#, kind: .regex),
    ])
    let input = Array(repeating: bytes("hay "), count: 5_000).flatMap { $0 } + bytes("NEEDLE fair_abcd")
    let failures = Counter()
    DispatchQueue.concurrentPerform(iterations: 6) { _ in
      do {
        let scratch = try db.makeScratch()
        var ids: Set<UInt32> = []
        try input.withUnsafeBytes { try db.scan($0, scratch: scratch) { id, _ in ids.insert(id) } }
        if ids != [1, 2] { failures.increment() }
      } catch {
        failures.increment()
      }
    }
    XCTAssertEqual(failures.value, 0)
  }
}

struct Hit: Equatable {
  var id: UInt32
  var end: Int
}

final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func increment() { lock.lock(); count += 1; lock.unlock() }
  var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
