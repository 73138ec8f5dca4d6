import FairScanTestSupport
import XCTest

/// A rule that hits a PCRE2 limit is recorded the same way whatever the bytes came from: one
/// rule error, the scan incomplete with the same line, exit code 2 (never passed as clean).
/// Every scanner records it through one path (`ScanSummary.recordRuleErrors`).
final class RuleErrorSourcesTests: XCTestCase {
  /// Makes PCRE2 backtrack on the run of a's: the prefilter sees the real match at the end.
  let slow = "slowslow " + String(repeating: "a", count: 20_000) + "b\naa"

  func testEverySourceRecordsARuleErrorAlike() throws {
    let rules = try TestRules.file()
    let folder = try TemporaryFolder.make()
    try slow.write(to: folder.appendingPathComponent("bad.txt"), atomically: true, encoding: .utf8)
    let repo = try GitFixture()
    try repo.write("bad.txt", slow)
    _ = try repo.git("add", "bad.txt")
    let staged = try Fairscan.json(["staged", repo.path, "--only-rules", rules])
    try repo.commitAll("slow")
    try repo.write("worktree.txt", slow)

    // (source, its run, the rule errors it must record: the work tree holds two slow files)
    let runs: [(String, (report: [String: Any], result: Run.Result), Int)] = [
      ("dir", try Fairscan.json(["dir", folder.path, "--only-rules", rules]), 1),
      ("stdin", try Fairscan.json(["stdin", "--name", "bad.txt", "--only-rules", rules], input: slow), 1),
      ("staged", staged, 1),
      ("history", try Fairscan.json(["repo", repo.path, "--history-only", "--no-cache", "--only-rules", rules]), 1),
      ("work tree", try Fairscan.json(["repo", repo.path, "--no-history", "--only-rules", rules]), 2),
    ]
    for (source, run, count) in runs {
      XCTAssertEqual(run.result.status, 2, "\(source): \(run.result.stderrText)")
      let incomplete = run.report.summary["incomplete"] as? [String] ?? []
      XCTAssertEqual(
        incomplete.filter { $0.contains("rule error") }, ["\(count) rule error(s): a PCRE2 limit was hit"], source)
      XCTAssertEqual((run.report.summary["rule_errors"] as? [Any])?.count, count, source)
      let errors = run.report.summary["rule_errors"] as? [[String: Any]] ?? []
      XCTAssertEqual(Set(errors.compactMap { $0["rule_id"] as? String }), ["test.slow"], source)
    }
  }
}
