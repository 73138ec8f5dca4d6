import Foundation
import XCTest
@testable import FairScanKit

/// The built-in rules against the labelled corpus in Tests/RuleCorpus: every family must
/// reach recall and precision 0.95 (the same check as `make rules-eval`).
final class CorpusTests: XCTestCase {
  static var corpus: String { EngineTests.packageRoot.appendingPathComponent("Tests/RuleCorpus").path }

  func testBuiltinRulesMeetRecallAndPrecisionOnTheCorpus() throws {
    let cases = try Corpus.load(paths: [Self.corpus])
    XCTAssertGreaterThan(cases.count, 200)
    XCTAssertGreaterThan(cases.filter { $0.family == nil }.count, 80, "decoys")
    let evaluation = try RuleEvaluation.run(cases: cases, ruleSet: try RuleSet(rules: try BuiltinRules.rules()))
    let failing = evaluation.failing(minimumRecall: 0.95, minimumPrecision: 0.95)
    XCTAssertEqual(failing.map(\.family), [], "\n" + evaluation.render())
  }

  func testEveryRuleFamilyHasPositivesInTheCorpus() throws {
    let cases = try Corpus.load(paths: [Self.corpus])
    let covered = Set(cases.compactMap(\.family))
    let families = Set(try BuiltinRules.rules().map(\.family))
    XCTAssertEqual(families.subtracting(covered), [])
  }

  func testEvaluationCountsMissesAndFalseAlarms() throws {
    let rule = Rule(id: "t.tok", name: "tok", pattern: #"tok_[A-Za-z0-9]{20}"#, keywords: ["tok_"])
    let cases = try Corpus.load(
      yaml: """
        cases:
          - id: found
            family: t
            text: "x = ⟦tok_A1b2C3d4E5f6G7h8I9j0⟧"
          - id: missed
            family: t
            text: "x = ⟦tok-A1b2C3d4E5f6G7h8I9j0⟧"
          - id: decoy
            decoy: near-miss
            path: a/b.txt
            text: "tok_Z9y8X7w6V5u4T3s2R1q0"
        """, file: "inline.yml")
    let e = try RuleEvaluation.run(cases: cases, ruleSet: try RuleSet(rules: [rule]))
    let t = try XCTUnwrap(e.families.first { $0.family == "t" })
    XCTAssertEqual(t.positives, 2)
    XCTAssertEqual(t.found, 1)
    XCTAssertEqual(t.trueFindings, 1)
    XCTAssertEqual(t.falseFindings, 1)
    XCTAssertEqual(t.recall, 0.5)
    XCTAssertEqual(t.precision, 0.5)
    XCTAssertEqual(e.misses.map(\.caseID), ["missed"])
    XCTAssertEqual(e.falseAlarms.map(\.caseID), ["decoy"])
    XCTAssertFalse(e.render().contains("Z9y8X7w6V5u4T3s2R1q0"), "secrets stay redacted in the report")
    XCTAssertEqual(e.failing(minimumRecall: 0.95, minimumPrecision: 0.95).map(\.family), ["t", "all"])
  }

  func testCorpusErrorsNameTheCase() {
    XCTAssertThrowsError(
      try Corpus.load(yaml: "cases:\n  - id: a\n    family: x\n    text: no marker\n", file: "c.yml")
    ) {
      XCTAssertTrue("\($0)".contains("marks no secret"), "\($0)")
    }
    XCTAssertThrowsError(try Corpus.load(yaml: "cases:\n  - id: a\n    decoy: x\n    text: \"⟦s⟧\"\n", file: "c.yml"))
    XCTAssertThrowsError(try Corpus.load(yaml: "cases:\n  - id: a\n    family: x\n    text: \"⟦s\"\n", file: "c.yml"))
    XCTAssertThrowsError(try Corpus.load(yaml: "cases:\n  - id: a\n    famly: x\n    text: t\n", file: "c.yml"))
  }
}
