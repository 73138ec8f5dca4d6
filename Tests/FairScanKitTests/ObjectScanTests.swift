import Foundation
import XCTest
import FairScanGit
import FairScanTestSupport
@testable import FairScanKit

/// The object reader is a seam: the scan runs on any `ObjectReading`.
final class ObjectScanTests: XCTestCase {
  /// Serves everything from libgit2 but one object, which "fails to read".
  final class FlakyReader: ObjectReading {
    let inner: ObjectReader
    let broken: ObjectID
    init(gitDirectory: String, broken: ObjectID) throws {
      inner = try ObjectReader(gitDirectory: gitDirectory)
      self.broken = broken
    }
    func header(_ id: ObjectID) throws(GitError) -> (kind: ObjectKind, size: Int) {
      if id == broken { throw GitError(function: "test", code: -1, message: "injected read failure") }
      return try inner.header(id)
    }
    func withObject<T>(_ id: ObjectID, _ body: (ObjectKind, UnsafeRawBufferPointer) throws -> T) throws -> T {
      try inner.withObject(id, body)
    }
  }

  func testAnyReaderCanServeTheScanAndItsFailuresAreReported() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "token tok_Ab3dEf6hIj9kLm2nOp5qRs8t\n")
    try repo.write("b.txt", "token tok_Zz9yXw8vUt7sRq6pOn5mLk4j\n")
    try repo.commitAll("two")
    let brokenID = try XCTUnwrap(ObjectID(hex: try repo.git("rev-parse", "HEAD:b.txt")))
    let git = try Repository(path: repo.path)
    let rules = try RuleSet(rules: [Rule(id: "t.tok", name: "t", pattern: "tok_(?<secret>[A-Za-z0-9]{24})", keywords: ["tok_"])])
    let result = try ObjectScan.run(
      gitDirectory: git.gitDirectory, ids: try git.listAllObjects().ids, ruleSet: rules, options: ScanOptions(),
      makeReader: { try FlakyReader(gitDirectory: $0, broken: brokenID) })
    XCTAssertEqual(result.unreadable.map(\.0), [brokenID])
    XCTAssertEqual(result.blobHits.count, 1, "a.txt still scanned")
    XCTAssertEqual(result.blobs, 1)
    XCTAssertEqual(result.commits, 1)
  }
}
