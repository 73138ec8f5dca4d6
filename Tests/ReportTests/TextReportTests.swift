import XCTest
@testable import FairScanKit

final class TextReportTests: XCTestCase {
  func render(_ report: ScanReport = ReportFixture.report, _ options: ReportOptions = ReportOptions()) -> String {
    String(decoding: ReportRenderer.render(report, format: .text, options: options), as: UTF8.self)
  }

  func testMatchesGolden() throws {
    try assertGolden(
      ReportRenderer.render(ReportFixture.report, format: .text, options: ReportOptions()), named: "text.txt")
  }

  func testColorMatchesGolden() throws {
    try assertGolden(
      ReportRenderer.render(ReportFixture.report, format: .text, options: ReportOptions(color: true)),
      named: "text-color.txt")
  }

  func testNoFindingsIsOneLine() {
    XCTAssertEqual(render(ReportFixture.empty), "no secrets found\n")
    XCTAssertEqual(render(ReportFixture.empty, ReportOptions(color: true)), "no secrets found\n")
  }

  func testScannedContentCannotReachTheTerminalRaw() {
    let out = ReportRenderer.render(ReportFixture.report, format: .text, options: ReportOptions())
    XCTAssertFalse(out.contains(0x1B), "raw ESC in text output")
    let text = String(decoding: out, as: UTF8.self)
    XCTAssertFalse(text.unicodeScalars.contains("\u{202E}"), "raw bidi override in text output")
    XCTAssertTrue(
      text.contains(#"Add settings \u{1b}[31mred\u{1b}[0m \u{202e}gnp.exe"#), "hostile summary not shown escaped")
  }

  func testColorUsesOnlyOwnEscapeSequences() {
    var text = render(ReportFixture.report, ReportOptions(color: true))
    XCTAssertTrue(text.contains("\u{1b}[1;31mCRITICAL\u{1b}[0m"))
    XCTAssertTrue(text.contains("\u{1b}[31mHIGH\u{1b}[0m"))
    XCTAssertTrue(text.contains("\u{1b}[33mMEDIUM\u{1b}[0m"))
    XCTAssertTrue(text.contains("\u{1b}[36mLOW\u{1b}[0m"))
    for sequence in TextReport.ownEscapeSequences { text = text.replacingOccurrences(of: sequence, with: "") }
    XCTAssertFalse(text.unicodeScalars.contains("\u{1b}"), "an escape byte other than the renderer's SGR codes")
    XCTAssertFalse(text.unicodeScalars.contains("\u{202E}"))
    // Without the codes, coloured output reads like plain output.
    XCTAssertEqual(text, render())
  }

  func testBlockShowsEverythingAboutAFinding() {
    let text = render()
    let f = ReportFixture.report.findings[0]
    for expected in [
      "CRITICAL  FAIR API key (fair.api-key)\n",
      "  config/prod settings/clé ñ #1 100%.yml:12:9\n",
      "  secret:       fair…(41)\n",
      "  fingerprint:  \(f.fingerprint)\n",
      "  status:       present at HEAD, in worktree\n",
      "      commit a1b2c3d  2026-03-16T11:39:32Z  Jane Doe  ",
      "  fix: revoke the key with `fairscan keys revoke`, then remove it from history\n",
      "  status:       not at HEAD, not in worktree, only in unreachable objects\n",
      "[unreachable]",
      "    - commit message  (commit message):4:10\n",
    ] {
      XCTAssertTrue(text.contains(expected), "missing \(expected.debugDescription)")
    }
  }

  func testTokenExpiryAndEncodingAreShown() {
    let text = render()
    XCTAssertTrue(text.contains("  token:        access token, expired 2023-11-14T22:13:20Z\n"), text)
    XCTAssertTrue(text.contains("  tags:         encoded\n"), text)
    XCTAssertTrue(text.contains("k8s/secret.yaml:8:17  [base64-encoded]"), text)
  }

  func testLocationsAreCappedWithACount() {
    let text = render(ReportFixture.report, ReportOptions(maxLocations: 5))
    XCTAssertTrue(text.contains("  locations:    7\n"))
    XCTAssertTrue(text.contains("    … 2 more locations\n"))
    let all = render(ReportFixture.report, ReportOptions(maxLocations: 10))
    XCTAssertFalse(all.contains("more location"))
  }

  func testBlocksAreSeparatedByOneBlankLineAndNothingFollows() {
    let text = render()
    XCTAssertEqual(text.components(separatedBy: "\n\n").count, ReportFixture.report.findings.count)
    XCTAssertTrue(text.hasSuffix("this token expired at 2023-11-14T22:13:20Z; remove it\n"))
    XCTAssertFalse(text.contains("no secrets found"))
  }
}
