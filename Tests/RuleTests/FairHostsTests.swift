import Foundation
import XCTest

@testable import FairScanKit

/// `fair_hosts` in `.fairscan.yml`: hosts added to the `fair-host` fragment at rule-set build time.
final class FairHostsTests: XCTestCase {
  func testFairHostsExtendTheHostFragmentAndTheKeywords() throws {
    let rule = Rule(
      id: "t.near-host", name: "x", pattern: #"(?i){{fair-host}}\S*\s(?<secret>[a-z0-9]{20})"#, keywords: ["fair"])
    let document = RuleDocument(rules: [rule])
    let plain = try document.expandedRules(with: BuiltinRules.fragmentTable)[0]
    let table = FairHosts.table(BuiltinRules.fragmentTable, adding: ["API.Acme-ML.example"])
    let hosted = try document.expandedRules(with: table)[0]
    XCTAssertEqual(plain.keywords, ["fair"])
    XCTAssertEqual(hosted.keywords, ["fair", "api.acme-ml.example"])

    let worker = try ScanWorker(ruleSet: try RuleSet(rules: [hosted]))
    let text = "GET https://api.acme-ml.example/api/v1/api-keys q4Zr8Tn2Lp6Xw0Hc5Vb1"
    XCTAssertEqual(worker.scan(Array(text.utf8), path: nil).hits.count, 1)
    XCTAssertEqual(try ScanWorker(ruleSet: try RuleSet(rules: [plain])).scan(Array(text.utf8), path: nil).hits.count, 0)
    for other in [
      "https://xapi.acme-ml.example/ q4Zr8Tn2Lp6Xw0Hc5Vb1", "https://api.acme-ml.example.org/ q4Zr8Tn2Lp6Xw0Hc5Vb1",
    ] {
      XCTAssertEqual(worker.scan(Array(other.utf8), path: nil).hits.count, 0, other)
    }
  }

  func testRuleSelectionPassesFairHostsToTheBuiltinRules() throws {
    var selection = RuleSelection()
    selection.fairHosts = ["fair-prod.example.net", "keys.acme.example"]
    let rules = Dictionary(uniqueKeysWithValues: try selection.load().map { ($0.id, $0) })
    let builtin = Dictionary(uniqueKeysWithValues: try BuiltinRules.rules().map { ($0.id, $0) })
    let bearer = try XCTUnwrap(rules["fair.bearer-token"])
    XCTAssertTrue(bearer.keywords.contains("keys.acme.example"))
    XCTAssertTrue(bearer.pattern.contains(#"keys\.acme\.example"#))
    XCTAssertEqual(
      rules["aws.access-key-id"], builtin["aws.access-key-id"], "rules without the host fragment are untouched")
  }

  func testFairHostEntriesMustBeHostNames() {
    XCTAssertNil(FairHosts.problem(with: "fair.internal.example"))
    XCTAssertNil(FairHosts.problem(with: "api-2.acme.io"))
    for bad in [
      "https://fair.example", "fair.example:8443", "fair.example/api", "-x.example", "a..b", "ab", "fair example",
    ] {
      XCTAssertNotNil(FairHosts.problem(with: bad), bad)
    }
  }
}

extension FairHostsTests {
  /// A key with no FAIR name, next to a configured host's URL (fair.key-near-fair-call).
  func testAKeyNextToAConfiguredHostIsFound() throws {
    let text = #"const u="https://keys.acme.example/v2",k="Hn4xQ2wVb7Lr9Tz1Kp6Yc3Md8Fs0Ga5UeJiOoPqRtX";"#
    func hits(_ hosts: [String]) throws -> [String] {
      var selection = RuleSelection()
      selection.fairHosts = hosts
      let rules = try selection.load().filter { $0.id == "fair.key-near-fair-call" }
      let worker = try ScanWorker(ruleSet: try RuleSet(rules: rules))
      return worker.scan(Array(text.utf8), path: nil).hits.map { String(decoding: $0.secret, as: UTF8.self) }
    }
    XCTAssertEqual(try hits([]), [])
    XCTAssertEqual(try hits(["keys.acme.example"]), ["Hn4xQ2wVb7Lr9Tz1Kp6Yc3Md8Fs0Ga5UeJiOoPqRtX"])
  }
}
