import XCTest
import FairScanTestSupport
@testable import FairScanGit

/// `Tree` (the raw tree parser) and `TreeDiff` (the one-pass comparison of two trees) on trees
/// that git itself writes, with names whose order depends on git's rule that a directory's
/// name sorts as if it ended in `/`.
final class TreeDiffTests: XCTestCase {
  /// A tree written by `git mktree` (which sorts the entries the way git does).
  private func mktree(_ f: GitFixture, _ entries: [(mode: String, name: String, id: ObjectID)]) throws -> ObjectID {
    let type: [String: String] = ["040000": "tree", "160000": "commit"]
    let lines = entries.map { "\($0.mode) \(type[$0.mode] ?? "blob") \($0.id.hex)\t\($0.name)\n" }.joined()
    return try XCTUnwrap(ObjectID(hex: try f.git("mktree", input: lines)))
  }

  private func blob(_ f: GitFixture, _ text: String) throws -> ObjectID {
    try XCTUnwrap(ObjectID(hex: try f.git("hash-object", "-w", "--stdin", input: text)))
  }

  /// A submodule commit (not in the repository, as usual).
  private func submodule(_ digit: Character) -> ObjectID { ObjectID(hex: String(repeating: digit, count: 40))! }

  private func diff(_ repo: Repository, new: ObjectID, old: ObjectID?, others: [ObjectID] = [])
    -> (changed: [String], saw: [ObjectID])
  {
    var out: [(blob: ObjectID, path: String)] = []
    var saw: [ObjectID] = []
    TreeDiff(trees: TreeCache(odb: repo.odb)).changedBlobs(new: new, old: old, others: others, into: &out) {
      saw.append($0)
    }
    return (out.map { "\($0.path) \($0.blob.hex.prefix(7))" }, saw)
  }

  func testGitsTreeOrderIsTheParsersOrder() throws {
    let f = try GitFixture()
    let x = try blob(f, "x\n")
    let sub = try mktree(f, [("100644", "x", x)])
    // Git's order: a-b < a.b < a/ (tree) < a0 < ab, and c (gitlink, sorted as a file) < c.x < c/ ...
    // A rule without the trailing `/` would put the tree `a` first; one that sorted gitlinks
    // as directories would put `c` after `c.x`.
    let root = try mktree(
      f,
      [
        ("040000", "a", sub), ("100644", "a.b", x), ("100644", "a-b", x), ("100755", "a0", x),
        ("100644", "ab", x), ("160000", "c", submodule("1")), ("100644", "c.x", x), ("120000", "l", x),
        ("040000", "t", sub), ("100644", "t.0", x), ("040000", "t-", sub),
      ])
    let repo = try f.open()
    let tree = try Tree(odb: repo.odb, id: root)
    let listed = try f.git("ls-tree", root.hex).split(separator: "\n").map { $0.split(separator: "\t")[1] }
    XCTAssertEqual(tree.entries.map(\.nameString), listed.map(String.init))
    XCTAssertEqual(tree.entries.map(\.nameString), ["a-b", "a.b", "a", "a0", "ab", "c", "c.x", "l", "t-", "t.0", "t"])
    XCTAssertEqual(tree.count, 11)
    XCTAssertTrue(tree.isSorted, "git's own tree must be in the parser's order")
    // The entries point into the tree's bytes: the tree must outlive them.
    try withExtendedLifetime((repo, tree)) { try checkOrder(Array(tree.entries), tree: sub) }
  }

  private func checkOrder(_ entries: [TreeEntry], tree sub: ObjectID) throws {
    for i in entries.indices {
      for j in entries.indices {
        let order = TreeEntry.order(entries[i], entries[j])
        XCTAssertEqual(order < 0, i < j, "\(entries[i].nameString) vs \(entries[j].nameString)")
        XCTAssertEqual(order == 0, i == j, "\(entries[i].nameString) vs \(entries[j].nameString)")
      }
    }
    XCTAssertEqual(
      entries.map(\.mode),
      [
        0o100644, 0o100644, 0o040000, 0o100755, 0o100644, 0o160000,
        0o100644, 0o120000, 0o040000, 0o100644, 0o040000,
      ])
    XCTAssertEqual(entries.filter(\.isTree).map(\.nameString), ["a", "t-", "t"])
    XCTAssertEqual(entries.filter(\.isGitlink).map(\.nameString), ["c"])
    XCTAssertEqual(entries[2].id, sub)
  }

  func testDiffMatchesEntriesAcrossFileAndDirectoryOfTheSamePrefix() throws {
    let f = try GitFixture()
    let (a, b, c, c2, inner, t, z, zz, x) = (
      try blob(f, "a\n"), try blob(f, "b\n"), try blob(f, "c\n"),
      try blob(f, "c2\n"), try blob(f, "inner\n"), try blob(f, "t\n"), try blob(f, "z\n"), try blob(f, "zz\n"),
      try blob(f, "x\n")
    )
    let x0 = try mktree(f, [("100644", "x", x)])
    let oldT = try mktree(f, [("100644", "f", t)])
    let newA = try mktree(f, [("100644", "inner", inner)])
    let old = try mktree(
      f,
      [
        ("100644", "a", a), ("100644", "a.b", b), ("040000", "a0", x0), ("160000", "c", submodule("1")),
        ("100644", "c.x", c), ("120000", "l", x), ("100644", "m", z), ("040000", "t", oldT), ("100644", "z", z),
      ])
    let new = try mktree(
      f,
      [
        ("040000", "a", newA),  // a file became a directory
        ("100644", "a.b", b),  // unchanged, sorts before the directory `a`
        ("040000", "a0", x0),  // unchanged subtree
        ("160000", "c", submodule("2")),  // submodule moved: ignored
        ("100644", "c.x", c2),  // changed
        ("100644", "l", x),  // symlink to file, same id: a mode change only
        ("100755", "m", z),  // mode change only
        ("100644", "t", t),  // a directory became a file (with the content of t/f)
        ("100644", "z", z),  // unchanged
        ("100644", "zz", zz),  // added
      ])
    let repo = try f.open()
    XCTAssertTrue(try Tree(odb: repo.odb, id: new).isSorted)
    XCTAssertTrue(try Tree(odb: repo.odb, id: old).isSorted)
    let result = diff(repo, new: new, old: old)
    XCTAssertEqual(
      result.changed,
      [
        "a/inner \(inner.hex.prefix(7))", "c.x \(c2.hex.prefix(7))",
        "t \(t.hex.prefix(7))", "zz \(zz.hex.prefix(7))",
      ])
    XCTAssertEqual(result.saw, [new, newA, inner, c2, t, zz])
    XCTAssertEqual(diff(repo, new: new, old: new).changed, [])
    XCTAssertEqual(
      diff(repo, new: old, old: nil).changed.map { String($0.split(separator: " ")[0]) },
      ["a", "a.b", "a0/x", "c.x", "l", "m", "t/f", "z"])
  }

  func testUnsortedTreeIsComparedByName() throws {
    let f = try GitFixture()
    let (a, b, c, c2) = (try blob(f, "a\n"), try blob(f, "b\n"), try blob(f, "c\n"), try blob(f, "c2\n"))
    let old = try mktree(f, [("100644", "a", a), ("100644", "b", b), ("100644", "c", c)])
    // Written out of order (git itself never does; some old tools did).
    var raw: [UInt8] = []
    for (name, id) in [("b", b), ("a", a), ("c", c2)] {
      raw += Array("100644 \(name)".utf8) + [0] + id.bytes
    }
    let path = f.path + "/unsorted-tree"
    FileManager.default.createFile(atPath: path, contents: Data(raw))
    let new = try XCTUnwrap(ObjectID(hex: try f.git("hash-object", "-t", "tree", "--literally", "-w", path)))
    let repo = try f.open()
    XCTAssertFalse(try Tree(odb: repo.odb, id: new).isSorted)
    XCTAssertEqual(diff(repo, new: new, old: old).changed, ["c \(c2.hex.prefix(7))"])
    XCTAssertEqual(diff(repo, new: old, old: new).changed, ["c \(c.hex.prefix(7))"])
  }

  func testEntriesParseAsLibgit2sAndMalformedTreesDoNotRead() throws {
    let id = ObjectID.zero
    func read(_ text: [UInt8]) -> Tree? {
      text.withUnsafeBytes { try? Tree(id: id, contents: ObjectContents(kind: .tree, copying: $0)) }
    }
    let entry = Array("100644 name".utf8) + [0] + [UInt8](repeating: 7, count: 20)
    XCTAssertEqual(read(entry)?.count, 1)
    XCTAssertEqual(read([])?.count, 0)
    XCTAssertNil(read(Array(entry.dropLast())), "id cut short")
    XCTAssertNil(read(Array("100644 ".utf8) + [0] + [UInt8](repeating: 7, count: 20)), "empty name")
    XCTAssertNil(read(Array("100648 name".utf8) + [0] + [UInt8](repeating: 7, count: 20)), "not octal")
    XCTAssertNil(read(Array("1000000 name".utf8) + [0] + [UInt8](repeating: 7, count: 20)), "mode over 0xFFFF")
    XCTAssertNil(read(Array("100644name".utf8) + [0] + [UInt8](repeating: 7, count: 20)), "no space")
    XCTAssertNil(read(Array(" name".utf8) + [0] + [UInt8](repeating: 7, count: 20)), "no mode")
    XCTAssertNil(read(entry + Array("100644 x".utf8)), "second entry without NUL")
    // Modes other than the five git writes take the slow path; a leading zero is allowed.
    let modes = ["100664", "040000", "40000", "100644", "644", "160000"].flatMap {
      Array("\($0) n\($0)".utf8) + [0] + [UInt8](repeating: 7, count: 20)
    }
    XCTAssertEqual(
      read(modes).map { Array($0.entries.map(\.mode)) },
      [0o100664, 0o040000, 0o040000, 0o100644, 0o644, 0o160000])
    XCTAssertEqual(read(modes).map { Array($0.entries.map(\.isTree)) }, [false, true, true, false, false, false])
    let blob = Array("100644 name".utf8) + [0] + [UInt8](repeating: 7, count: 20)
    XCTAssertNil(blob.withUnsafeBytes { try? Tree(id: id, contents: ObjectContents(kind: .blob, copying: $0)) })
  }

  func testMergeDropsBlobsAnotherParentHoldsAtTheSamePath() throws {
    let f = try GitFixture()
    let (one, two, three, four, five) = (
      try blob(f, "1\n"), try blob(f, "2\n"), try blob(f, "3\n"),
      try blob(f, "4\n"), try blob(f, "5\n")
    )
    let same = try mktree(f, [("100644", "s", five)])
    let newDeep = try mktree(f, [("100644", "held", two), ("100644", "moved", three), ("100644", "new", four)])
    let new = try mktree(
      f,
      [
        ("040000", "d", newDeep), ("040000", "e", same), ("100644", "f", one),
        ("040000", "g", same),
      ])
    let first = try mktree(f, [("100644", "f", one)])
    // The other parent holds d/held, the whole of e (the same tree) and `moved` at another
    // path; at `g` it has a file, so nothing under g/ is held.
    let otherDeep = try mktree(f, [("100644", "held", two), ("100644", "new", five)])
    let other = try mktree(
      f,
      [
        ("040000", "d", otherDeep), ("040000", "e", same), ("100644", "g", five),
        ("100644", "moved", three),
      ])
    let repo = try f.open()
    let all = diff(repo, new: new, old: first)
    XCTAssertEqual(
      all.changed.map { String($0.split(separator: " ")[0]) }, ["d/held", "d/moved", "d/new", "e/s", "g/s"])
    let merged = diff(repo, new: new, old: first, others: [other])
    XCTAssertEqual(merged.changed.map { String($0.split(separator: " ")[0]) }, ["d/moved", "d/new", "g/s"])
    XCTAssertEqual(merged.saw, all.saw, "the objects met do not depend on the other parents")
    // A second other parent that holds d/new drops it too; an unreadable one changes nothing.
    let third = try mktree(f, [("040000", "d", try mktree(f, [("100644", "new", four)]))])
    XCTAssertEqual(
      diff(repo, new: new, old: first, others: [other, third, ObjectID.zero]).changed
        .map { String($0.split(separator: " ")[0]) }, ["d/moved", "g/s"])
    XCTAssertEqual(diff(repo, new: new, old: first, others: [new]).changed, [])
  }
}
