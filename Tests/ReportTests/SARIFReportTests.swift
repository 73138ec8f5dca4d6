import Foundation
import XCTest
@testable import FairScanKit

final class SARIFReportTests: XCTestCase {
  var bytes: [UInt8] { ReportRenderer.render(ReportFixture.report, format: .sarif, options: ReportOptions()) }

  func sarif(_ report: ScanReport = ReportFixture.report) throws -> [String: Any] {
    let bytes = ReportRenderer.render(report, format: .sarif, options: ReportOptions())
    return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
  }

  func testMatchesGolden() throws {
    try assertGolden(bytes, named: "sarif.sarif")
  }

  func testValidatesAgainstOASISSchema() throws {
    let schema = Paths.fixtures.appendingPathComponent("sarif-schema-2.1.0.json")
    try assertValidates(bytes, schema: schema)
    try assertValidates(
      ReportRenderer.render(ReportFixture.empty, format: .sarif, options: ReportOptions()), schema: schema)
  }

  func testLogShape() throws {
    let log = try sarif()
    XCTAssertEqual(log["$schema"] as? String, "https://json.schemastore.org/sarif-2.1.0.json")
    XCTAssertEqual(log["version"] as? String, "2.1.0")
    let runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
    XCTAssertEqual(runs.count, 1)
    let run = runs[0]
    XCTAssertEqual(run["columnKind"] as? String, "unicodeCodePoints")
    let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    XCTAssertEqual(driver["name"] as? String, "fairscan")
    XCTAssertEqual(driver["version"] as? String, "0.1.0")
    XCTAssertEqual(driver["informationUri"] as? String, "https://github.com/fairscan/fairscan")
    let base = try XCTUnwrap((run["originalUriBaseIds"] as? [String: Any])?["%SRCROOT%"] as? [String: Any])
    XCTAssertEqual(base["uri"] as? String, "file:///home/dev/my%20repo/")
  }

  func testRulesCarryLevelTagsAndSecuritySeverity() throws {
    let run = try XCTUnwrap((try sarif()["runs"] as? [[String: Any]])?.first)
    let rules = try XCTUnwrap(
      ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
    XCTAssertEqual(rules.map { $0["id"] as? String }, ReportFixture.report.rules.map(\.id))
    let levels = rules.map { ($0["defaultConfiguration"] as? [String: Any])?["level"] as? String }
    XCTAssertEqual(levels, ["error", "error", "warning", "note", "error", "note"])
    let severities = rules.map { ($0["properties"] as? [String: Any])?["security-severity"] as? String }
    XCTAssertEqual(severities, ["9.5", "8.0", "5.5", "2.0", "8.0", nil])
    let tags = (rules[0]["properties"] as? [String: Any])?["tags"] as? [String]
    XCTAssertEqual(tags, ["api-key", "fair", "secret", "security"])
    XCTAssertEqual((rules[0]["shortDescription"] as? [String: Any])?["text"] as? String, "FAIR API key")
    XCTAssertEqual((rules[5]["fullDescription"] as? [String: Any])?["text"] as? String, "High-entropy string")
  }

  func testResultsPointAtTheirRulesAndLocations() throws {
    let run = try XCTUnwrap((try sarif()["runs"] as? [[String: Any]])?.first)
    let results = try XCTUnwrap(run["results"] as? [[String: Any]])
    let report = ReportFixture.report
    XCTAssertEqual(results.count, report.findings.count)
    for (result, finding) in zip(results, report.findings) {
      XCTAssertEqual(result["ruleId"] as? String, finding.ruleID)
      let index = try XCTUnwrap(result["ruleIndex"] as? Int)
      XCTAssertEqual(report.rules[index].id, finding.ruleID)
      XCTAssertEqual(
        (result["message"] as? [String: Any])?["text"] as? String, "\(finding.ruleName): \(finding.secret)")
      XCTAssertEqual((result["partialFingerprints"] as? [String: String])?["fairscan/v1"], finding.fingerprint)
      let locations = try XCTUnwrap(result["locations"] as? [[String: Any]])
      XCTAssertEqual(locations.count, finding.locations.count)
      let props = try XCTUnwrap(result["properties"] as? [String: Any])
      XCTAssertEqual(props["secret_sha256"] as? String, finding.secretSHA256)
      XCTAssertEqual(props["present_at_head"] as? Bool, finding.presentAtHead)
    }
    let first = try XCTUnwrap(
      (results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
    let region = try XCTUnwrap(first["region"] as? [String: Int])
    XCTAssertEqual(
      region, ["startLine": 12, "startColumn": 9, "endLine": 12, "endColumn": 50, "byteOffset": 311, "byteLength": 41])
    let commits = try XCTUnwrap((results[0]["properties"] as? [String: Any])?["commits"] as? [[String: Any]])
    XCTAssertEqual(commits.map { $0["id"] as? String }, [ReportFixture.jane.id, ReportFixture.joe.id])
    XCTAssertEqual((results[1]["properties"] as? [String: Any])?["unreachable"] as? Bool, true)
    XCTAssertEqual((results[0]["properties"] as? [String: Any])?["unreachable"] as? Bool, false)
  }

  func testArtifactURIsArePercentEncodedRelativeReferences() throws {
    let run = try XCTUnwrap((try sarif()["runs"] as? [[String: Any]])?.first)
    let results = try XCTUnwrap(run["results"] as? [[String: Any]])
    var seen: [String: String] = [:]
    for (result, finding) in zip(results, ReportFixture.report.findings) {
      for (location, expected) in zip(try XCTUnwrap(result["locations"] as? [[String: Any]]), finding.locations) {
        let artifact = try XCTUnwrap(
          (location["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: String])
        XCTAssertEqual(artifact["uriBaseId"], "%SRCROOT%")
        let uri = try XCTUnwrap(artifact["uri"])
        XCTAssertTrue(isStrictRelativeReference(uri), "not a valid relative URI: \(uri)")
        XCTAssertNotNil(URL(string: uri, relativeTo: URL(string: "file:///src/")), uri)
        XCTAssertEqual(uri.removingPercentEncoding, expected.path)
        seen[expected.path] = uri
      }
    }
    XCTAssertEqual(seen[ReportFixture.spacedPath], "config/prod%20settings/cl%C3%A9%20%C3%B1%20%231%20100%25.yml")
    XCTAssertEqual(seen["old/#legacy%.env"], "old/%23legacy%25.env")
  }

  func testURIPathEncoding() {
    XCTAssertEqual(URIPath.encode("a b/c#d%e?f:g"), "a%20b/c%23d%25e%3Ff%3Ag")
    XCTAssertEqual(URIPath.encode("dir/naïve-~_.txt"), "dir/na%C3%AFve-~_.txt")
    XCTAssertEqual(SARIFReport.artifact("/abs/p q").uri, "file:///abs/p%20q")
    XCTAssertNil(SARIFReport.artifact("/abs/p q").uriBaseId)
  }

  func testScanProblemsBecomeNotifications() throws {
    let run = try XCTUnwrap((try sarif()["runs"] as? [[String: Any]])?.first)
    let invocation = try XCTUnwrap((run["invocations"] as? [[String: Any]])?.first)
    XCTAssertEqual(invocation["executionSuccessful"] as? Bool, true)
    let notes = try XCTUnwrap(invocation["toolExecutionNotifications"] as? [[String: Any]])
    XCTAssertEqual(notes.compactMap { $0["level"] as? String }, ["error", "warning", "warning", "warning"])
    let rule = try XCTUnwrap(notes[0]["associatedRule"] as? [String: Any])
    XCTAssertEqual(rule["id"] as? String, "generic.password")
    XCTAssertEqual(rule["index"] as? Int, 2)
    XCTAssertEqual(
      (notes[1]["message"] as? [String: Any])?["text"] as? String,
      "skipped assets/big video.mp4: too-large (104857600 bytes)")
  }

  func testUnknownRuleGetsADescriptor() throws {
    var report = ReportFixture.report
    report.rules = []
    let run = try XCTUnwrap((try sarif(report)["runs"] as? [[String: Any]])?.first)
    let rules = try XCTUnwrap(
      ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
    XCTAssertEqual(rules.count, 5)
    try assertValidates(
      ReportRenderer.render(report, format: .sarif, options: ReportOptions()),
      schema: Paths.fixtures.appendingPathComponent("sarif-schema-2.1.0.json"))
  }

  /// RFC 3986 relative-ref made only of unreserved characters, "/" and well-formed percent escapes.
  func isStrictRelativeReference(_ uri: String) -> Bool {
    let bytes = Array(uri.utf8)
    if bytes.first == UInt8(ascii: "/") { return false }
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "%") {
        guard i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) else { return false }
        i += 3; continue
      }
      let unreserved =
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "-._~/".utf8.contains(b)
      if !unreserved { return false }
      i += 1
    }
    return true
  }

  func isHex(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66) }
}
