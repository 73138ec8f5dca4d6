import XCTest
import FairScanTestSupport
@testable import FairScanGit

final class ObjectReaderTests: XCTestCase {
  func testReadsBytesAndKindsLikeCatFile() throws {
    let f = try GitFixture()
    try f.write("docs/readme.md", "# Title\nbody \u{00e9}\n")
    let commit = try f.commitID("initial commit\n\nwith a body")
    try f.git("tag", "-a", "v1", "-m", "tag message")
    let repo = try f.open()
    let reader = try ObjectReader(gitDirectory: repo.gitDirectory)
    let tree = try f.id("HEAD^{tree}")
    let blob = try f.id("HEAD:docs/readme.md")
    let tag = try f.id("refs/tags/v1")
    let cases: [(ObjectID, ObjectKind, String)] = [
      (commit, .commit, "commit"), (tree, .tree, "tree"), (blob, .blob, "blob"), (tag, .tag, "tag"),
    ]
    for (id, kind, type) in cases {
      let expected = try f.gitData("cat-file", type, id.hex)
      let header = try reader.header(id)
      XCTAssertEqual(header.kind, kind)
      XCTAssertEqual(header.size, expected.count)
      let (readKind, bytes) = try reader.withObject(id) { ($0, Data($1)) }
      XCTAssertEqual(readKind, kind)
      XCTAssertEqual(bytes, expected, "\(type) bytes")
    }
    let blobText = try reader.withObject(blob) { String(decoding: $1, as: UTF8.self) }
    XCTAssertEqual(blobText, try f.git("cat-file", "-p", blob.hex) + "\n")
    XCTAssertTrue(reader.contains(blob))
    XCTAssertThrowsError(try reader.header(ObjectID.zero)) { error in
      XCTAssertEqual((error as? GitError)?.function, "git_odb_read_header")
    }
    XCTAssertThrowsError(try reader.withObject(ObjectID.zero) { _, _ in 0 })
  }

  func testTwoThreadsEachWithTheirOwnReader() throws {
    let f = try GitFixture()
    for i in 0..<40 { try f.write("f\(i).txt", "content \(i)\n") }
    try f.commitID("many")
    try f.git("gc", "-q")
    let repo = try f.open()
    let ids = try repo.listAllObjects().ids
    let gitDir = repo.gitDirectory
    var expected: [ObjectID: Int] = [:]
    for id in ids { expected[id] = try repo.header(id).size }
    let expectedSizes = expected

    let group = DispatchGroup()
    let failures = LockedCounter()
    for worker in 0..<2 {
      group.enter()
      Thread.detachNewThread {
        defer { group.leave() }
        do {
          let reader = try ObjectReader(gitDirectory: gitDir)
          for round in 0..<50 {
            for id in (round + worker) % 2 == 0 ? ids : ids.reversed() {
              let size = try reader.withObject(id) { _, bytes in bytes.count }
              if size != expectedSizes[id] { failures.add() }
            }
          }
        } catch { failures.add() }
      }
    }
    XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
    XCTAssertEqual(failures.value, 0)
  }
}

final class LockedCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  func add() { lock.lock(); count += 1; lock.unlock() }
  var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
