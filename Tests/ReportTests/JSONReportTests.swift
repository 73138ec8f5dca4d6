import Foundation
import XCTest
@testable import FairScanKit

final class JSONReportTests: XCTestCase {
  func testMatchesGolden() throws {
    try assertGolden(
      ReportRenderer.render(ReportFixture.report, format: .json, options: ReportOptions()), named: "json.json")
  }

  func testDecodesToAnEqualReport() throws {
    for report in [ReportFixture.report, ReportFixture.empty] {
      let bytes = ReportRenderer.render(report, format: .json, options: ReportOptions())
      XCTAssertEqual(bytes.last, UInt8(ascii: "\n"))
      let decoded = try JSONDecoder().decode(ScanReport.self, from: Data(bytes))
      XCTAssertEqual(decoded, report)
    }
  }

  func testValidatesAgainstReportSchema() throws {
    let schema = Paths.fixtures.appendingPathComponent("report.schema.json")
    try assertValidates(
      ReportRenderer.render(ReportFixture.report, format: .json, options: ReportOptions()), schema: schema)
    try assertValidates(
      ReportRenderer.render(ReportFixture.empty, format: .json, options: ReportOptions()), schema: schema)
  }

  func testAReportWithEveryTagTheScannerWritesValidates() throws {
    // The tags FindingCollector sets; test-fixture marks a rule's test vector in test code (`info`).
    var report = ReportFixture.report
    report.findings[0].tags = ["unreachable", "encoded", "frontend", "expired", "test-fixture"]
    report.findings[0].severity = .info
    let bytes = ReportRenderer.render(report, format: .json, options: ReportOptions())
    XCTAssertTrue(String(decoding: bytes, as: UTF8.self).contains("\"test-fixture\""))
    let schemaPath = Paths.fixtures.appendingPathComponent("report.schema.json")
    try assertValidates(bytes, schema: schemaPath)
    let schema = String(decoding: try Data(contentsOf: schemaPath), as: UTF8.self)
    XCTAssertTrue(
      schema.contains("unreachable, encoded, frontend, expired, test-fixture"), "the schema lists every tag")
  }

  func testSchemaRejectsABrokenReport() throws {
    // Guards the validator itself: a schema that accepted anything would pass the test above.
    let schema = Paths.fixtures.appendingPathComponent("report.schema.json")
    var object = try XCTUnwrap(
      JSONSerialization.jsonObject(
        with: Data(ReportRenderer.render(ReportFixture.report, format: .json, options: ReportOptions())))
        as? [String: Any])
    object["findings"] = [["rule_id": "x"]]
    let broken = try JSONSerialization.data(withJSONObject: object)
    let process = try validatorRejects(Array(broken), schema: schema)
    XCTAssertTrue(process, "report.schema.json accepted a finding with only rule_id")
  }

  func testKeysAreSortedAndSlashesUnescaped() {
    let text = String(
      decoding: ReportRenderer.render(ReportFixture.report, format: .json, options: ReportOptions()), as: UTF8.self)
    XCTAssertTrue(text.hasPrefix("{\n  \"findings\""))
    XCTAssertTrue(text.contains("config/prod settings"))
    XCTAssertFalse(text.contains("\\/"))
  }

  func testInvisibleCharactersAreEscaped() {
    let text = String(
      decoding: ReportRenderer.render(ReportFixture.report, format: .json, options: ReportOptions()), as: UTF8.self)
    XCTAssertFalse(text.unicodeScalars.contains("\u{1b}"))
    XCTAssertFalse(text.unicodeScalars.contains("\u{202E}"))
    XCTAssertTrue(text.contains("\\u202e"))
    XCTAssertEqual(JSONOutput.escapeInvisible("\"a\u{200B}b\u{85}\""), "\"a\\u200bb\\u0085\"")
  }
}

/// True when python's jsonschema rejects the document (exit status 1).
func validatorRejects(_ document: [UInt8], schema: URL) throws -> Bool {
  let instance = FileManager.default.temporaryDirectory.appendingPathComponent(
    "fairscan-broken-\(UUID().uuidString).json")
  try Data(document).write(to: instance)
  defer { try? FileManager.default.removeItem(at: instance) }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [
    "python3", "-c",
    "import json,sys\ntry:\n from jsonschema.validators import validator_for\nexcept ImportError:\n sys.exit(3)\ns=json.load(open(sys.argv[1]))\ni=json.load(open(sys.argv[2]))\nsys.exit(0 if validator_for(s)(s).is_valid(i) else 1)",
    schema.path, instance.path,
  ]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  try process.run()
  process.waitUntilExit()
  return process.terminationStatus == 1
}
