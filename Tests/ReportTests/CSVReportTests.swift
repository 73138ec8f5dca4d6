import XCTest
@testable import FairScanKit

final class CSVReportTests: XCTestCase {
  var text: String {
    String(decoding: ReportRenderer.render(ReportFixture.report, format: .csv, options: ReportOptions()), as: UTF8.self)
  }

  func testMatchesGolden() throws {
    try assertGolden(
      ReportRenderer.render(ReportFixture.report, format: .csv, options: ReportOptions()), named: "csv.csv")
  }

  func testParsesToOneRowPerLocation() throws {
    let rows = try parseCSV(text)
    XCTAssertEqual(
      rows.first,
      [
        "rule_id", "severity", "path", "line", "column", "secret", "secret_sha256",
        "fingerprint", "commit", "author", "date", "source",
      ])
    let report = ReportFixture.report
    XCTAssertEqual(rows.count, 1 + report.findings.map(\.locations.count).reduce(0, +))
    XCTAssertTrue(rows.allSatisfy { $0.count == 12 }, "every row has 12 cells")

    let first = rows[1]
    let f = report.findings[0]
    XCTAssertEqual(
      first,
      [
        "fair.api-key", "critical", ReportFixture.spacedPath, "12", "9", "fair…(41)", f.secretSHA256, f.fingerprint,
        "\(ReportFixture.jane.id) \(ReportFixture.joe.id)",
        "Jane Doe <jane@example.com>; Doe, \"JD\" Joe <joe@example.com>",
        "2026-03-16T11:39:32Z 2026-03-17T08:00:00Z", "blob",
      ])
    XCTAssertEqual(rows[2][11], "worktree")
    XCTAssertEqual(rows[2][8], "")
    XCTAssertEqual(rows[4][11], "commit-message")
    XCTAssertEqual(rows[4][2], "(commit message)")
  }

  func testFormulaCellsAreNeutralised() throws {
    let rows = try parseCSV(text)
    XCTAssertEqual(rows[5][2], "'=cmd|' /C calc'!A0,x.txt")
    for trigger in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
      XCTAssertEqual(CSVReport.neutralize(trigger), "'" + trigger)
    }
    XCTAssertEqual(CSVReport.neutralize("a=1"), "a=1")
    XCTAssertEqual(CSVReport.neutralize(""), "")
  }

  func testQuotingRoundTripsCommasQuotesAndNewlines() throws {
    let cells = ["plain", "a,b", "say \"hi\"", "two\r\nlines", "lf\nonly", "", "=x"]
    let rows = try parseCSV(CSVReport.row(cells) + CSVReport.row(["z"]))
    XCTAssertEqual(rows, [["plain", "a,b", "say \"hi\"", "two\r\nlines", "lf\nonly", "", "'=x"], ["z"]])
  }

  func testRowsEndWithCRLF() {
    let t = text
    XCTAssertTrue(t.hasSuffix("\r\n"))
    let scalars = Array(t.unicodeScalars)
    let lineFeeds = scalars.indices.filter { scalars[$0] == "\n" }
    XCTAssertEqual(lineFeeds.count, ReportFixture.report.findings.map(\.locations.count).reduce(1, +))
    XCTAssertTrue(lineFeeds.allSatisfy { $0 > 0 && scalars[$0 - 1] == "\r" }, "a bare LF")
  }

  func testScannedContentIsTerminalSafe() {
    let out = ReportRenderer.render(ReportFixture.report, format: .csv, options: ReportOptions(color: true))
    XCTAssertFalse(out.contains(0x1B))
    XCTAssertFalse(String(decoding: out, as: UTF8.self).unicodeScalars.contains("\u{202E}"))
    var report = ReportFixture.report
    report.findings[0].locations[0].path = "evil\u{1b}]0;title\u{7}\u{202E}.txt"
    let rows = try? parseCSV(
      String(decoding: ReportRenderer.render(report, format: .csv, options: ReportOptions()), as: UTF8.self))
    XCTAssertEqual(rows?[1][2], #"evil\u{1b}]0;title\u{7}\u{202e}.txt"#)
  }

  func testEmptyReportIsHeaderOnly() {
    let out = String(
      decoding: ReportRenderer.render(ReportFixture.empty, format: .csv, options: ReportOptions()), as: UTF8.self)
    XCTAssertEqual(out, CSVReport.header.joined(separator: ",") + "\r\n")
  }
}
