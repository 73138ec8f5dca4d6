import XCTest
import FairScanTestSupport
@testable import FairScanGit

final class RawObjectParsingTests: XCTestCase {
  func testParseRawCommitFromRepository() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    let first = try f.commitID("first")
    try f.write("a.txt", "b\n")
    let second = try f.commitID("  Second line one\nline two\n\nbody paragraph\n")
    let reader = try ObjectReader(gitDirectory: try f.open().gitDirectory)
    let parsed = try reader.withObject(second) { kind, raw -> (RawCommit?, String) in
      XCTAssertEqual(kind, .commit)
      let commit = parseRawCommit(raw, id: second)
      let message =
        commit.map { String(decoding: UnsafeRawBufferPointer(rebasing: raw[$0.messageRange]), as: UTF8.self) } ?? ""
      return (commit, message)
    }
    let commit = try XCTUnwrap(parsed.0)
    XCTAssertEqual(commit.info.id, second)
    XCTAssertEqual(commit.info.parents, [first])
    XCTAssertEqual(commit.info.tree, try f.id("HEAD^{tree}"))
    XCTAssertEqual(
      commit.info.author,
      Signature(
        name: "Fixture Author", email: "author@example.com",
        time: 1_700_000_060, offsetMinutes: 0))
    XCTAssertEqual(commit.info.committer.time, 1_700_000_060)
    XCTAssertEqual(commit.info.summary, "Second line one line two")
    XCTAssertEqual(parsed.1, "  Second line one\nline two\n\nbody paragraph\n")
  }

  func testParseRawCommitHandlesSignaturesAndExtraHeaders() throws {
    let text = """
      tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904
      parent 0000000000000000000000000000000000000001
      parent 0000000000000000000000000000000000000002
      author Ann O'Neil <ann@example.org> 1700000000 +0530
      committer <bot@ci> 1700000100 -0800
      encoding ISO-8859-1
      gpgsig -----BEGIN PGP SIGNATURE-----
       
       iQEzBAABCAAdFiEE
       -----END PGP SIGNATURE-----

      Subject

      Body
      """
    let bytes = Array(text.utf8)
    let id = ObjectID(hex: String(repeating: "ab", count: 20))!
    let parsed = try XCTUnwrap(bytes.withUnsafeBytes { parseRawCommit($0, id: id) })
    XCTAssertEqual(parsed.info.parents.count, 2)
    XCTAssertEqual(
      parsed.info.author,
      Signature(
        name: "Ann O'Neil", email: "ann@example.org",
        time: 1_700_000_000, offsetMinutes: 330))
    XCTAssertEqual(
      parsed.info.committer,
      Signature(
        name: "", email: "bot@ci", time: 1_700_000_100,
        offsetMinutes: -480))
    XCTAssertEqual(parsed.info.summary, "Subject")
    XCTAssertEqual(String(decoding: bytes[parsed.messageRange], as: UTF8.self), "Subject\n\nBody")
    XCTAssertNil(Array("parent 12\n\nmsg".utf8).withUnsafeBytes { parseRawCommit($0, id: id) })
  }

  func testParseRawTag() throws {
    let f = try GitFixture()
    try f.write("a.txt", "a\n")
    let commit = try f.commitID("first")
    try f.git("tag", "-a", "v2.0", "-m", "Release two\n\nnotes here")
    let tagID = try f.id("refs/tags/v2.0")
    let reader = try ObjectReader(gitDirectory: try f.open().gitDirectory)
    let (tag, message) = try reader.withObject(tagID) { kind, raw -> (RawTag?, String) in
      XCTAssertEqual(kind, .tag)
      let tag = parseRawTag(raw, id: tagID)
      return (
        tag, tag.map { String(decoding: UnsafeRawBufferPointer(rebasing: raw[$0.messageRange]), as: UTF8.self) } ?? ""
      )
    }
    let parsed = try XCTUnwrap(tag)
    XCTAssertEqual(parsed.id, tagID)
    XCTAssertEqual(parsed.target, commit)
    XCTAssertEqual(parsed.targetKind, .commit)
    XCTAssertEqual(parsed.name, "v2.0")
    XCTAssertEqual(
      parsed.tagger,
      Signature(
        name: "Fixture Author", email: "author@example.com",
        time: 1_700_000_060, offsetMinutes: 0))
    XCTAssertEqual(message, "Release two\n\nnotes here\n")

    let old = Array("object 0000000000000000000000000000000000000001\ntype blob\ntag old\n\nmsg".utf8)
    let oldTag = try XCTUnwrap(old.withUnsafeBytes { parseRawTag($0, id: tagID) })
    XCTAssertNil(oldTag.tagger)
    XCTAssertEqual(oldTag.targetKind, .blob)
    XCTAssertEqual(String(decoding: old[oldTag.messageRange], as: UTF8.self), "msg")
    XCTAssertNil(Array("type blob\n\nmsg".utf8).withUnsafeBytes { parseRawTag($0, id: tagID) })
  }
}
