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
    let rules = try RuleSet(rules: [
      Rule(id: "t.tok", name: "t", pattern: "tok_(?<secret>[A-Za-z0-9]{24})", keywords: ["tok_"])
    ])
    let result = try ObjectScan.run(
      gitDirectory: git.gitDirectory, ids: try git.listAllObjects().ids, ruleSet: rules, options: ScanOptions(),
      makeReader: { try FlakyReader(gitDirectory: $0, broken: brokenID) })
    XCTAssertEqual(result.unreadable.map(\.0), [brokenID])
    XCTAssertEqual(result.blobHits.count, 1, "a.txt still scanned")
    XCTAssertEqual(result.blobs, 1)
    XCTAssertEqual(result.commits, 1)
  }
}

/// Attribution gives the same answer whether it walks beside the scan or after it.
final class AttributionModeTests: XCTestCase {
  func testConcurrentAndSequentialWalksAgree() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "tok_Ab3dEf6hIj9kLm2nOp5qRs8t\n")
    try repo.commitAll("add a")
    try repo.git("checkout", "-q", "-b", "side")
    try repo.write("b/c.txt", "x tok_Zz9yXw8vUt7sRq6pOn5mLk4j\n")
    try repo.commitAll("add c on side")
    try repo.git("checkout", "-q", "main")
    try repo.remove("a.txt")
    try repo.commitAll("remove a")
    let rules = try RuleSet(rules: [
      Rule(id: "t.tok", name: "t", pattern: "tok_(?<secret>[A-Za-z0-9]{24})", keywords: ["tok_"])
    ])
    var options = ScanOptions()
    options.history = .historyOnly
    let concurrent = try RepositoryScanner(ruleSet: rules, options: options).scan(path: repo.path)
    options.concurrentWalkLimit = 0
    let sequential = try RepositoryScanner(ruleSet: rules, options: options).scan(path: repo.path)
    XCTAssertEqual(concurrent.findings.count, 2)
    XCTAssertEqual(concurrent.findings, sequential.findings)
    XCTAssertEqual(Set(concurrent.findings.map(\.path)), ["a.txt", "b/c.txt"])
    XCTAssertTrue(concurrent.findings.allSatisfy { !$0.locations[0].commits.isEmpty })
  }
}

/// A rescan of an unchanged repository replays its history record and reads no file again: it
/// never sets a scanner up (no keyword database read, no pattern compiled), and finds the same.
final class ReplayWithoutScannerTests: XCTestCase {
  func testAReplayedRescanMakesNoScanner() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "tok_Ab3dEf6hIj9kLm2nOp5qRs8t\n")
    try repo.write("b.txt", "nothing\n")
    try repo.commitAll("add a and b")
    let rule = Rule(id: "t.tok", name: "t", pattern: "tok_(?<secret>[A-Za-z0-9]{24})", keywords: ["tok_"])
    var options = ScanOptions()
    options.cache = .inGitDirectory
    let first = try RuleSet(rules: [rule])
    let cold = try RepositoryScanner(ruleSet: first, options: options).scan(path: repo.path)
    XCTAssertTrue(first.hasKeywordMatcher, "the first scan reads the objects")
    let again = try RuleSet(rules: [rule])
    let warm = try RepositoryScanner(ruleSet: again, options: options).scan(path: repo.path)
    XCTAssertFalse(again.hasKeywordMatcher, "the rescan set no scanner up")
    XCTAssertEqual(warm.summary.bytesScanned, 0)
    XCTAssertEqual(warm.findings, cold.findings)
    XCTAssertEqual(warm.findings.count, 1)
  }
}

/// The attribution walk pruned to the trees that hold wanted blobs (`TreeContainment`) gives
/// the wanted blobs the same introductions, and meets the same objects, as the full walk.
final class PrunedWalkTests: XCTestCase {
  func testPrunedAndFullWalksAgree() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "tok_Ab3dEf6hIj9kLm2nOp5qRs8t\n")
    try repo.write("docs/deep/x.md", "x\n")
    try repo.commitAll("add a")
    try repo.git("checkout", "-q", "-b", "side")
    try repo.write("b/c.txt", "x tok_Zz9yXw8vUt7sRq6pOn5mLk4j\n")
    try repo.write("docs/deep/y.md", "tok_Ab3dEf6hIj9kLm2nOp5qRs8t\n")  // a.txt's bytes at a second path
    try repo.commitAll("add c on side")
    try repo.git("checkout", "-q", "main")
    try repo.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
    try repo.git("mv", "b/c.txt", "b/moved.txt")
    try repo.remove("a.txt")
    try repo.commitAll("move c, remove a")
    try repo.git("checkout", "-q", "--detach", "HEAD~1")
    try repo.write("lost.txt", "tok_Qq1wWe2rRt3yYu4iIo5pPa6s\n")
    try repo.commitAll("soon unreachable")
    try repo.git("checkout", "-q", "main")

    LibGit2.initialize()
    let git = try Repository(path: repo.path)
    let full = try git.walkHistory(HistoryWalkOptions())
    let blobs = Set(full.introducedBlobs)
    for wanted in [blobs, Set(blobs.prefix(1)), []] {
      var options = HistoryWalkOptions()
      options.wantedBlobs = wanted
      let pruned = try git.walkHistory(options)
      for blob in wanted {
        func described(_ index: HistoryIndex) -> [String] {
          index.introductions(of: blob).map {
            "\(index.commits[$0.commit].id.hex) \($0.path) \($0.unreachable) \($0.atOrBefore)"
          }
        }
        XCTAssertEqual(described(pruned), described(full))
      }
      XCTAssertEqual(pruned.reachableObjects, full.reachableObjects)
      XCTAssertEqual(pruned.reachableCommits, full.reachableCommits)
      XCTAssertEqual(pruned.unreachableCommits, full.unreachableCommits)
    }
    XCTAssertGreaterThan(full.unreachableCommits.count, 0)
  }
}

/// The reader hands objects to the scanners through a bounded queue.
final class WorkQueueTests: XCTestCase {
  func testBoundedInOrderAndFinishes() {
    let queue = WorkQueue()
    let zero = ObjectID(hex: String(repeating: "0", count: 40))!
    var offered = 0
    while queue.offer(.blob(zero, Self.contents([UInt8(offered & 0xFF)]))) { offered += 1 }
    XCTAssertEqual(offered, WorkQueue.maxItems, "a full queue refuses, so the reader scans the object itself")
    if case .blob(_, let contents)? = queue.take() {
      XCTAssertEqual(Array(contents.bytes), [0])
    } else {
      XCTFail("first item")
    }
    XCTAssertTrue(queue.offer(.blob(zero, Self.contents([]))), "room again after a take")
    queue.finish()
    var rest = 0
    while queue.take() != nil { rest += 1 }
    XCTAssertEqual(rest, WorkQueue.maxItems)
  }

  func testByteBoundAdmitsOneLargeObject() {
    let queue = WorkQueue()
    let zero = ObjectID(hex: String(repeating: "0", count: 40))!
    let big = [UInt8](repeating: 1, count: WorkQueue.maxBytes + 1)
    XCTAssertTrue(
      queue.offer(.blob(zero, Self.contents(big))), "an empty queue takes even an object over the byte bound")
    XCTAssertFalse(queue.offer(.blob(zero, Self.contents([1]))), "then it is full by bytes")
  }

  static func contents(_ bytes: [UInt8]) -> ObjectContents {
    bytes.withUnsafeBytes { ObjectContents(kind: .blob, copying: $0) }
  }

  /// libgit2's buffer is handed over, not copied, and stays valid after the reader moves on.
  func testContentsOutliveTheReadAndMatchWithObject() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "alpha\n")
    try repo.write("b.txt", "beta\n")
    try repo.commitAll("two files")
    LibGit2.initialize()
    let git = try Repository(path: repo.path)
    let reader = try ObjectReader(gitDirectory: git.gitDirectory)
    let ids = try git.listAllObjects().ids
    let held = try ids.map { try reader.contents($0) }
    for (id, contents) in zip(ids, held) {
      let copy = try reader.withObject(id) { kind, bytes in (kind, Array(bytes)) }
      XCTAssertEqual(contents.kind, copy.0)
      XCTAssertEqual(Array(contents.bytes), copy.1)
    }
  }
}

/// Same bytes, same answer: a history scanned by walking its pack finds exactly what reading
/// each object by id through libgit2 finds.
final class PackWalkScanTests: XCTestCase {
  func testWalkingThePackAndReadingOneByOneAgree() throws {
    let repo = try GitFixture()
    let secrets = ["Ab3dEf6hIj9kLm2nOp5qRs8t", "Zz9yXw8vUt7sRq6pOn5mLk4j", "Qq1wEe2rTt3yUu4iOo5pAa6s"]
    var config = ""
    for i in 0..<30 {
      config += "setting_\(i) = " + String(repeating: "value\(i) ", count: 3) + "\n"
      let secret = i % 10 == 3 ? "token tok_\(secrets[i % 3])\n" : ""
      try repo.write("app/config.ini", config + secret)
      try repo.write("app/big.txt", String(repeating: "padding line \(i)\n", count: 200))
      try repo.commitAll(i == 7 ? "rotate tok_\(secrets[1])" : "commit \(i)")
    }
    try repo.git("tag", "-a", "v1", "-m", "release with tok_\(secrets[2])")
    try repo.git("repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50")
    let git = try Repository(path: repo.path)
    let packs = git.packIndexPaths()
    XCTAssertEqual(packs.count, 1)
    let ids = try git.listAllObjects().ids
    let rules = try RuleSet(rules: [
      Rule(id: "t.tok", name: "t", pattern: "tok_(?<secret>[A-Za-z0-9]{24})", keywords: ["tok_"])
    ])
    var options = ScanOptions()
    options.maxFileSize = 3000  // app/big.txt is over it from its eleventh version on
    let walked = try ObjectScan.run(
      gitDirectory: git.gitDirectory, ids: ids, ruleSet: rules, options: options, packs: packs)
    let oneByOne = try ObjectScan.run(gitDirectory: git.gitDirectory, ids: ids, ruleSet: rules, options: options)

    XCTAssertEqual(walked.blobHits.count, 3, "the config.ini versions that hold a token")
    XCTAssertEqual(walked.blobHits, oneByOne.blobHits)
    XCTAssertEqual(walked.scannedBlobs, oneByOne.scannedBlobs)
    XCTAssertEqual(walked.commitHits.map(\.0.info.id).sorted(), oneByOne.commitHits.map(\.0.info.id).sorted())
    XCTAssertEqual(walked.commitHits.count, 1)
    XCTAssertEqual(walked.tagHits.map(\.0.id), oneByOne.tagHits.map(\.0.id))
    XCTAssertEqual(walked.tagHits.count, 1)
    XCTAssertEqual(Set(walked.commitIDs), Set(oneByOne.commitIDs))
    XCTAssertEqual(
      walked.tooLarge.map { "\($0.0) \($0.1)" }.sorted(), oneByOne.tooLarge.map { "\($0.0) \($0.1)" }.sorted())
    XCTAssertEqual(walked.tooLarge.count, 20)
    XCTAssertTrue(walked.unreadable.isEmpty && oneByOne.unreadable.isEmpty)
    XCTAssertEqual([walked.blobs, walked.commits, walked.bytes], [oneByOne.blobs, oneByOne.commits, oneByOne.bytes])
  }
}
