import Foundation
import Synchronization
import XCTest

@testable import FairScanKit

/// A file scan whose scanner cannot be set up says so: the files are listed as unreadable and the
/// scan is incomplete, never clean.
final class FileScanSetUpTests: XCTestCase {
  struct SetUpFailed: Error, CustomStringConvertible { var description: String { "no scratch space" } }
  final class Calls: Sendable { let count = Atomic<Int>(0) }

  private func folder(files: Int) throws -> (root: String, paths: [String]) {
    let root = NSTemporaryDirectory() + "fairscan-filescan-\(UUID().uuidString)/"
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
    var paths: [String] = []
    for i in 0..<files {
      let path = "f\(i).ini"
      let text = i == 0 ? "aws_access_key_id = AKIA" + "Z7VRSQ5TJN2XMBLE\n" : "nothing here \(i)\n"
      try Data(text.utf8).write(to: URL(fileURLWithPath: root + path))
      paths.append(path)
    }
    return (root, paths)
  }

  func testNoScannerMeansEveryFileIsUnreadableAndTheScanIncomplete() throws {
    let (root, paths) = try folder(files: 20)
    var options = ScanOptions()
    options.jobs = 2
    let scan = FileScan.run(
      root: root, relativePaths: paths, ruleSet: try RuleSet(rules: try BuiltinRules.rules()), options: options,
      source: .file, makeWorker: { throw SetUpFailed() })
    XCTAssertEqual(scan.files, 0)
    XCTAssertEqual(scan.skipped.count, 20)
    XCTAssertTrue(scan.skipped.allSatisfy { $0.reason == .unreadable }, "\(scan.skipped)")
    XCTAssertTrue(scan.skipped.first?.detail?.contains("no scratch space") ?? false, "\(scan.skipped)")
    var collector = FindingCollector(ruleSet: try RuleSet(rules: []), excludePaths: [])
    var summary = ScanSummary()
    scan.apply(to: &collector, summary: &summary)
    XCTAssertEqual(summary.incomplete, ["20 file(s) could not be read"])
  }

  /// One thread that cannot set up leaves the files to the others: all are scanned.
  func testAThreadThatCannotSetUpLeavesTheFilesToTheOthers() throws {
    let (root, paths) = try folder(files: 20)
    let ruleSet = try RuleSet(rules: try BuiltinRules.rules())
    var options = ScanOptions()
    options.jobs = 2
    let workerOptions = options
    let calls = Calls()
    let scan = FileScan.run(
      root: root, relativePaths: paths, ruleSet: ruleSet, options: options, source: .file,
      makeWorker: {
        if calls.count.add(1, ordering: .relaxed).oldValue == 0 { throw SetUpFailed() }
        return try ScanWorker(ruleSet: ruleSet, options: workerOptions)
      })
    XCTAssertEqual(calls.count.load(ordering: .relaxed), 2, "two threads")
    XCTAssertEqual(scan.files, 20)
    XCTAssertTrue(scan.skipped.isEmpty, "\(scan.skipped)")
    XCTAssertEqual(scan.hits.map(\.path), ["f0.ini"])
  }
}
