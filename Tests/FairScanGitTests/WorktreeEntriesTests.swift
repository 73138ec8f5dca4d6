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

  func testBareRepositoryThrows() throws {
    let f = try GitFixture(bare: true)
    XCTAssertThrowsError(try f.open().worktreeEntries())
  }
}
