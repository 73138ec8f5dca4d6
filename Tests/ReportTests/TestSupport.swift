import Foundation
import XCTest
@_exported import FairScanTestSupport

/// Where the test sources and the package live, found from this file's path so tests
/// never depend on the working directory or on bundled resources.
enum Paths {
  static let testDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let fixtures = testDirectory.appendingPathComponent("Fixtures")
  static let expected = fixtures.appendingPathComponent("expected")
  static let packageRoot = testDirectory.deletingLastPathComponent().deletingLastPathComponent()
}

/// Compares output with `Fixtures/expected/<name>`, line endings normalised.
/// `FAIRSCAN_UPDATE_GOLDEN=1 swift test` rewrites the file instead; review the diff.
func assertGolden(_ bytes: [UInt8], named name: String, file: StaticString = #filePath, line: UInt = #line) throws {
  let url = Paths.expected.appendingPathComponent(name)
  if ProcessInfo.processInfo.environment["FAIRSCAN_UPDATE_GOLDEN"] == "1" {
    try FileManager.default.createDirectory(at: Paths.expected, withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    print("updated golden file \(name)")
    return
  }
  guard let data = FileManager.default.contents(atPath: url.path) else {
    XCTFail(
      "missing golden file \(name); run FAIRSCAN_UPDATE_GOLDEN=1 swift test and review it", file: file, line: line)
    return
  }
  let expected = normaliseLineEndings(String(decoding: data, as: UTF8.self))
  let actual = normaliseLineEndings(String(decoding: bytes, as: UTF8.self))
  if expected != actual {
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let first = (0..<min(e.count, a.count)).first(where: { e[$0] != a[$0] }) ?? min(e.count, a.count)
    let want = first < e.count ? String(e[first]) : "<end>"
    let got = first < a.count ? String(a[first]) : "<end>"
    XCTFail(
      "\(name) differs from golden at line \(first + 1):\n  expected: \(want)\n  actual:   \(got)\n(FAIRSCAN_UPDATE_GOLDEN=1 regenerates)",
      file: file, line: line)
  }
}

func normaliseLineEndings(_ s: String) -> String {
  s.replacingOccurrences(of: "\r\n", with: "\n")
}

/// A strict RFC 4180 reader for tests: quoted fields may hold commas, quotes and line breaks.
func parseCSV(_ text: String) throws -> [[String]] {
  struct CSVError: Error, CustomStringConvertible { var description: String }
  var rows: [[String]] = []
  var row: [String] = []
  var field = ""
  var scalars = Array(text.unicodeScalars)[...]
  var quoted = false
  var fieldStarted = false
  while let c = scalars.popFirst() {
    if quoted {
      if c == "\"" {
        if scalars.first == "\"" { scalars.removeFirst(); field.unicodeScalars.append("\"") } else { quoted = false }
      } else {
        field.unicodeScalars.append(c)
      }
      continue
    }
    switch c {
    case "\"":
      guard field.isEmpty else { throw CSVError(description: "quote inside an unquoted field") }
      quoted = true; fieldStarted = true
    case ",":
      row.append(field); field = ""; fieldStarted = false
    case "\r":
      guard scalars.popFirst() == "\n" else { throw CSVError(description: "bare CR outside quotes") }
      row.append(field); rows.append(row); row = []; field = ""; fieldStarted = false
    case "\n":
      throw CSVError(description: "bare LF line ending (RFC 4180 wants CRLF)")
    default:
      field.unicodeScalars.append(c); fieldStarted = true
    }
  }
  if quoted { throw CSVError(description: "unterminated quoted field") }
  if fieldStarted || !row.isEmpty { row.append(field); rows.append(row) }
  return rows
}
