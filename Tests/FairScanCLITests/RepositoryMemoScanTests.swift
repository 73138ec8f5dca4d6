import FairScanGit
import FairScanTestSupport
import Foundation
import XCTest

/// A rescan of an unchanged repository runs from the last scan's memo (`RepositoryMemo`) and the
/// work tree's record, without libgit2, and reports byte for byte what a scan through libgit2
/// reports: findings, whether each is at `HEAD`, damaged refs, shallow boundaries. Any change the
/// memo depends on, other rules or other settings send the scan the usual way.
final class RepositoryMemoScanTests: XCTestCase {
  static let written = "repository memo: written for the next scan"
  static let holds = "repository memo: the last scan's memo holds (libgit2 not opened)"
  static let lookedUp = "repository memo: a finding's path is not in the memo; HEAD read through libgit2"
  static let trace = ["FAIRSCAN_TRACE": "1"]

  /// History and work tree with findings of every kind: at `HEAD`, only in history, only in the
  /// work tree; and a damaged ref.
  func repository() throws -> GitFixture {
    let repo = try GitFixture()
    try repo.write("kept.txt", "k: \(TestRules.token(TestRules.secretA))\n")
    try repo.write("gone.txt", "g: \(TestRules.token(TestRules.secretB))\n")
    _ = try repo.commitAll("first")
    try repo.remove("gone.txt")
    _ = try repo.commitAll("second")
    try repo.write("untracked.txt", "u: \(TestRules.token(TestRules.secretC))\n")
    try repo.write(".git/refs/heads/broken", String(repeating: "e", count: 40) + "\n")
    return repo
  }

  /// A report's text without its timing (`elapsed_seconds`), for byte-for-byte comparisons.
  func untimed(_ run: Run.Result) -> String {
    run.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.contains("\"elapsed_seconds\"") }.joined(separator: "\n")
  }

  /// The memo of the repository at `repo`.
  func memoPath(_ repo: GitFixture) -> String { RepositoryMemo.path(gitDirectory: repo.path + "/.git") }

  /// Lets every change so far be old enough for the memo and the record to trust, whatever the
  /// file system.
  func settle() { usleep(UInt32(WorktreeSnapshot.coarseMargin / 1000 + 200_000)) }

  func testAnUnchangedRepositoryIsScannedFromTheMemoWithTheSameReport() throws {
    let rules = try TestRules.file()
    let repo = try repository()
    let elsewhere = try GitFixture()
    settle()
    let scan = ["repo", ".", "--only-rules", rules, "--format", "json"]
    let uncached = try Fairscan.run(scan + ["--no-cache"], cwd: repo.path)
    let first = try Fairscan.run(scan, cwd: repo.path, environment: Self.trace)
    XCTAssertTrue(first.stderrText.contains(Self.written), first.stderrText)
    XCTAssertFalse(first.stderrText.contains(Self.holds))
    let second = try Fairscan.run(scan, cwd: repo.path, environment: Self.trace)
    XCTAssertTrue(second.stderrText.contains(Self.holds), second.stderrText)
    let loading = try Fairscan.run(scan, cwd: repo.path, environment: ["LD_DEBUG": "files"])
    XCTAssertTrue(loading.stderrText.contains("libsqlite3"), "the loader's trace is there")
    XCTAssertFalse(loading.stderrText.contains("libgit2"), "libgit2 is not even loaded")
    // The same rescan through libgit2: the memo removed (it is written again).
    try FileManager.default.removeItem(atPath: memoPath(repo))
    let usual = try Fairscan.run(scan, cwd: repo.path, environment: Self.trace)
    XCTAssertFalse(usual.stderrText.contains(Self.holds), usual.stderrText)
    XCTAssertTrue(usual.stderrText.contains(Self.written), usual.stderrText)
    XCTAssertEqual(untimed(second), untimed(usual), "the same report, byte for byte")
    XCTAssertEqual(second.status, usual.status)
    XCTAssertEqual(try second.jsonObject().comparableFindings(), try first.jsonObject().comparableFindings())
    XCTAssertEqual(try second.jsonObject().comparableFindings(), try uncached.jsonObject().comparableFindings())
    let report = try second.jsonObject()
    XCTAssertEqual(
      Set(report.findings.compactMap { $0["path"] as? String }), ["kept.txt", "gone.txt", "untracked.txt"])
    XCTAssertEqual(
      report.findings.filter { $0["present_at_head"] as? Bool == true }.compactMap { $0["path"] as? String },
      ["kept.txt"])
    let incomplete = try XCTUnwrap(report.summary["incomplete"] as? [String])
    XCTAssertTrue(incomplete.contains { $0.contains("refs/heads/broken") }, "\(incomplete)")
    XCTAssertEqual(incomplete, try first.jsonObject().summary["incomplete"] as? [String])

    // Named from another folder (no scan begun at the process's start): the scan checks the memo itself.
    let named = try Fairscan.run(
      ["repo", repo.path, "--only-rules", rules, "--format", "json"], cwd: elsewhere.path, environment: Self.trace)
    XCTAssertTrue(named.stderrText.contains(Self.holds), named.stderrText)
    XCTAssertEqual(try named.jsonObject().comparableFindings(), try first.jsonObject().comparableFindings())

    // Other settings or rules, or a run that needs the secrets: not the memo's scan.
    let otherRules = try TemporaryFolder.make().appendingPathComponent("other-rules.yml")
    try TestRules.yaml.replacingOccurrences(of: "severity: low", with: "severity: medium")
      .write(to: otherRules, atomically: true, encoding: .utf8)
    for other in [
      ["--max-file-size", "1MiB"], ["--max-archive-depth", "1"], ["--only-rules", otherRules.path], ["--show-secrets"],
    ] {
      let ruleFlags = other.first == "--only-rules" ? [] : ["--only-rules", rules]
      let run = try Fairscan.run(
        ["repo", ".", "--format", "json"] + ruleFlags + other, cwd: repo.path, environment: Self.trace)
      XCTAssertFalse(run.stderrText.contains(Self.holds), "\(other): \(run.stderrText)")
      XCTAssertEqual(Set(try run.jsonObject().findings.compactMap { $0["path"] as? String }).count, 3, "\(other)")
    }

    // A new commit: the usual way, which finds what it brought and writes the memo again once settled.
    try repo.write("new.txt", "n: \(TestRules.token(TestRules.secretD))\n")
    _ = try repo.commitAll("third")
    let changed = try Fairscan.run(scan, cwd: repo.path, environment: Self.trace)
    XCTAssertFalse(changed.stderrText.contains(Self.holds), changed.stderrText)
    XCTAssertTrue(try changed.jsonObject().findings.contains { $0["path"] as? String == "new.txt" })
    settle()
    _ = try Fairscan.run(scan, cwd: repo.path)
    let again = try Fairscan.run(scan, cwd: repo.path, environment: Self.trace)
    XCTAssertTrue(again.stderrText.contains(Self.holds), again.stderrText)
    XCTAssertTrue(try again.jsonObject().findings.contains { $0["path"] as? String == "new.txt" })
  }

  /// A finding at a path the memo has no blob at `HEAD` for is looked up through libgit2: the
  /// report says the same as before.
  func testAFindingsPathTheMemoLacksIsLookedUpAtHEAD() throws {
    let rules = try TestRules.file()
    let repo = try repository()
    settle()
    let scan = ["repo", ".", "--only-rules", rules, "--format", "json"]
    _ = try Fairscan.run(scan, cwd: repo.path)
    // The rescan through libgit2, which writes the memo again.
    try FileManager.default.removeItem(atPath: memoPath(repo))
    let first = try Fairscan.run(scan, cwd: repo.path, environment: Self.trace)
    XCTAssertTrue(first.stderrText.contains(Self.written), first.stderrText)
    // The memo written again without `kept.txt`'s blob at HEAD.
    let opened = try Repository(path: repo.path)
    let memo = try XCTUnwrap(
      RepositoryMemo.plainRepository(at: repo.path).flatMap(RepositoryMemo.holding))
    var facts = memo.facts
    XCTAssertNotNil(facts.headBlobs["kept.txt"] ?? nil)
    facts.headBlobs["kept.txt"] = nil
    XCTAssertEqual(try XCTUnwrap(RepositoryMemo.begin(opened)).write(facts), .written)

    let second = try Fairscan.run(scan, cwd: repo.path, environment: Self.trace)
    XCTAssertTrue(second.stderrText.contains(Self.holds), second.stderrText)
    XCTAssertTrue(second.stderrText.contains(Self.lookedUp), second.stderrText)
    XCTAssertEqual(untimed(second), untimed(first))
  }

  /// A shallow clone's boundaries come from the memo as they came from git.
  func testAShallowClonesBoundariesAreKept() throws {
    let rules = try TestRules.file()
    let origin = try repository()
    _ = try origin.git("commit", "-q", "--allow-empty", "-m", "third")
    let clone = origin.root + "/shallow"
    try GitFixture.run(["clone", "-q", "--depth", "1", "file://" + origin.path, clone], in: origin.root)
    settle()
    let scan = ["repo", ".", "--only-rules", rules, "--format", "json"]
    _ = try Fairscan.run(scan, cwd: clone)
    try FileManager.default.removeItem(atPath: clone + "/.git/fairscan/repository-memo")
    let first = try Fairscan.run(scan, cwd: clone, environment: Self.trace)
    XCTAssertTrue(first.stderrText.contains(Self.written), first.stderrText)
    let second = try Fairscan.run(scan, cwd: clone, environment: Self.trace)
    XCTAssertTrue(second.stderrText.contains(Self.holds), second.stderrText)
    XCTAssertEqual(untimed(second), untimed(first))
    let boundaries = try XCTUnwrap(try second.jsonObject().summary["shallow_boundaries"] as? [String])
    XCTAssertEqual(boundaries, [try GitFixture.run(["rev-parse", "HEAD"], in: clone)])
  }
}
