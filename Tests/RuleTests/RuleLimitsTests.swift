import Foundation
import XCTest

@testable import FairScanKit

/// The built-in rules stay within PCRE2's limits on inputs that once made them backtrack
/// without end, or that are simply long: a limit hit makes a scan incomplete.
final class RuleLimitsTests: XCTestCase {
  func scanErrors(_ text: String, path: String = "x.swift") throws -> [String] {
    let worker = try ScanWorker(ruleSet: try RuleSet(rules: try BuiltinRules.rules()))
    return worker.scan(Array(text.utf8), path: path).errors.map { "\($0.ruleID): \($0.message)" }
  }

  /// `fair_hosts:` then deeply indented lines: the fair: YAML-mapping alternative of
  /// fair.api-key and fair.login-password tried every split of each line's indentation.
  func testIndentedCodeAfterAFairColonLine() throws {
    var text = "switch field.key {\ncase \"fair_hosts\":\n"
    for n in 0..<12 {
      text +=
        String(repeating: " ", count: 12)
        + "for host in try YAMLReader.strings(field.value, field: field.key) { _ = \(n) }\n"
    }
    text += "default: break\n}\n"
    XCTAssertEqual(try scanErrors(text), [])
  }

  /// A minified line of 300 KB with a FAIR URL every 100 bytes and a key in the middle.
  func testALongMinifiedLineFullOfFAIRURLs() throws {
    var line = ""
    for n in 0..<3000 {
      line +=
        "function f\(n)(a){return fetch(\"https://fair-dev.gradiant.org/api/v1/x\(n)\",{headers:{Authorization:\"Bearer \"+a.t}})}"
      if n == 1500 { line += "const k=\"Hn4xQ2wVb7Lr9Tz1Kp6Yc3Md8Fs0Ga5UeJiOoPqRtX\";" }
    }
    let worker = try ScanWorker(ruleSet: try RuleSet(rules: try BuiltinRules.rules()))
    let scan = worker.scan(Array(line.utf8), path: "dist/app.min.js")
    XCTAssertEqual(scan.errors.map { "\($0.ruleID): \($0.message)" }, [])
    XCTAssertEqual(
      scan.hits.map { String(decoding: $0.secret, as: UTF8.self) }, ["Hn4xQ2wVb7Lr9Tz1Kp6Yc3Md8Fs0Ga5UeJiOoPqRtX"])
  }
}
