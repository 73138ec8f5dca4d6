import Foundation
import XCTest
@testable import FairScanKit

#if canImport(FoundationXML)
  import FoundationXML
#endif

final class JUnitReportTests: XCTestCase {
  func render(_ report: ScanReport) -> String {
    String(decoding: ReportRenderer.render(report, format: .junit, options: ReportOptions()), as: UTF8.self)
  }

  func parse(_ xml: String) throws -> XMLElement {
    try XCTUnwrap(try XMLDocument(data: Data(xml.utf8), options: []).rootElement())
  }

  func testMatchesGolden() throws {
    try assertGolden(
      ReportRenderer.render(ReportFixture.report, format: .junit, options: ReportOptions()), named: "junit.xml")
  }

  func testOneFailedTestCasePerFindingInWellFormedXML() throws {
    let report = ReportFixture.report
    let root = try parse(render(report))
    XCTAssertEqual(root.name, "testsuites")
    XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, String(report.findings.count))
    let suite = try XCTUnwrap(root.elements(forName: "testsuite").first)
    let cases = suite.elements(forName: "testcase").filter { !$0.elements(forName: "failure").isEmpty }
    XCTAssertEqual(cases.count, report.findings.count)
    XCTAssertEqual(
      suite.elements(forName: "testcase").count, report.findings.count + 1,
      "the fixture scan is incomplete: one error case")
    for (testcase, finding) in zip(cases, report.findings) {
      let failure = try XCTUnwrap(testcase.elements(forName: "failure").first)
      XCTAssertEqual(failure.attribute(forName: "type")?.stringValue, finding.ruleID)
      XCTAssertEqual(testcase.attribute(forName: "line")?.stringValue, String(finding.line))
      XCTAssertTrue(failure.stringValue?.contains(finding.fingerprint) == true)
      XCTAssertTrue(failure.stringValue?.contains(".fairscanignore") == true)
    }
    // The hostile path and commit summary arrive escaped, never as raw control characters.
    let text = render(report)
    XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    for secret in ReportFixture.rawSecrets { XCTAssertFalse(text.contains(secret), "secret in JUnit output") }
  }

  func testACleanScanIsOnePassingTestAndAnIncompleteOneIsAnError() throws {
    var clean = ReportFixture.empty
    let root = try parse(render(clean))
    XCTAssertEqual(root.attribute(forName: "tests")?.stringValue, "1")
    XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "0")
    let only = try XCTUnwrap(root.elements(forName: "testsuite").first?.elements(forName: "testcase"))
    XCTAssertEqual(only.map { $0.attribute(forName: "name")?.stringValue }, ["no secrets found"])
    XCTAssertTrue(only[0].children?.isEmpty ?? true)

    clean.summary.incomplete = ["shallow clone: history stops at 1 commit <a & b>"]
    let incomplete = try parse(render(clean))
    XCTAssertEqual(incomplete.attribute(forName: "errors")?.stringValue, "1")
    let error = try XCTUnwrap(
      incomplete.elements(forName: "testsuite").first?.elements(forName: "testcase").last?.elements(forName: "error")
        .first)
    XCTAssertEqual(
      error.attribute(forName: "message")?.stringValue,
      "the scan is incomplete: shallow clone: history stops at 1 commit <a & b>")
  }

  func testCharactersXMLCannotCarryAreReplaced() {
    XCTAssertEqual(JUnitReport.attribute("a\"b<c>&\n"), "a&quot;b&lt;c&gt;&amp;&#10;")
    XCTAssertEqual(JUnitReport.text("x\u{0}y\u{FFFE}"), "x\\u{0}y\u{FFFD}")
  }
}
