import Foundation
import XCTest
import FairScanTestSupport

/// `fair_hosts` in `.fairscan.yml` reaches the rules of a scan and `rules show`.
final class FairHostsConfigTests: XCTestCase {
  func testAConfiguredHostIsFAIRContextForTheBuiltinRules() throws {
    let repo = try GitFixture()
    try repo.write(
      "ops/list-keys.sh",
      "curl -H \"Authorization: Bearer Qm9Xr2Lp8Tn4Vc6Hs1Jd3Fg5Kw7Yb0ZuEaIoPiUyTr\" https://keys.acme.example/v2/datasets\n"
    )
    try repo.commitAll("add a script")
    func ruleIDs() throws -> [String] {
      let result = try Fairscan.run(["repo", repo.path, "--no-cache", "--format", "json"])
      return try result.jsonObject().findings.compactMap { $0["rule_id"] as? String }
    }
    XCTAssertEqual(try ruleIDs(), [], "keys.acme.example is nothing to the rules")

    try repo.write(".fairscan.yml", "fair_hosts: [keys.acme.example]\n")
    XCTAssertEqual(try ruleIDs(), ["fair.bearer-token"])
    let show = try Fairscan.run(["rules", "show", "fair.bearer-token"], cwd: repo.path)
    XCTAssertTrue(show.stdoutText.contains("keys.acme.example"), show.stdoutText)
  }
}
