import Foundation
import XCTest
import FairScanTestSupport

/// One way out: library code never calls `exit` or `_exit`; commands return their code and
/// only the `fairscan` executable ends the process, after everything is written.
final class ExitHygieneTests: XCTestCase {
  /// The package root, from this file's path.
  var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }

  func testNoLibraryTargetCallsExit() throws {
    let sources = packageRoot.appendingPathComponent("Sources")
    let executables: Set<String> = ["fairscan", "fair-emulator", "generate-builtin-rules"]
    let call = try NSRegularExpression(pattern: #"(?<![A-Za-z0-9_.])(?:Foundation\.|Glibc\.)?_?exit\s*\("#)
    var offenders: [String] = []
    var checked = 0
    let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { !executables.contains($0) }
    for target in targets {
      let folder = sources.appendingPathComponent(target)
      guard let walk = FileManager.default.enumerator(atPath: folder.path) else { continue }
      for case let file as String in walk where file.hasSuffix(".swift") {
        checked += 1
        let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
          let code = String(line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
          if call.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil {
            offenders.append("\(target)/\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
          }
        }
      }
    }
    XCTAssertGreaterThan(checked, 50, "the library sources were found")
    XCTAssertEqual(offenders, [], "only the executables may end the process")
  }

  /// A report of a few MB piped to a reader that takes its time arrives whole, and the exit
  /// code still says findings.
  func testAPipedReportIsCompleteAndTheExitCodeNonzero() throws {
    let rules = try TestRules.file()
    let folder = try TemporaryFolder.make()
    for i in 0..<1500 {
      let secret = "Ab3dEf6hIj9kLm2nOp5q" + String(format: "%04d", i)
      try "k\(i) = tok_\(secret)\n".write(
        to: folder.appendingPathComponent("f\(i).txt"), atomically: false, encoding: .utf8)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Fairscan.binary)
    process.arguments = ["dir", folder.path, "--only-rules", rules, "--no-verify", "--format", "json"]
    var environment = ProcessInfo.processInfo.environment
    environment["FAIRSCAN_CACHE_DIR"] = try TemporaryFolder.make().path
    process.environment = environment
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    var received = Data()
    let reader = out.fileHandleForReading
    while true {
      // A slow reader: small reads with pauses, so fairscan's writes block on a full pipe.
      let chunk = try reader.read(upToCount: 16 * 1024) ?? Data()
      if chunk.isEmpty { break }
      received += chunk
      usleep(2_000)
    }
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 1)
    XCTAssertGreaterThan(received.count, 1_000_000)
    let report = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: received) as? [String: Any], "the whole report parses")
    XCTAssertEqual(report.findings.count, 1500)
  }
}
