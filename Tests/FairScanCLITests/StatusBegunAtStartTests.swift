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
}
