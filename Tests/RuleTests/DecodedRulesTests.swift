import Foundation
import XCTest

@testable import FairScanKit

/// The built-in rules a scan uses are Swift values generated from rules/*.yml (no YAML is
/// parsed at run time): they must be exactly what the YAML decodes to, and up to date.
final class DecodedRulesTests: XCTestCase {
  func testTheDecodedRulesEqualWhatTheEmbeddedYAMLDecodesTo() throws {
    let decoded = try BuiltinRules.rules()
    let parsed = try BuiltinRules.decodingFiles()
    XCTAssertEqual(decoded.count, parsed.count)
    for (a, b) in zip(decoded, parsed) { XCTAssertEqual(a, b, a.id) }
  }

  func testTheDecodedFileIsUpToDate() throws {
    let file = packageRoot.appendingPathComponent("Sources/FairScanKit/Rules/" + BuiltinRulesGenerator.decodedFileName)
    let checkedIn = try String(contentsOf: file, encoding: .utf8)
    XCTAssertTrue(
      checkedIn == BuiltinRulesGenerator.renderDecoded(rules: try BuiltinRules.decodingFiles()),
      "\(BuiltinRulesGenerator.decodedFileName) is stale: run `swift run generate-builtin-rules` from the package root")
  }

  func testEscapesSurviveTheRoundTrip() {
    let rule = Rule(
      id: "x.y", name: "quote \" backslash \\ tab \t", pattern: #"a\"b\\c(?<secret>\d+)"#, keywords: ["k"],
      minEntropy: 3.25, allow: [.stopword("⟦x⟧"), .regex(#"^\s$"#, target: .line)],
      paths: PathFilter(include: ["**/*.env"], exclude: []), examples: ["line\nbreak"], maxSize: 16384, window: 512)
    let source = BuiltinRulesGenerator.renderDecoded(rules: [rule])
    XCTAssertTrue(source.contains(#"pattern: "a\\\"b\\\\c(?<secret>\\d+)""#), source)
    XCTAssertTrue(source.contains(#"name: "quote \" backslash \\ tab \u{9}""#), source)
    XCTAssertTrue(source.contains(#""line\u{a}break""#), source)
    XCTAssertTrue(source.contains("minEntropy: 3.25,"), source)
  }
}
