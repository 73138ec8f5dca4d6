import XCTest
@testable import FairScanRegex

final class PatternMatchingTests: XCTestCase {
  func testByteOffsetsAfterNonUTF8Bytes() throws {
    let (input, expected) = marked([0xE9, 0xFF] + bytes("key=⟦abc123⟧ tail"))
    XCTAssertNil(String(validating: input, as: UTF8.self), "fixture must be invalid UTF-8")
    let pattern = try Pattern(#"abc\d+"#)
    let result = pattern.matches(in: input, context: MatchContext())
    XCTAssertEqual(result.status, .complete)
    XCTAssertEqual(result.matches.map(\.range), [expected])
    XCTAssertEqual(expected, 6..<12)
  }

  func testPatternCanMatchRawHighBytes() throws {
    let input: [UInt8] = [0x41, 0xE9, 0xFF, 0x42, 0xFF]
    let pattern = try Pattern(#"\xff"#)
    let result = pattern.matches(in: input, context: MatchContext())
    XCTAssertEqual(result.matches.map(\.range), [2..<3, 4..<5])
  }

  func testByteOffsetsWithCRLF() throws {
    let (input, expected) = marked("line one\r\nline two\r\n⟦token=xyz⟧\r\nend\r\n")
    let pattern = try Pattern(#"(?m)^token=\w+"#)
    let result = pattern.matches(in: input, context: MatchContext())
    XCTAssertEqual(result.matches.map(\.range), [expected])
    XCTAssertEqual(expected, 20..<29)
  }

  func testNamedGroupLookupAndRange() throws {
    let (input, expected) = marked("xx api_key=⟦s3cr3tVALUE⟧; yy")
    let pattern = try Pattern(#"(?i)api_(key)=(?<secret>[a-z0-9]+)"#)
    XCTAssertEqual(pattern.captureCount, 2)
    let group = try XCTUnwrap(pattern.groupNumber(named: "secret"))
    XCTAssertEqual(group, 2)
    XCTAssertNil(pattern.groupNumber(named: "missing"))
    let (match, status) = input.withUnsafeBytes { pattern.firstMatch(in: $0, context: MatchContext()) }
    XCTAssertEqual(status, .complete)
    let found = try XCTUnwrap(match)
    XCTAssertEqual(found.groups.count, 3)
    XCTAssertEqual(found.groups[group], expected)
    XCTAssertEqual(found.groups[0], found.range)
    XCTAssertEqual(found.groups[1], 7..<10)
  }

  func testSeveralNamedGroupsAreNumberedInOrder() throws {
    let pattern = try Pattern(#"(?<a>x)(y)(?<b>z)"#)
    XCTAssertEqual(pattern.groupNumber(named: "a"), 1)
    XCTAssertEqual(pattern.groupNumber(named: "b"), 3)
    XCTAssertEqual(pattern.captureCount, 3)
  }

  func testUnsetGroupIsNil() throws {
    let pattern = try Pattern("(a)|(b)")
    let result = pattern.matches(in: bytes("b"), context: MatchContext())
    XCTAssertEqual(result.matches, [PatternMatch(range: 0..<1, groups: [0..<1, nil, 0..<1])])
  }

  func testEmptyMatchesAdvanceOneByte() throws {
    let pattern = try Pattern("x*")
    let result = pattern.matches(in: bytes("axxb"), context: MatchContext())
    XCTAssertEqual(result.status, .complete)
    XCTAssertEqual(result.matches.map(\.range), [0..<0, 1..<3, 3..<3, 4..<4])
  }

  func testEmptyBufferStillSearched() throws {
    XCTAssertEqual(try Pattern("x*").matches(in: [], context: MatchContext()).matches.map(\.range), [0..<0])
    XCTAssertEqual(try Pattern("x").matches(in: [], context: MatchContext()).matches, [])
  }

  func testEarlyStop() throws {
    let pattern = try Pattern(#"\d"#)
    var seen: [Range<Int>] = []
    let status = bytes("1 2 3 4").withUnsafeBytes { buffer in
      pattern.forEachMatch(in: buffer, context: MatchContext()) { match in
        seen.append(match.range)
        return seen.count < 2
      }
    }
    XCTAssertEqual(status, .complete)
    XCTAssertEqual(seen, [0..<1, 2..<3])
  }

  func testCaseless() throws {
    let pattern = try Pattern("akia", caseless: true)
    XCTAssertEqual(
      pattern.matches(in: bytes("xAKIAy akia"), context: MatchContext()).matches.map(\.range), [1..<5, 7..<11])
    XCTAssertEqual(try Pattern("akia").matches(in: bytes("AKIA"), context: MatchContext()).matches, [])
  }

  func testBadPatternReportsMessageAndOffset() {
    XCTAssertThrowsError(try Pattern("abc(")) { error in
      XCTAssertEqual(error as? PatternError, .compile(message: "missing closing parenthesis", offset: 4))
      XCTAssertEqual("\(error)", "pattern does not compile at byte 4: missing closing parenthesis")
    }
    XCTAssertThrowsError(try Pattern("ab[cd")) { error in
      XCTAssertEqual(error as? PatternError, .compile(message: "missing terminating ] for character class", offset: 5))
    }
  }

  func testUTFModeIsRefused() {
    XCTAssertThrowsError(try Pattern("(*UTF)abc")) { error in
      guard case .compile = error as? PatternError else { return XCTFail("expected .compile, got \(error)") }
    }
  }

  func testOneContextServesPatternsWithMoreGroups() throws {
    let context = MatchContext()
    let small = try Pattern("a")
    let large = try Pattern("(b)(c)(d)(e)(f)")
    XCTAssertEqual(small.matches(in: bytes("a"), context: context).matches.count, 1)
    let match = try XCTUnwrap(large.matches(in: bytes("xbcdef"), context: context).matches.first)
    XCTAssertEqual(match.groups, [1..<6, 1..<2, 2..<3, 3..<4, 4..<5, 5..<6])
    XCTAssertEqual(small.matches(in: bytes("aa"), context: context).matches.map(\.groups), [[0..<1], [1..<2]])
  }
}
