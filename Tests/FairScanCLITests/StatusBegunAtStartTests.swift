import FairScanGit
import FairScanTestSupport
import Foundation
import XCTest

/// `fairscan repo` begins the status of the current folder's work tree as the process starts
/// (`WorktreeStatusPrefetch`): run from inside the repository it takes that status, run from
/// another repository it takes its own. Same bytes, same answer either way.
final class StatusBegunAtStartTests: XCTestCase {
  static let begun = "working tree status: begun as the process started"

  func testAScanFromInsideTheRepositoryFindsWhatAScanFromAnotherOneFinds() throws {
    let rules = try TestRules.file()
    let repo = try GitFixture()
    try repo.write("kept.txt", "k: \(TestRules.token(TestRules.secretA))\n")
    try repo.write("edited.txt", "clean\n")
    try repo.write("sub/deleted.txt", "d: \(TestRules.token(TestRules.secretB))\n")
    _ = try repo.commitAll("first")
    // Secrets the work tree alone holds: a modified file, an untracked one; and a deleted file.
    try repo.write("edited.txt", "e: \(TestRules.token(TestRules.secretC))\n")
    try repo.write("sub/untracked.txt", "u: \(TestRules.token(TestRules.secretD))\n")
    try repo.remove("sub/deleted.txt")
    let elsewhere = try GitFixture()
    try elsewhere.write("other.txt", "o: \(TestRules.token(TestRules.secretB))\n")

    for extra in [["--no-cache"], []] {
      let scan = ["--only-rules", rules, "--format", "json"] + extra
      let trace = ["FAIRSCAN_TRACE": "1"]
      let inside = try Fairscan.run(["repo", "."] + scan, cwd: repo.path + "/sub", environment: trace)
      let outside = try Fairscan.run(["repo", repo.path] + scan, cwd: elsewhere.path, environment: trace)
      XCTAssertEqual(inside.status, 1, inside.stderrText)
      XCTAssertEqual(outside.status, 1, outside.stderrText)
      XCTAssertTrue(inside.stderrText.contains(Self.begun), inside.stderrText)
      XCTAssertFalse(outside.stderrText.contains(Self.begun), "another repository's status is not taken")

      let report = try inside.jsonObject()
      XCTAssertEqual(try report.comparableFindings(), try outside.jsonObject().comparableFindings(), "\(extra)")
      let worktree = Set(
        report.findings.flatMap { ($0["locations"] as? [[String: Any]]) ?? [] }
          .filter { $0["source"] as? String == "worktree" }.compactMap { $0["path"] as? String })
      XCTAssertEqual(worktree, ["edited.txt", "kept.txt", "sub/untracked.txt"], "\(extra)")
    }
  }

  static let recorded = "working tree status: recorded for the next scan"
  static let recordHolds = "working tree status: the last scan's record holds"

  /// The record of the last scan's status (`WorktreeSnapshot`): a scan with the default cache
  /// writes it once the work tree has settled, the next takes it, `--no-cache` neither writes nor
  /// reads it, and a secret written into a tracked file in place, its size and modification time
  /// kept, is still found.
  func testTheLastScansRecordIsTakenAndHidesNoChange() throws {
    let rules = try TestRules.file()
    let repo = try GitFixture()
    let secretLine = "e: \(TestRules.token(TestRules.secretC))\n"
    try repo.write("kept.txt", "k: \(TestRules.token(TestRules.secretA))\n")
    try repo.write("edited.txt", String(repeating: "x", count: secretLine.utf8.count - 1) + "\n")
    _ = try repo.commitAll("first")
    let record = repo.path + "/.git/fairscan/worktree-status"
    usleep(UInt32(WorktreeSnapshot.coarseMargin / 1000 + 200_000))  // settled, whatever the file system

    let scan = ["repo", ".", "--only-rules", rules, "--format", "json"]
    let trace = ["FAIRSCAN_TRACE": "1"]
    let uncached = try Fairscan.run(scan + ["--no-cache"], cwd: repo.path, environment: trace)
    XCTAssertEqual(uncached.status, 1, uncached.stderrText)
    XCTAssertFalse(FileManager.default.fileExists(atPath: record), "--no-cache writes no record")
    let first = try Fairscan.run(scan, cwd: repo.path, environment: trace)
    XCTAssertTrue(first.stderrText.contains(Self.recorded), first.stderrText)
    let second = try Fairscan.run(scan, cwd: repo.path, environment: trace)
    XCTAssertTrue(second.stderrText.contains(Self.recordHolds), second.stderrText)
    XCTAssertEqual(try second.jsonObject().comparableFindings(), try first.jsonObject().comparableFindings())
    XCTAssertEqual(try second.jsonObject().comparableFindings(), try uncached.jsonObject().comparableFindings())
    let again = try Fairscan.run(scan + ["--no-cache"], cwd: repo.path, environment: trace)
    XCTAssertFalse(again.stderrText.contains(Self.recordHolds), "--no-cache reads no record")

    let file = repo.path + "/edited.txt"
    var before = stat()
    XCTAssertEqual(lstat(file, &before), 0)
    let handle = try XCTUnwrap(FileHandle(forWritingAtPath: file))
    handle.write(Data(secretLine.utf8))
    try handle.close()
    XCTAssertEqual(utimensat(AT_FDCWD, file, [before.st_atim, before.st_mtim], 0), 0)
    let third = try Fairscan.run(scan, cwd: repo.path, environment: trace)
    XCTAssertFalse(third.stderrText.contains(Self.recordHolds), third.stderrText)
    let paths = try third.jsonObject().findings.flatMap { ($0["locations"] as? [[String: Any]]) ?? [] }
      .filter { $0["source"] as? String == "worktree" }.compactMap { $0["path"] as? String }
    XCTAssertEqual(Set(paths), ["edited.txt", "kept.txt"])
  }
}
