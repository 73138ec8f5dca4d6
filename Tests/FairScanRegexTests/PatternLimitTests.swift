import Foundation
import XCTest
import FairScanRegex

final class PatternLimitTests: XCTestCase {
  private let evil = Array(repeating: UInt8(ascii: "a"), count: 36) + bytes("b")

  func testCatastrophicBacktrackingHitsMatchLimitPromptly() throws {
    let context = MatchContext(limits: MatchLimits(matchLimit: 10_000))
    for source in ["(a+)+$", "(?:a|a)+$"] {
      let pattern = try Pattern(source)
      let start = Date()
      let result = pattern.matches(in: evil, context: context)
      XCTAssertEqual(result.status, .limitExceeded("match limit"), source)
      XCTAssertEqual(result.matches, [], source)
      XCTAssertLessThan(Date().timeIntervalSince(start), 2, source)
    }
  }

  func testMatchesBeforeTheLimitAreDelivered() throws {
    let pattern = try Pattern("x|(a+)+$")
    let context = MatchContext(limits: MatchLimits(matchLimit: 10_000))
    let result = pattern.matches(in: bytes("x") + evil, context: context)
    XCTAssertEqual(result.matches.map(\.range), [0..<1])
    XCTAssertEqual(result.status, .limitExceeded("match limit"))
  }

  func testDefaultLimitsAllowOrdinaryMatches() throws {
    XCTAssertEqual(
      MatchLimits.default,
      MatchLimits(matchLimit: 2_000_000, depthLimit: 10_000, heapLimitKiB: 20_000, jitStackKiB: 1024))
    let pattern = try Pattern("(a+)+$")
    let result = pattern.matches(in: Array(repeating: UInt8(ascii: "a"), count: 36), context: MatchContext())
    XCTAssertEqual(result.status, .complete)
    XCTAssertEqual(result.matches.map(\.range), [0..<36])
  }

  func testMatchLimitComesFromTheContext() throws {
    let pattern = try Pattern("(a+)+$")
    let subject = Array(repeating: UInt8(ascii: "a"), count: 36)
    XCTAssertEqual(pattern.matches(in: subject, context: MatchContext()).status, .complete)
    let tight = MatchContext(limits: MatchLimits(matchLimit: 1))
    XCTAssertEqual(pattern.matches(in: subject, context: tight).status, .limitExceeded("match limit"))
  }

  func testJITStackSizeComesFromTheContext() throws {
    let pattern = try Pattern("(a|b)+c")
    XCTAssertTrue(pattern.isJITCompiled, "PCRE2 JIT must be available: fairscan relies on it for speed and limits")
    let subject = Array(repeating: UInt8(ascii: "a"), count: 100_000) + bytes("c")
    let small = pattern.matches(in: subject, context: MatchContext(limits: MatchLimits(jitStackKiB: 32)))
    XCTAssertEqual(small.status, .limitExceeded("JIT stack limit"))
    let large = pattern.matches(in: subject, context: MatchContext(limits: MatchLimits(jitStackKiB: 64 * 1024)))
    XCTAssertEqual(large.status, .complete)
    XCTAssertEqual(large.matches.map(\.range), [0..<100_001])
  }

  func testConcurrentMatchingWithSharedPattern() throws {
    let pattern = try Pattern(#"fair_(?<secret>[A-Za-z0-9]{8})"#)
    var input: [UInt8] = []
    for i in 0..<2_000 { input += bytes("line \(i) \u{E9} fair_AbCd\(String(format: "%04d", i))\r\n") }
    let expected = pattern.matches(in: input, context: MatchContext())
    XCTAssertEqual(expected.matches.count, 2_000)
    let shared = input
    let results = Results()
    DispatchQueue.concurrentPerform(iterations: 8) { index in
      let context = MatchContext()
      for _ in 0..<5 {
        let result = pattern.matches(in: shared, context: context)
        results.record(index, ok: result.status == .complete && result.matches == expected.matches)
      }
    }
    XCTAssertEqual(results.count, 40)
    XCTAssertTrue(results.allOK)
  }

  /// JIT compilation happens before a pattern's first match; threads that all start on a
  /// fresh pattern at once must still agree with a pattern matched on one thread.
  func testThreadsRacingToTheFirstMatchOfAFreshPattern() throws {
    let source = #"key_(?<secret>[A-Za-z0-9]{8})"#
    var input: [UInt8] = []
    for i in 0..<500 { input += bytes("line \(i) key_AbCd\(String(format: "%04d", i))\n") }
    let expected = try Pattern(source).matches(in: input, context: MatchContext())
    XCTAssertEqual(expected.matches.count, 500)
    let shared = input
    for _ in 0..<20 {
      let pattern = try Pattern(source)
      let results = Results()
      DispatchQueue.concurrentPerform(iterations: 8) { index in
        let result = pattern.matches(in: shared, context: MatchContext())
        results.record(index, ok: result.status == .complete && result.matches == expected.matches)
      }
      XCTAssertTrue(results.allOK)
      XCTAssertTrue(pattern.isJITCompiled)
    }
  }
}

/// Collects per-thread outcomes behind a lock.
private final class Results: @unchecked Sendable {
  private let lock = NSLock()
  private var outcomes: [Bool] = []
  func record(_ index: Int, ok: Bool) { lock.lock(); outcomes.append(ok); lock.unlock() }
  var count: Int { lock.lock(); defer { lock.unlock() }; return outcomes.count }
  var allOK: Bool { lock.lock(); defer { lock.unlock() }; return outcomes.allSatisfy { $0 } }
}
