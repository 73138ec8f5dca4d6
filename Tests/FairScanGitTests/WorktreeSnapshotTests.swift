import FairScanTestSupport
import Foundation
import XCTest

@testable import FairScanGit

/// The record of a work tree's status (`WorktreeSnapshot`) holds only while git would give the
/// same status: after each kind of change that moves git's status, the record no longer holds;
/// after any change at all, a record that holds says what git says (differential, against
/// libgit2's own status).
final class WorktreeSnapshotTests: XCTestCase {
  // MARK: Helpers

  /// A work tree with something of every kind the status reads: tracked files in folders, a
  /// folder of ignored files only, an empty folder, a tracked file in an ignored folder, files
  /// ignored by `info/exclude`, by a `.gitignore` that ignores itself and by `core.excludesFile`,
  /// an untracked file, and an untracked folder.
  func base() throws -> GitFixture {
    let f = try GitFixture()
    try f.write("a.txt", "alpha\n")
    try f.write("dir/b.txt", "bravo\n")
    try f.write("dir/sub/c.txt", "charlie\n")
    try f.write("tool.sh", "echo hi\n")
    try f.write(".gitignore", "*.log\nbuild/\n")
    try f.write("logs/only.log", "ignored\n")
    try FileManager.default.createDirectory(atPath: f.path + "/empty", withIntermediateDirectories: true)
    try f.write("build/kept.txt", "kept\n")
    try f.write("build/out.bin", "ignored\n")
    try f.write(".git/info/exclude", "secret.env\n")
    try f.write("secret.env", "ignored\n")
    try f.write("sub2/.gitignore", ".gitignore\n*.key\n")
    try f.write("sub2/a.key", "ignored\n")
    try f.write("sub2/plain.txt", "plain\n")
    try "*.pem\n".write(toFile: f.root + "/excludes", atomically: true, encoding: .utf8)
    try f.git("config", "core.excludesFile", f.root + "/excludes")
    try f.write("x.pem", "ignored\n")
    try f.git("add", "-A")
    try f.git("add", "-f", "build/kept.txt")
    try f.git("commit", "-q", "-m", "base")
    try f.write("untracked.txt", "untracked\n")
    try f.write("vendor/lib.txt", "vendored\n")
    return f
  }

  /// Lets the file system's clock (a timer tick, coarser than the machine's) pass the last change.
  func settle() { usleep(30_000) }

  func recordPath(_ f: GitFixture) throws -> String { WorktreeSnapshot.path(gitDirectory: try f.open().gitDirectory) }

  /// Records git's status as a scan does, trusting every change made until now.
  func record(_ f: GitFixture, file: StaticString = #filePath, line: UInt = #line) throws {
    settle()
    try? FileManager.default.removeItem(atPath: try recordPath(f))
    let status = WorktreeSnapshot.status(of: try f.open(), recordAt: try recordPath(f))
    XCTAssertFalse(status.fromRecord, file: file, line: line)
    let pending = try XCTUnwrap(status.pending, "git's status is to be recorded", file: file, line: line)
    XCTAssertEqual(pending.write(margin: 0), .written, file: file, line: line)
  }

  /// What the record holds for `f` now, nil when it no longer holds.
  func recorded(_ f: GitFixture) throws -> [WorktreeEntry]? {
    settle()
    let repo = try f.open()
    return WorktreeSnapshot.recordedEntries(
      at: try recordPath(f), gitDirectory: repo.gitDirectory, workingDirectory: try XCTUnwrap(repo.workingDirectory))
  }

  func git(_ f: GitFixture) throws -> [WorktreeEntry] { try f.open().worktreeEntries() }

  // MARK: Tests

  func testAnUnchangedWorkTreeGetsGitsStatusFromTheRecord() throws {
    let f = try base()
    try record(f)
    let status = WorktreeSnapshot.status(of: try f.open(), recordAt: try recordPath(f))
    XCTAssertTrue(status.fromRecord)
    XCTAssertNil(status.pending, "nothing to record again")
    XCTAssertEqual(try status.entries.get(), try git(f))
    XCTAssertEqual(
      try git(f).map(\.path),
      [
        ".gitignore", "a.txt", "build/kept.txt", "dir/b.txt", "dir/sub/c.txt", "sub2/plain.txt", "tool.sh",
        "untracked.txt", "vendor/lib.txt",
      ], "the ignored files are not listed, the tracked one in an ignored folder is")
    XCTAssertNil(
      WorktreeSnapshot.status(of: try f.open(), recordAt: nil).pending, "a scan without a record writes none")
  }

  /// Every change here moves git's status; the record must stop holding after each.
  func testEveryChangeThatMovesGitsStatusEndsTheRecord() throws {
    typealias Change = (name: String, before: (GitFixture) throws -> Void, change: (GitFixture) throws -> Void)
    let changes: [Change] = [
      (
        "a tracked file rewritten with its size and modification time kept", { _ in },
        { f in
          let file = f.path + "/a.txt"
          var before = stat()
          XCTAssertEqual(lstat(file, &before), 0)
          // In place: the same inode, only the change time tells.
          let handle = try XCTUnwrap(FileHandle(forWritingAtPath: file))
          handle.write(Data("ALPHA\n".utf8))
          try handle.close()
          let times = [before.st_atim, before.st_mtim]
          XCTAssertEqual(utimensat(AT_FDCWD, file, times, 0), 0)
        }
      ),
      ("a tracked file appended to", { _ in }, { f in try f.write("dir/b.txt", "bravo\nmore\n") }),
      ("a new file at the root", { _ in }, { f in try f.write("new.txt", "new\n") }),
      ("a new file in a folder of ignored files", { _ in }, { f in try f.write("logs/notes.txt", "n\n") }),
      ("a new file in an empty folder", { _ in }, { f in try f.write("empty/first.txt", "f\n") }),
      ("a new file in new folders", { _ in }, { f in try f.write("n1/n2/n3.txt", "n\n") }),
      ("a tracked file deleted", { _ in }, { f in try f.remove("dir/sub/c.txt") }),
      (
        "a deleted tracked file back in an ignored folder", { f in try f.remove("build/kept.txt") },
        { f in try f.write("build/kept.txt", "kept\n") }
      ),
      ("un-ignored by .gitignore", { _ in }, { f in try f.write(".gitignore", "build/\n") }),
      ("un-ignored by info/exclude", { _ in }, { f in try f.write(".git/info/exclude", "\n") }),
      (
        "un-ignored by a .gitignore that ignores itself", { _ in },
        { f in try f.write("sub2/.gitignore", ".gitignore\n") }
      ),
      (
        "un-ignored by the file core.excludesFile names", { _ in },
        { f in try "\n".write(toFile: f.root + "/excludes", atomically: false, encoding: .utf8) }
      ),
      ("an untracked file staged", { _ in }, { f in try f.git("add", "untracked.txt") }),
      ("a tracked file made executable", { _ in }, { f in try f.git("update-index", "--chmod=+x", "a.txt") }),
      (
        "a symbolic link in place of a tracked file", { _ in },
        { f in
          try f.remove("a.txt")
          try FileManager.default.createSymbolicLink(atPath: f.path + "/a.txt", withDestinationPath: "dir/b.txt")
        }
      ),
      ("an untracked folder made a repository", { _ in }, { f in try f.git("init", "-q", in: f.path + "/vendor") }),
    ]
    for change in changes {
      let f = try base()
      try change.before(f)
      try record(f)
      let before = try git(f)
      XCTAssertEqual(try recorded(f), before, "\(change.name): the record holds before the change")
      try change.change(f)
      let after = try git(f)
      XCTAssertNotEqual(after, before, "\(change.name): git's status moved")
      XCTAssertNil(try recorded(f), "\(change.name): the record no longer holds")
    }
  }

  /// Changes that leave git's status as it was may end the record too (a second look is cheap);
  /// what matters is that a record that holds says what git says.
  func testChangesThatMoveNothingNeverMakeTheRecordWrong() throws {
    let changes: [(String, (GitFixture) throws -> Void)] = [
      ("an ignored file written", { f in try f.write("logs/only.log", "changed\n") }),
      ("a file written in an ignored folder", { f in try f.write("build/new.bin", "b\n") }),
      ("an untracked file rewritten", { f in try f.write("untracked.txt", "other\n") }),
      ("the configuration rewritten the same", { f in try f.git("config", "core.excludesFile", f.root + "/excludes") }),
      (
        "a commit",
        { f in
          try f.write("dir/b.txt", "bravo 2\n"); try f.commitAll("two")
        }
      ),
      ("inside a nested repository", { f in try f.git("init", "-q", in: f.path + "/vendor") }),
    ]
    for (name, change) in changes {
      let f = try base()
      try record(f)
      try change(f)
      if let held = try recorded(f) { XCTAssertEqual(held, try git(f), name) }
    }
  }

  /// A random walk of changes, each followed by the comparison: a record that holds equals git's
  /// status. Seeded, so every run makes the same changes.
  func testARandomWalkOfChangesNeverFindsTheRecordWrong() throws {
    let f = try base()
    var random = SplitMix(state: 0x5EED_F00D)
    let folders = ["", "dir/", "dir/sub/", "logs/", "empty/", "build/", "sub2/", "vendor/", "fresh/deeper/"]
    let names = ["a.txt", "b.txt", "x.log", "y.key", "z.pem", "secret.env", "new.txt"]
    var held = 0, ended = 0
    try record(f)
    for step in 0..<60 {
      let path = folders[Int(random.next() % UInt64(folders.count))] + names[Int(random.next() % UInt64(names.count))]
      let full = f.path + "/" + path
      switch random.next() % 6 {
      case 0, 1: try f.write(path, "step \(step)\n")
      case 2: try? FileManager.default.removeItem(atPath: full)
      case 3: _ = try? f.gitResult(["add", "-f", path])
      case 4: try f.write(".gitignore", random.next() % 2 == 0 ? "*.log\nbuild/\n" : "*.key\n")
      default: try f.commitAll("step \(step)")
      }
      let now = try git(f)
      if let recordedNow = try recorded(f) {
        XCTAssertEqual(recordedNow, now, "step \(step): \(path)")
        held += 1
      } else {
        ended += 1
        try record(f)
      }
    }
    XCTAssertGreaterThan(ended, 30, "the changes were seen")
    XCTAssertGreaterThan(held, 0, "some changes left the status as it was, and the record held")
  }

  /// A change dated after the status began (here a modification time an hour ahead: a clock
  /// that moved, or a change while the status ran) is not trusted, whatever the margin.
  func testAChangeNotBeforeTheStatusIsNotRecorded() throws {
    let f = try base()
    try f.write("untracked.txt", "just now\n")
    let later = timespec(tv_sec: time(nil) + 3600, tv_nsec: 0)
    XCTAssertEqual(utimensat(AT_FDCWD, f.path + "/untracked.txt", [later, later], 0), 0)
    settle()
    let status = WorktreeSnapshot.status(of: try f.open(), recordAt: try recordPath(f))
    XCTAssertEqual(try XCTUnwrap(status.pending).write(margin: 0), .notWritten("a change too recent to trust"))
    XCTAssertFalse(FileManager.default.fileExists(atPath: try recordPath(f)))
  }

  func testAConfigurationThatIncludesAnotherFileIsNotRecorded() throws {
    let f = try base()
    try "[core]\n\texcludesFile = /nowhere\n".write(toFile: f.root + "/included", atomically: true, encoding: .utf8)
    try f.git("config", "include.path", f.root + "/included")
    settle()
    let status = WorktreeSnapshot.status(of: try f.open(), recordAt: try recordPath(f))
    XCTAssertEqual(
      try XCTUnwrap(status.pending).write(margin: 0),
      .notWritten("the configuration includes other files or distrusts change times"))
  }

  func testAnotherHomeEndsTheRecord() throws {
    let f = try base()
    try record(f)
    let home = ProcessInfo.processInfo.environment["HOME"]
    setenv("HOME", f.root, 1)
    defer { if let home { setenv("HOME", home, 1) } else { unsetenv("HOME") } }
    XCTAssertNil(try recorded(f), "libgit2 would look for the user's files elsewhere")
  }

  /// Names that are not UTF-8 (git and the file system hold bytes): the record looks at the
  /// exact bytes (`PathBytes`), so it is written and holds, and a change to such a file ends it.
  func testNamesThatAreNotUTF8AreRecordedByTheirBytes() throws {
    let f = try base()
    func create(_ name: [UInt8], _ text: String) throws {
      let fd = (Array(f.path.utf8) + [UInt8(ascii: "/")] + name + [0]).withUnsafeBufferPointer {
        $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
      }
      XCTAssertGreaterThanOrEqual(fd, 0)
      _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      close(fd)
    }
    let folder: [UInt8] = Array("raw".utf8) + [0xFF]
    XCTAssertEqual(
      (Array(f.path.utf8) + [UInt8(ascii: "/")] + folder + [0]).withUnsafeBufferPointer {
        $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) }
      }, 0)
    try create(folder + Array("/tracked.txt".utf8), "tracked\n")
    try f.git("add", "-A")
    try f.git("commit", "-q", "-m", "raw names")
    try create([0xFF, 0xFE] + Array(".txt".utf8), "untracked\n")
    try record(f)
    let status = try git(f)
    XCTAssertTrue(status.contains { !PathBytes.isExact($0.path) }, "\(status.map(\.path))")
    XCTAssertEqual(try recorded(f), status)
    try create(folder + Array("/tracked.txt".utf8), "TRACKED\n")
    XCTAssertNil(try recorded(f), "a change to a file whose folder's name is not UTF-8 ends the record")
  }

  func testADamagedRecordOrAnotherWorkTreesIsNotUsed() throws {
    let f = try base()
    try record(f)
    let path = try recordPath(f)
    let good = try Data(contentsOf: URL(fileURLWithPath: path))
    XCTAssertEqual(try recorded(f), try git(f))
    for (name, damaged) in [
      ("a byte changed", Data(good.enumerated().map { $0.offset == good.count / 2 ? $0.element ^ 1 : $0.element })),
      ("cut short", good.prefix(good.count - 7)), ("empty", Data()),
    ] {
      try damaged.write(to: URL(fileURLWithPath: path))
      XCTAssertNil(try recorded(f), name)
    }
    let other = try base()
    try FileManager.default.createDirectory(atPath: other.path + "/.git/fairscan", withIntermediateDirectories: true)
    try good.write(to: URL(fileURLWithPath: try recordPath(other)))
    XCTAssertNil(try recorded(other), "recorded for another work tree")
  }
}
