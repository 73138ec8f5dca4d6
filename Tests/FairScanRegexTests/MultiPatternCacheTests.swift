import XCTest
import FairScanRegex

final class MultiPatternCacheTests: XCTestCase {
  private let patterns = [
    MultiPattern(id: 1, expression: "akia", kind: .literal(caseless: true, everyMatch: false)),
    MultiPattern(id: 2, expression: #"fair_[A-Za-z0-9]{8}"#, kind: .regex),
    MultiPattern(id: 3, expression: "abc(", kind: .regex),
  ]
  private let input = bytes("AKIA then fair_AbCd1234 then abc(")

  private func scanIDs(_ db: MultiPatternDatabase) throws -> [UInt32] {
    let scratch = try db.makeScratch()
    var ids: [UInt32] = []
    try input.withUnsafeBytes { try db.scan($0, scratch: scratch) { id, _ in ids.append(id) } }
    return ids.sorted()
  }

  private func cacheFiles(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".db") }
  }

  override func tearDown() {
    for path in created { try? FileManager.default.removeItem(atPath: path) }
  }
  private var created: [String] = []
  private func makeDirectory() -> String {
    let path = temporaryDirectoryPath()
    created.append(path)
    return path + "/nested/cache"  // init must create intermediate directories
  }

  func testCacheRoundTrip() throws {
    let directory = makeDirectory()
    let first = try MultiPatternDatabase(patterns: patterns, cacheDirectory: directory)
    XCTAssertFalse(first.loadedFromCache)
    XCTAssertEqual(try cacheFiles(directory).count, 1)

    let second = try MultiPatternDatabase(patterns: patterns, cacheDirectory: directory)
    XCTAssertTrue(second.loadedFromCache)
    XCTAssertEqual(second.rejected, first.rejected)
    XCTAssertEqual(Array(second.rejected.keys), [3])
    XCTAssertEqual(try scanIDs(second), try scanIDs(first))
    XCTAssertEqual(try scanIDs(second), [1, 2])
  }

  func testDifferentPatternsDoNotShareACacheFile() throws {
    let directory = makeDirectory()
    _ = try MultiPatternDatabase(patterns: patterns, cacheDirectory: directory)
    var changed = patterns
    changed[0].kind = .regex  // same id and text, different kind
    let other = try MultiPatternDatabase(patterns: changed, cacheDirectory: directory)
    XCTAssertFalse(other.loadedFromCache)
    XCTAssertEqual(try cacheFiles(directory).count, 2)
    XCTAssertEqual(try scanIDs(other), [2])  // "akia" as a case-sensitive regex misses "AKIA"
  }

  func testCorruptCacheFileIsIgnoredAndReplaced() throws {
    let directory = makeDirectory()
    let original = try MultiPatternDatabase(patterns: patterns, cacheDirectory: directory)
    let file = directory + "/" + (try XCTUnwrap(try cacheFiles(directory).first))
    var data = try XCTUnwrap(FileManager.default.contents(atPath: file))
    for i in stride(from: data.count / 2, to: min(data.count / 2 + 64, data.count), by: 1) { data[i] ^= 0x5A }
    XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: data))

    let recompiled = try MultiPatternDatabase(patterns: patterns, cacheDirectory: directory)
    XCTAssertFalse(recompiled.loadedFromCache)
    XCTAssertEqual(recompiled.rejected, original.rejected)
    XCTAssertEqual(try scanIDs(recompiled), [1, 2])

    // The rewrite replaced the corrupt file, so the next load succeeds.
    XCTAssertTrue(try MultiPatternDatabase(patterns: patterns, cacheDirectory: directory).loadedFromCache)
  }

  func testTruncatedAndGarbageCacheFilesAreIgnored() throws {
    let directory = makeDirectory()
    _ = try MultiPatternDatabase(patterns: patterns, cacheDirectory: directory)
    let file = directory + "/" + (try XCTUnwrap(try cacheFiles(directory).first))
    let data = try XCTUnwrap(FileManager.default.contents(atPath: file))
    for contents in [data.prefix(data.count - 10), Data(), Data("not a database".utf8)] {
      XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: contents))
      let db = try MultiPatternDatabase(patterns: patterns, cacheDirectory: directory)
      XCTAssertFalse(db.loadedFromCache)
      XCTAssertEqual(try scanIDs(db), [1, 2])
    }
  }

  func testUnwritableCacheDirectoryFallsBackToCompiling() throws {
    let parent = temporaryDirectoryPath()
    created.append(parent)
    // A regular file where the directory should be: creation fails, compiling still works.
    XCTAssertTrue(FileManager.default.createFile(atPath: parent, contents: Data("x".utf8)))
    let db = try MultiPatternDatabase(patterns: patterns, cacheDirectory: parent + "/cache")
    XCTAssertFalse(db.loadedFromCache)
    XCTAssertEqual(try scanIDs(db), [1, 2])
  }
}
