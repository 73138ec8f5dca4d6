import XCTest
import FairScanTestSupport
@testable import FairScanGit

/// Damaged refs are named one by one and hide none of the intact ones; a partial clone's
/// promisor remote is known; a shallow boundary introduces what it holds "at or before" itself.
final class RepositoryDamageTests: XCTestCase {
  func branches() throws -> GitFixture {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    try f.commitAll("one")
    try f.git("branch", "side")
    try f.write("b.txt", "b\n")
    try f.commitAll("two")
    return f
  }

  func testIntactRefsHaveNoDamage() throws {
    let f = try branches()
    XCTAssertEqual(try f.open().referenceDamage(), [])
    try f.git("pack-refs", "--all")
    XCTAssertEqual(try f.open().referenceDamage(), [])
    XCTAssertEqual(try f.open().headBranch, "main")
  }

  func testReferencesListDirectRefsAtTheirTargetsAndSymbolicOnesFollowed() throws {
    let f = try branches()
    let main = try f.head(), side = try f.id("side")
    try f.git("tag", "v1", "side")
    try f.git("pack-refs", "--all")  // main, side and v1 packed
    try f.git("branch", "loose", "main")  // and one loose
    try f.git("symbolic-ref", "refs/heads/alias", "refs/heads/side")
    try f.git("symbolic-ref", "refs/heads/dangling", "refs/heads/nowhere")
    let refs = try f.open().references()
    XCTAssertEqual(refs["refs/heads/main"], main)
    XCTAssertEqual(refs["refs/heads/loose"], main)
    XCTAssertEqual(refs["refs/tags/v1"], side)
    XCTAssertEqual(refs["refs/heads/alias"], side, "a symbolic ref is followed to its branch's commit")
    XCTAssertNil(refs["refs/heads/dangling"], "a symbolic ref to nothing is left out")
  }

  func testCorruptLooseRefIsNamedAndTheOthersStillListed() throws {
    let f = try branches()
    let side = try f.id("side")
    try f.write(".git/refs/heads/main", "not a ref\n")
    let repo = try f.open()
    XCTAssertEqual(repo.referenceDamage().count, 1)
    XCTAssertTrue(repo.referenceDamage()[0].hasPrefix("refs/heads/main is corrupt"), "\(repo.referenceDamage())")
    XCTAssertEqual(try repo.references()["refs/heads/side"], side)
  }

  func testCorruptPackedRefsLineIsNamedAndTheValidLinesStillListed() throws {
    let f = try branches()
    let main = try f.head(), side = try f.id("side")
    try f.git("pack-refs", "--all")
    let packed = f.path + "/.git/packed-refs"
    try (try String(contentsOfFile: packed, encoding: .utf8) + "garbage\n").write(
      toFile: packed, atomically: true, encoding: .utf8)
    let repo = try f.open()
    XCTAssertEqual(repo.referenceDamage(), ["packed-refs line 4 is corrupt"])
    let refs = try repo.references()
    XCTAssertEqual(refs["refs/heads/main"], main)
    XCTAssertEqual(refs["refs/heads/side"], side)
    XCTAssertEqual(try repo.references(matching: "refs/heads/s*"), ["refs/heads/side": side])
    XCTAssertNoThrow(try repo.walkHistory())
  }

  func testRefsAtMissingObjectsAreNamed() throws {
    let f = try branches()
    let missing = String(repeating: "cd", count: 20)
    try f.write(".git/refs/tags/gone", missing + "\n")
    try f.git("pack-refs", "--all")
    try f.write(".git/refs/heads/lost", missing + "\n")
    let damage = try f.open().referenceDamage()
    XCTAssertEqual(damage.count, 2, "\(damage)")
    XCTAssertTrue(damage.contains { $0.hasPrefix("refs/heads/lost points at cdcdcdcdcdcd") }, "\(damage)")
    XCTAssertTrue(damage.contains { $0.hasPrefix("refs/tags/gone points at cdcdcdcdcdcd") }, "\(damage)")
  }

  func testUnbornHeadIsNotDamage() throws {
    let f = try branches()
    try f.git("symbolic-ref", "HEAD", "refs/heads/orphan")
    let repo = try f.open()
    XCTAssertEqual(repo.referenceDamage(), [])
    XCTAssertEqual(repo.headBranch, "orphan")
  }

  func testMissingParentIsRecordedAndItsChildIntroducesAtOrBefore() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    let first = try f.commitID("one")
    try f.write("b.txt", "b\n")
    try f.commitID("two")
    try FileManager.default.removeItem(
      atPath: f.path + "/.git/objects/\(first.hex.prefix(2))/\(first.hex.dropFirst(2))")
    let index = try f.open().walkHistory()
    XCTAssertEqual(index.missingCommits, [first])
    let intro = try XCTUnwrap(index.introductions(of: try f.blobID("a\n")).first)
    XCTAssertTrue(intro.atOrBefore)
  }

  func testShallowBoundaryIntroducesAtOrBeforeAndLaterCommitsDoNot() throws {
    let f = try GitFixture()
    for name in ["a", "b", "c"] {
      try f.write("\(name).txt", "\(name)\n")
      try f.commitAll(name)
    }
    let clone = f.root + "/shallow"
    try GitFixture.run(["clone", "-q", "--depth", "2", "file://" + f.path, clone], in: f.root)
    let index = try Repository(path: clone).walkHistory()
    XCTAssertEqual(index.missingCommits, [], "a shallow boundary's parents are absent on purpose")
    XCTAssertTrue(try XCTUnwrap(index.introductions(of: try f.blobID("a\n")).first).atOrBefore)
    XCTAssertTrue(try XCTUnwrap(index.introductions(of: try f.blobID("b\n")).first).atOrBefore)
    XCTAssertFalse(try XCTUnwrap(index.introductions(of: try f.blobID("c\n")).first).atOrBefore)
  }

  func testPromisorRemotesOfAPartialClone() throws {
    let f = try branches()
    try f.git("config", "uploadpack.allowFilter", "true")
    XCTAssertEqual(try f.open().promisorRemotes(), [])
    let clone = f.root + "/partial"
    try GitFixture.run(["clone", "-q", "--filter=blob:none", "--no-local", "file://" + f.path, clone], in: f.root)
    XCTAssertEqual(try Repository(path: clone).promisorRemotes(), ["origin"])
  }
}
