import XCTest

@testable import FairScanKit

/// When a rule's pattern is compiled: a built-in rule at its first use, any other rule at once.
final class CompiledRuleTests: XCTestCase {
  func testBuiltinRulesCompileAtTheirFirstUse() throws {
    let set = try RuleSet(rules: try BuiltinRules.rules())
    XCTAssertTrue(set.rules.allSatisfy { !$0.isCompiled }, "no built-in rule compiled before a scan")
    let worker = try ScanWorker(ruleSet: set)
    let key = "AKIA" + "Z7VRSQ5TJN2XMBLE"  // an AWS access key id shape
    let hits = worker.resolvedHits(Array("aws_access_key_id = \(key)\n".utf8), path: "config.ini")
    XCTAssertFalse(hits.isEmpty, "the lazily compiled rule finds what it should")
    let compiled = set.rules.filter(\.isCompiled).map(\.rule.id)
    XCTAssertFalse(compiled.isEmpty)
    XCTAssertLessThan(compiled.count, set.rules.count / 4, "only the rules the content's keywords call: \(compiled)")
  }

  /// Every built-in rule compiles: what lets them be compiled lazily.
  func testEveryBuiltinRuleCompiles() throws {
    for rule in try RuleSet(rules: try BuiltinRules.rules()).rules {
      if case .failure(let error) = rule.matcher() { XCTFail("\(error)") }
    }
  }

  func testARuleTheBuiltinSetDoesNotVouchForIsCompiledAtOnce() throws {
    var custom = try XCTUnwrap(try BuiltinRules.rules().first)
    custom.pattern += "(?:x)?"
    XCTAssertTrue(try RuleSet(rules: [custom]).rules[0].isCompiled)
    custom.pattern = "broken(["
    XCTAssertThrowsError(try RuleSet(rules: [custom])) { error in
      XCTAssertTrue("\(error)".contains(custom.id), "\(error)")
    }
    // The same id as a built-in rule, another allow pattern: not vouched for either.
    var allowed = try XCTUnwrap(try BuiltinRules.rules().first)
    allowed.allow.append(.regex("(unclosed", target: .secret))
    XCTAssertThrowsError(try RuleSet(rules: [allowed]))
  }
}
