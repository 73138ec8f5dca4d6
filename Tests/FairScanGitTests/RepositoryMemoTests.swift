import FairScanTestSupport
import Foundation
import XCTest

@testable import FairScanGit

/// The repository's memo (`RepositoryMemo`) holds only while every file the facts it keeps
/// depend on is as it was: after each kind of change that could move the refs, the objects,
/// the index, the shallow boundaries or where the repository is, it no longer holds.
final class RepositoryMemoTests: XCTestCase {
  // MARK: Helpers

  /// A repository with two commits, a branch, a loose and a packed tag, and a loose object.
  func base() throws -> GitFixture {
    let f = try GitFixture()
    try f.write("a.txt", "alpha\n")
    _ = try f.commitAll("first")
    try f.git("tag", "packed")
    try f.git("pack-refs", "--all")
    try f.write("dir/b.txt", "bravo\n")
    _ = try f.commitAll("second")
    try f.git("branch", "side")
    try f.git("tag", "-a", "-m", "annotated", "loose")
    return f
  }

  /// Lets the file system's clock (a timer tick, coarser than the machine's) pass the last change.
  func settle() { usleep(30_000) }

  func facts(_ state: String = "state") -> RepositoryMemo.Facts {
    RepositoryMemo.Facts(
      cacheKey: "key", state: state, damage: ["refs/heads/x is corrupt"],
      shallowBoundaries: [ObjectID(hex: String(repeating: "ab", count: 20))!],
      headBlobs: ["a.txt": ObjectID(hex: String(repeating: "cd", count: 20)), "gone.txt": ObjectID?.none])
  }

  /// Writes a memo of `facts()` for `f`, trusting every change made until now.
  func memorize(_ f: GitFixture, file: StaticString = #filePath, line: UInt = #line) throws {
    settle()
    let begun = try XCTUnwrap(
      RepositoryMemo.begin(try f.open()), "a plain repository has a memo", file: file, line: line)
    XCTAssertEqual(begun.write(facts(), margin: 0), .written, file: file, line: line)
  }

  /// The memo of `f` if it holds now.
  func held(_ f: GitFixture) -> RepositoryMemo? {
    settle()
    return RepositoryMemo.plainRepository(at: f.path).flatMap(RepositoryMemo.holding)
  }

  // MARK: Tests

  func testAMemoOfAnUnchangedRepositoryHoldsWithItsFacts() throws {
    let f = try base()
    try memorize(f)
    let repo = try f.open()
    let plain = try XCTUnwrap(RepositoryMemo.plainRepository(at: f.path + "/"))
    XCTAssertEqual(plain.gitDirectory, repo.gitDirectory, "found as libgit2 finds it")
    XCTAssertEqual(plain.workingDirectory, repo.workingDirectory)
    let memo = try XCTUnwrap(held(f))
    XCTAssertEqual(memo.facts, facts())
    XCTAssertEqual(memo.gitDirectory, repo.gitDirectory)
    // Work that leaves the refs, objects and index alone keeps it: reading history and objects,
    // a new untracked file. (`git status` may write the index again: that ends it.)
    try f.git("log", "--all", "-p")
    try f.git("cat-file", "-p", "HEAD")
    try f.write("untracked.txt", "u\n")
    XCTAssertEqual(held(f)?.facts, facts())
    // Written again, it holds the new facts.
    let begun = try XCTUnwrap(RepositoryMemo.begin(repo))
    XCTAssertEqual(begun.write(facts("other"), margin: 0), .written)
    XCTAssertEqual(held(f)?.facts.state, "other")
  }

  /// Every change here could move what the memo keeps; it must stop holding after each.
  func testEveryChangeTheFactsDependOnEndsTheMemo() throws {
    let changes: [(String, (GitFixture) throws -> Void)] = [
      ("a new commit", { f in try f.git("commit", "-q", "--allow-empty", "-m", "third") }),
      ("a new branch", { f in try f.git("branch", "new") }),
      ("a branch in a new folder", { f in try f.git("branch", "feature/x") }),
      ("a new tag", { f in try f.git("tag", "v2") }),
      ("a loose branch deleted", { f in try f.git("branch", "-D", "side") }),
      ("a loose ref moved", { f in try f.git("update-ref", "refs/heads/side", "HEAD~1") }),
      (
        "a loose ref rewritten in place",
        { f in
          // The same file, the folder untouched: only the file's own times tell.
          let handle = try XCTUnwrap(FileHandle(forWritingAtPath: f.path + "/.git/refs/heads/side"))
          handle.write(Data((try f.git("rev-parse", "HEAD~1") + "\n").utf8))
          try handle.close()
        }
      ),
      ("packed-refs rewritten", { f in try f.git("pack-refs", "--all") }),
      ("a packed tag deleted", { f in try f.git("tag", "-d", "packed") }),
      (
        "a stash",
        { f in
          try f.write("a.txt", "changed\n")
          try f.git("stash", "-q")
        }
      ),
      ("a new loose object", { f in try f.git("hash-object", "-w", "--stdin", input: "new object\n") }),
      (
        "a loose object removed",
        { f in
          let id = try f.git("rev-parse", "HEAD")
          let path = f.path + "/.git/objects/" + id.prefix(2) + "/" + id.dropFirst(2)
          try FileManager.default.removeItem(atPath: path)
        }
      ),
      ("a new pack", { f in try f.git("repack", "-q") }),
      ("the objects repacked whole", { f in try f.git("repack", "-q", "-a", "-d") }),
      ("a shallow file", { f in try f.write(".git/shallow", try f.git("rev-parse", "HEAD~1") + "\n") }),
      (
        "the index",
        { f in
          try f.write("staged.txt", "s\n")
          try f.git("add", "staged.txt")
        }
      ),
      ("HEAD switched to another branch", { f in try f.git("checkout", "-q", "side") }),
      ("HEAD detached", { f in try f.git("checkout", "-q", "--detach") }),
      ("HEAD pointed at an unborn branch", { f in try f.git("symbolic-ref", "HEAD", "refs/heads/unborn") }),
      ("the configuration", { f in try f.git("config", "core.bare", "false") }),
      ("alternates", { f in try f.write(".git/objects/info/alternates", "/nonexistent/objects\n") }),
      ("a commondir file", { f in try f.write(".git/commondir", "..\n") }),
      ("a repository at the top", { f in try f.write("HEAD", "ref: refs/heads/main\n") }),
      (
        "the memo damaged",
        { f in
          let path = RepositoryMemo.path(gitDirectory: try f.open().gitDirectory)
          var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
          bytes[bytes.count / 2] ^= 1
          try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
      ),
    ]
    for (name, change) in changes {
      let f = try base()
      try memorize(f)
      XCTAssertNotNil(held(f), name)
      try change(f)
      XCTAssertNil(held(f), "the memo still holds after: \(name)")
    }
  }

  /// The `.git` folder replaced by another one, or by a link to the same one: not the folders the
  /// memo was made for.
  func testAnotherGitFolderAtTheSamePathEndsTheMemo() throws {
    let f = try base()
    try memorize(f)
    let git = f.path + "/.git"
    try FileManager.default.moveItem(atPath: git, toPath: f.root + "/moved.git")
    try FileManager.default.createSymbolicLink(atPath: git, withDestinationPath: f.root + "/moved.git")
    XCTAssertNil(RepositoryMemo.plainRepository(at: f.path), "a linked .git is not the plain layout")
    try FileManager.default.removeItem(atPath: git)
    try FileManager.default.copyItem(atPath: f.root + "/moved.git", toPath: git)
    XCTAssertNotNil(RepositoryMemo.plainRepository(at: f.path))
    XCTAssertNil(held(f), "a copy is another folder")
  }

  /// Where no memo may be made: facts read while something moved, a change too recent to trust,
  /// alternates, a linked work tree.
  func testNoMemoIsWrittenWhereItCouldNotBeTrusted() throws {
    let f = try base()
    let repo = try f.open()
    settle()
    let begun = try XCTUnwrap(RepositoryMemo.begin(repo))
    try f.git("branch", "meanwhile")
    XCTAssertEqual(begun.write(facts(), margin: 0), .notWritten("the repository changed while it was scanned"))
    let recent = try XCTUnwrap(RepositoryMemo.begin(repo))
    XCTAssertEqual(recent.write(facts(), margin: 60_000_000_000), .notWritten("a change too recent to trust"))
    XCTAssertNil(held(f))

    try f.write(".git/objects/info/alternates", "/nonexistent/objects\n")
    XCTAssertNil(RepositoryMemo.begin(try f.open()), "objects elsewhere are not watched")
    try FileManager.default.removeItem(atPath: f.path + "/.git/objects/info/alternates")

    let linked = f.root + "/linked"
    try f.git("worktree", "add", "-q", linked, "side")
    XCTAssertNil(RepositoryMemo.begin(try Repository(path: linked)), "a linked work tree's .git is a file")
    XCTAssertNil(RepositoryMemo.plainRepository(at: linked))
    XCTAssertNil(RepositoryMemo.plainRepository(at: f.path + "/dir"), "only from the top")
  }
}
