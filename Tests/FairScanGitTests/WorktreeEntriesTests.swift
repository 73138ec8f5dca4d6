import XCTest
import FairScanTestSupport
@testable import FairScanGit

final class WorktreeEntriesTests: XCTestCase {
  func testStatesIgnoredAndDeleted() throws {
    let f = try GitFixture()
    try f.write(".gitignore", "*.log\nbuild/\n")
    try f.write("clean.txt", "clean\n")
    try f.write("changed.txt", "before\n")
    try f.write("gone.txt", "gone\n")
    try f.write("src/kept.swift", "let x = 1\n")
    try f.commitID("base")
    try f.write("changed.txt", "after\n")
    try f.remove("gone.txt")
    try f.write("debug.log", "ignored\n")
    try f.write("build/out.bin", "ignored\n")
    try f.write("new/deep/untracked.txt", "untracked\n")
    try f.write("staged.txt", "staged\n")
    try f.git("add", "staged.txt")

    let entries = try f.open().worktreeEntries()
    XCTAssertEqual(
      entries,
      [
        WorktreeEntry(path: ".gitignore", state: .unmodified(try f.blobID("*.log\nbuild/\n"))),
        WorktreeEntry(path: "changed.txt", state: .modified),
        WorktreeEntry(path: "clean.txt", state: .unmodified(try f.blobID("clean\n"))),
        WorktreeEntry(path: "new/deep/untracked.txt", state: .untracked),
        WorktreeEntry(path: "src/kept.swift", state: .unmodified(try f.blobID("let x = 1\n"))),
        WorktreeEntry(path: "staged.txt", state: .unmodified(try f.blobID("staged\n"))),
      ])
  }

  /// The entries depend on the index and the work tree only: where the index and HEAD differ
  /// (a file taken out of the index but kept, a change staged, a change staged and then undone in
  /// the work tree, a new file staged and then deleted), each file is judged against the index.
  func testEntriesFollowTheIndexWhereItDiffersFromHead() throws {
    let f = try GitFixture()
    try f.write("kept.txt", "kept\n")
    try f.write("staged.txt", "a\n")
    try f.write("reverted.txt", "first\n")
    try f.commitID("base")
    try f.git("rm", "-q", "--cached", "kept.txt")
    try f.write("staged.txt", "b\n")
    try f.git("add", "staged.txt")
    try f.write("reverted.txt", "second\n")
    try f.git("add", "reverted.txt")
    try f.write("reverted.txt", "first\n")
    try f.write("added-then-deleted.txt", "brief\n")
    try f.git("add", "added-then-deleted.txt")
    try f.remove("added-then-deleted.txt")

    let entries = try f.open().worktreeEntries()
    XCTAssertEqual(
      entries,
      [
        WorktreeEntry(path: "kept.txt", state: .untracked),
        WorktreeEntry(path: "reverted.txt", state: .modified),
        WorktreeEntry(path: "staged.txt", state: .unmodified(try f.blobID("b\n"))),
      ])
  }

  /// A file left conflicted by a merge is modified, whatever its content.
  func testConflictedFileIsModified() throws {
    let f = try GitFixture()
    XCTAssertNotEqual(try f.mergeConflict(at: "both.txt", base: "base\n", ours: "main\n", theirs: "side\n").status, 0)

    XCTAssertEqual(try f.open().worktreeEntries(), [WorktreeEntry(path: "both.txt", state: .modified)])
  }

  func testBareRepositoryThrows() throws {
    let f = try GitFixture(bare: true)
    XCTAssertThrowsError(try f.open().worktreeEntries())
  }
}
