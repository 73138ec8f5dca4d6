import Foundation
import XCTest
@testable import FairScanKit

/// Properties every format must keep, whatever its layout.
final class SafetyTests: XCTestCase {
  let optionSets = [ReportOptions(), ReportOptions(color: true), ReportOptions(maxLocations: 100)]

  func testNoRawSecretInAnyFormat() {
    for format in ReportFormat.allCases {
      for options in optionSets {
        let text = String(
          decoding: ReportRenderer.render(ReportFixture.report, format: format, options: options), as: UTF8.self)
        for secret in ReportFixture.rawSecrets {
          XCTAssertFalse(text.contains(secret), "\(format) output contains a raw secret")
          // Nor a long stretch of it.
          XCTAssertFalse(
            text.contains(String(secret.dropFirst(4).prefix(12))), "\(format) output contains part of a raw secret")
        }
      }
    }
  }

  func testAnUnredactedSecretIsRedactedWhenSecretsAreHidden() throws {
    var report = ReportFixture.report
    let raw = ReportFixture.rawSecrets[0]
    report.findings[0].secret = raw
    report.findings[0].locations[0].snippet = "api_key: \(raw)"
    for format in ReportFormat.allCases {
      let text = String(
        decoding: ReportRenderer.render(report, format: format, options: ReportOptions()), as: UTF8.self)
      XCTAssertFalse(text.contains(raw), "\(format) leaked a secret upstream forgot to redact")
      XCTAssertTrue(text.contains("fair…(41)"), "\(format) lacks the redacted form")
    }
    let shown = String(
      decoding: ReportRenderer.render(report, format: .json, options: ReportOptions(showSecrets: true)), as: UTF8.self)
    XCTAssertTrue(shown.contains(raw), "--show-secrets must show what upstream put in Finding.secret")
  }

  func testRedactedShapeIsRecognised() {
    XCTAssertTrue(SecretGuard.looksRedacted("fair…(41)"))
    XCTAssertTrue(SecretGuard.looksRedacted("…(3)"))
    XCTAssertFalse(SecretGuard.looksRedacted("fair_AbCd1234"))
    XCTAssertFalse(SecretGuard.looksRedacted("abc…(x)"))
    XCTAssertFalse(SecretGuard.looksRedacted("a-very-long-secret-prefix-that-is-not-redacted-at-all…(5)"))
  }

  func testEveryFormatEndsWithANewlineAndIsValidUTF8() {
    for format in ReportFormat.allCases {
      for report in [ReportFixture.report, ReportFixture.empty] {
        let bytes = ReportRenderer.render(report, format: format, options: ReportOptions())
        XCTAssertEqual(bytes.last, UInt8(ascii: "\n"), "\(format)")
        XCTAssertNotNil(String(validating: bytes, as: UTF8.self), "\(format)")
      }
    }
  }

  func testRenderingIsDeterministic() {
    for format in ReportFormat.allCases {
      XCTAssertEqual(
        ReportRenderer.render(ReportFixture.report, format: format, options: ReportOptions()),
        ReportRenderer.render(ReportFixture.report, format: format, options: ReportOptions()), "\(format)")
    }
  }

  func testSchemaCopiesAreIdentical() throws {
    let docs = Paths.packageRoot.appendingPathComponent("docs/report.schema.json")
    let fixture = Paths.fixtures.appendingPathComponent("report.schema.json")
    let fm = FileManager.default
    guard fm.fileExists(atPath: docs.path), fm.fileExists(atPath: fixture.path) else {
      XCTAssertTrue(fm.fileExists(atPath: fixture.path), "Fixtures/report.schema.json is missing")
      return
    }
    XCTAssertEqual(
      fm.contents(atPath: docs.path), fm.contents(atPath: fixture.path),
      "docs/report.schema.json and Tests/ReportTests/Fixtures/report.schema.json differ; copy docs/ over the fixture")
  }
}
