import Foundation
import XCTest

@testable import FairScanKit

/// The built-in rules a scan uses are Swift values generated from rules/*.yml (no YAML is
/// parsed at run time).
final class BuiltinRulesTests: XCTestCase {
  /// The staleness test: the compiled-in rules and fragments are rules/ as written, value for
  /// value. When it fails, run `make generate` (`swift run generate-builtin-rules`).
  func testCompiledInRulesAreTheRulesFolder() throws {
    let folder = BuiltinRulesGenerator.builtin(try RuleLoader.parse(path: rulesFolder))
    let compiled = BuiltinRules.document
    let hint = "\(BuiltinRulesGenerator.decodedFileName) is stale: run `make generate`"
    XCTAssertEqual(compiled.rules.map(\.id), folder.rules.map(\.id), hint)
    for (a, b) in zip(compiled.rules, folder.rules) { XCTAssertEqual(a, b, "\(a.id): \(hint)") }
    XCTAssertEqual(compiled.fragments, folder.fragments, hint)
  }

  /// The digest generated with the rules is theirs: a scan cache keyed with it is keyed with the rules.
  func testTheGeneratedDigestIsTheBuiltinRulesDigest() throws {
    let hint = "\(BuiltinRulesGenerator.decodedFileName) is stale: run `make generate`"
    XCTAssertEqual(BuiltinRules.digest, RuleSet.digest(of: try BuiltinRules.rules()), hint)
    XCTAssertEqual(try RuleSet(rules: try BuiltinRules.rules()).digest, BuiltinRules.digest)
    // One rule more or changed: the digest is computed, and differs.
    var changed = try BuiltinRules.rules()
    changed[0].keywords.append("another-keyword")
    XCTAssertEqual(try RuleSet(rules: changed).digest, RuleSet.digest(of: changed))
    XCTAssertNotEqual(try RuleSet(rules: changed).digest, BuiltinRules.digest)
  }

  func testBuiltinRulesAreExpandedWithTheBuiltinFragments() throws {
    let rules = try BuiltinRules.rules()
    // Expanded when generated: the same as expanding the rules as written now.
    let hint = "\(BuiltinRulesGenerator.decodedFileName) is stale: run `make generate`"
    XCTAssertEqual(BuiltinRules.expandedForms.count, rules.count, hint)
    XCTAssertEqual(rules, try BuiltinRules.document.expandedRules(with: BuiltinRules.fragmentTable), hint)
    XCTAssertEqual(rules.count, BuiltinRules.document.rules.count)
    for rule in rules { XCTAssertTrue(FragmentReference.all(in: rule.pattern).isEmpty, rule.id) }
    XCTAssertTrue(BuiltinRules.document.rules.contains { $0.pattern.contains("{{") }, "some rule uses fragments")
  }

  func testEscapesSurviveTheRendering() {
    let rule = Rule(
      id: "x.y", name: "quote \" backslash \\ tab \t", pattern: #"a\"b\\c(?<secret>\d+){{v}}"#, keywords: ["k"],
      minEntropy: 3.25, allow: [.stopword("⟦x⟧"), .regex(#"^\s$"#, target: .line)],
      paths: PathFilter(include: ["**/*.env"], exclude: []), examples: ["line\nbreak"], maxSize: 16384, window: 512)
    let fragment = RuleFragment(name: "v", parameters: ["p"], pattern: #"\d{{p}}"#, sourceFile: "builtin:rules/f.yml")
    let source = BuiltinRulesGenerator.renderDecoded(RuleDocument(rules: [rule], fragments: [fragment]))
    XCTAssertTrue(source.hasPrefix(BuiltinRulesGenerator.banner), source)
    XCTAssertTrue(source.contains(#"pattern: "a\\\"b\\\\c(?<secret>\\d+){{v}}""#), source)
    XCTAssertTrue(source.contains(#"name: "quote \" backslash \\ tab \u{9}""#), source)
    XCTAssertTrue(source.contains(#""line\u{a}break""#), source)
    XCTAssertTrue(source.contains("minEntropy: 3.25,"), source)
    XCTAssertTrue(source.contains(#"name: "v", parameters: ["p"],"#), source)
    XCTAssertTrue(source.contains(#"pattern: "\\d{{p}}","#), source)
  }
}
