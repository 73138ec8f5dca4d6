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

  /// The byte-level escaping equals escaping scalar by scalar: every scalar around and inside
  /// the escaped ranges, in every position (first, last, beside each other, beside 2-, 3- and
  /// 4-byte scalars), and in pseudo-random mixes.
  func testInvisibleEscapingEqualsScalarByScalarEscaping() {
    func reference(_ text: String) -> String {
      var out = ""
      for scalar in text.unicodeScalars {
        if JSONOutput.needsEscape(scalar.value) {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
      return out
    }
    let edges: [UInt32] = [
      0x41, 0x7E, 0x7F, 0x80, 0x85, 0x9F, 0xA0, 0xC2, 0xDF, 0xE2, 0xEF, 0xFF, 0x100, 0x2026, 0x200A, 0x200B, 0x200F,
      0x2010, 0x2027, 0x2028, 0x202E, 0x202F, 0x2065, 0x2066, 0x2069, 0x206A, 0xFEFE, 0xFEFF, 0xFF00, 0x1F600,
    ]
    let scalars = edges.compactMap(Unicode.Scalar.init)
    var texts = [""] + scalars.map { String($0) }
    for a in scalars { for b in scalars { texts.append("x\(a)\(b)") } }
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<500 {
      var text = ""
      for _ in 0..<(Int(seed % 40)) {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        text.unicodeScalars.append(scalars[Int(seed >> 33) % scalars.count])
      }
      texts.append(text)
    }
    for text in texts { XCTAssertEqual(JSONOutput.escapeInvisible(text), reference(text), "\(Array(text.utf8))") }
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
