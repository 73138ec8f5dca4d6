import Foundation
import XCTest
import FairScanTestSupport

/// `fairscan repo` over real repositories: every place a secret can hide in history.
final class HistoryScanTests: XCTestCase {
  var rules = ""
  override func setUpWithError() throws { rules = try TestRules.file() }

  func scan(_ repo: GitFixture, _ extra: [String] = []) throws -> (report: [String: Any], result: Run.Result) {
    try Fairscan.json(["repo", repo.path, "--only-rules", rules] + extra)
  }

  func testKeyOnlyInDeletedFileHistory() throws {
    let repo = try GitFixture()
    try repo.write("config.env", "TOKEN=\(TestRules.token(TestRules.secretA))\n")
    let introducing = try repo.commitAll("add config")
    try repo.remove("config.env")
    try repo.commitAll("remove config")
    let (report, result) = try scan(repo)
    XCTAssertEqual(result.status, 1, result.stderrText)
    let findings = report.findings(rule: "test.token")
    XCTAssertEqual(findings.count, 1)
    let finding = try XCTUnwrap(findings.first)
    XCTAssertEqual(finding["path"] as? String, "config.env")
    XCTAssertEqual(finding["present_at_head"] as? Bool, false)
    XCTAssertEqual(finding["in_worktree"] as? Bool, false)
    let location = try XCTUnwrap((finding["locations"] as? [[String: Any]])?.first)
    let commit = try XCTUnwrap((location["commits"] as? [[String: Any]])?.first)
    XCTAssertEqual(commit["id"] as? String, introducing)
    XCTAssertEqual(commit["author"] as? String, "Fixture Author")
    XCTAssertEqual(commit["email"] as? String, "author@example.com")
    XCTAssertEqual(commit["summary"] as? String, "add config")
    XCTAssertEqual(location["line"] as? Int, 1)
    XCTAssertEqual(location["column"] as? Int, 11)
  }

  func testKeyOnlyOnUnmergedBranch() throws {
    let repo = try GitFixture()
    try repo.write("README", "hello\n")
    try repo.commitAll("init")
    try repo.git("checkout", "-q", "-b", "topic")
    try repo.write("topic.txt", "t = \(TestRules.token(TestRules.secretA))\n")
    let commit = try repo.commitAll("topic work")
    try repo.git("checkout", "-q", "main")
    let (report, _) = try scan(repo)
    let finding = try XCTUnwrap(report.findings(rule: "test.token").first)
    XCTAssertEqual(finding["path"] as? String, "topic.txt")
    XCTAssertTrue(commitIDs(finding).contains(commit))
    XCTAssertEqual(finding["present_at_head"] as? Bool, false)
  }

  func testKeyOnlyInTag() throws {
    let repo = try GitFixture()
    try repo.write("README", "hello\n")
    try repo.commitAll("init")
    try repo.git("checkout", "-q", "--detach")
    try repo.write("release.txt", "r = \(TestRules.token(TestRules.secretA))\n")
    let commit = try repo.commitAll("release only")
    try repo.git("tag", "-a", "v1", "-m", "release v1")
    try repo.git("checkout", "-q", "main")
    let (report, _) = try scan(repo)
    let finding = try XCTUnwrap(report.findings(rule: "test.token").first)
    XCTAssertEqual(finding["path"] as? String, "release.txt")
    XCTAssertTrue(commitIDs(finding).contains(commit))
    XCTAssertFalse(isUnreachable(finding))
  }

  func testKeyOnlyInStash() throws {
    let repo = try GitFixture()
    try repo.write("app.cfg", "ok\n")
    try repo.commitAll("init")
    try repo.write("app.cfg", "secret = \(TestRules.token(TestRules.secretA))\n")
    try repo.write("untracked.txt", "u = \(TestRules.token(TestRules.secretB))\n")
    try repo.git("stash", "push", "-u", "-q")
    XCTAssertEqual(try String(contentsOfFile: repo.path + "/app.cfg"), "ok\n")
    let (report, _) = try scan(repo)
    let paths = report.findings(rule: "test.token").compactMap { $0["path"] as? String }
    XCTAssertEqual(Set(paths), ["app.cfg", "untracked.txt"])
    for finding in report.findings(rule: "test.token") { XCTAssertFalse(isUnreachable(finding)) }
  }

  func testKeyOnlyInAmendedAwayCommit() throws {
    let repo = try GitFixture()
    try repo.write("README", "hello\n")
    try repo.commitAll("init")
    try repo.write("oops.txt", "k = \(TestRules.token(TestRules.secretA))\n")
    let amended = try repo.commitAll("oops")
    try repo.write("oops.txt", "k = removed\n")
    try repo.git("add", "-A")
    try repo.git("commit", "-q", "--amend", "-m", "fixed")
    try repo.git("reflog", "expire", "--expire=now", "--all")
    let (report, result) = try scan(repo)
    XCTAssertEqual(result.status, 1)
    let finding = try XCTUnwrap(report.findings(rule: "test.token").first)
    XCTAssertEqual(finding["path"] as? String, "oops.txt")
    XCTAssertTrue(isUnreachable(finding), "\(finding)")
    XCTAssertTrue(commitIDs(finding).contains(amended))
  }

  func testSameKeyInHundredCommitsIsScannedOnceAndReportedOnce() throws {
    let repo = try GitFixture()
    try repo.write("keys.txt", "k = \(TestRules.token(TestRules.secretA))\n")
    let first = try repo.commitAll("add key")
    for i in 0..<99 {
      try repo.write("counter.txt", "\(i)\n")
      try repo.commitAll("bump \(i)")
    }
    let (report, _) = try scan(repo, ["--history-only"])
    let findings = report.findings(rule: "test.token")
    XCTAssertEqual(findings.count, 1)
    let locations = try XCTUnwrap(findings[0]["locations"] as? [[String: Any]])
    XCTAssertEqual(locations.count, 1)
    XCTAssertEqual(commitIDs(findings[0]), [first])
    XCTAssertEqual(findings[0]["present_at_head"] as? Bool, true)
    // 100 commits of messages, and each distinct blob once: keys.txt plus 99 counter.txt versions.
    XCTAssertEqual(report.summary["commits_scanned"] as? Int, 100)
    XCTAssertEqual(report.summary["blobs_scanned"] as? Int, 100)
  }

  func testKeyInCommitMessage() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "a\n")
    let commit = try repo.commitAll("deploy with \(TestRules.token(TestRules.secretC))")
    let (report, _) = try scan(repo)
    let finding = try XCTUnwrap(report.findings(rule: "test.token").first)
    XCTAssertEqual(finding["path"] as? String, "(commit message)")
    XCTAssertEqual(commitIDs(finding), [commit])
    let location = try XCTUnwrap((finding["locations"] as? [[String: Any]])?.first)
    XCTAssertEqual(location["source"] as? String, "commit-message")
  }

  func testKeyInAnnotatedTagMessageAndNotesRef() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "a\n")
    try repo.commitAll("init")
    try repo.git("tag", "-a", "v2", "-m", "release notes: \(TestRules.token(TestRules.secretB))")
    try repo.git("notes", "add", "-m", "ops note \(TestRules.token(TestRules.secretC))")
    let (report, _) = try scan(repo)
    let byPath = Dictionary(grouping: report.findings(rule: "test.token"), by: { $0["path"] as? String ?? "" })
    let tag = try XCTUnwrap(byPath["(tag message)"]?.first)
    let tagCommit = try XCTUnwrap(
      ((tag["locations"] as? [[String: Any]])?.first?["commits"] as? [[String: Any]])?.first)
    XCTAssertEqual(tagCommit["summary"] as? String, "tag v2")
    // A note is a blob under refs/notes/commits, named after the annotated commit.
    let head = try repo.git("rev-parse", "HEAD")
    XCTAssertNotNil(byPath[head], "notes blob not found: \(byPath.keys)")
  }

  func testCorruptObjectMakesTheScanIncomplete() throws {
    let repo = try GitFixture()
    try repo.write("good.txt", "k = \(TestRules.token(TestRules.secretA))\n")
    try repo.write("bad.txt", "this blob gets corrupted\n")
    try repo.commitAll("two files")
    let blob = try repo.git("rev-parse", "HEAD:bad.txt")
    let object = repo.url.appendingPathComponent(".git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: object.path)
    try Data("not zlib at all".utf8).write(to: object)
    let (report, result) = try scan(repo, ["--history-only"])
    XCTAssertEqual(result.status, 3, result.stderrText)  // the finding in good.txt, and incomplete
    let skipped = report.summary["skipped"] as? [[String: Any]] ?? []
    XCTAssertTrue(
      skipped.contains { $0["blob"] as? String == blob && $0["reason"] as? String == "unreadable" }, "\(skipped)")
    XCTAssertTrue((report.summary["incomplete"] as? [String] ?? []).contains { $0.contains("could not be read") })
  }

  func testCorruptPackEntryMakesTheScanIncomplete() throws {
    let repo = try GitFixture()
    try repo.write("good.txt", "k = \(TestRules.token(TestRules.secretA))\n")
    try repo.write("bad.txt", "this blob gets corrupted inside the pack, where the scan walks it\n")
    try repo.commitAll("two files")
    try repo.git("repack", "-a", "-d", "-q")
    let blob = try repo.git("rev-parse", "HEAD:bad.txt")
    // verify-pack -v: "<id> <type> <size> <size in pack> <offset>"
    let line = try XCTUnwrap(
      try repo.git("verify-pack", "-v", try packIndex(repo)).split(separator: "\n")
        .first { $0.hasPrefix(blob) })
    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
    let (inPack, offset) = (try XCTUnwrap(Int(fields[3])), try XCTUnwrap(Int(fields[4])))
    let pack = try packIndex(repo).replacingOccurrences(of: ".idx", with: ".pack")
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pack)
    let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: pack))
    try handle.seek(toOffset: UInt64(offset + inPack / 2))
    try handle.write(contentsOf: Data([0xde, 0xad, 0xbe, 0xef]))
    try handle.close()
    let (report, result) = try scan(repo, ["--history-only", "--no-cache"])
    XCTAssertEqual(result.status, 3, result.stderrText)  // the finding in good.txt, and incomplete
    let skipped = report.summary["skipped"] as? [[String: Any]] ?? []
    XCTAssertTrue(
      skipped.contains { $0["blob"] as? String == blob && $0["reason"] as? String == "unreadable" }, "\(skipped)")
    XCTAssertEqual(report.findings(rule: "test.token").count, 1)
  }

  private func packIndex(_ repo: GitFixture) throws -> String {
    let dir = repo.url.appendingPathComponent(".git/objects/pack")
    let name = try XCTUnwrap(
      try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".idx") })
    return dir.appendingPathComponent(name).path
  }

  func testShallowCloneIsIncomplete() throws {
    let repo = try GitFixture()
    for i in 0..<3 {
      try repo.write("f.txt", "\(i)\n")
      try repo.commitAll("c\(i)")
    }
    let clone = try TemporaryFolder.make().appendingPathComponent("shallow")
    _ = try Run.process("/usr/bin/git", ["clone", "-q", "--depth", "1", "file://" + repo.path, clone.path])
    let (report, result) = try Fairscan.json(["repo", clone.path, "--only-rules", rules])
    XCTAssertEqual(result.status, 2, result.stderrText)
    let incomplete = report.summary["incomplete"] as? [String] ?? []
    XCTAssertTrue(incomplete.contains { $0.contains("shallow") }, "\(incomplete)")
    XCTAssertEqual((report.summary["shallow_boundaries"] as? [String])?.count, 1)
    XCTAssertTrue(result.stderrText.contains("INCOMPLETE"))
    XCTAssertTrue(incomplete.contains { $0.contains("fetch-depth: 0") }, "\(incomplete)")
    // A pull-request range whose base the shallow checkout never fetched: what is here is
    // scanned, and the report says incomplete, with the fix.
    let range = try Fairscan.run(["repo", clone.path, "--only-rules", rules, "--range", "origin/base..HEAD"])
    XCTAssertEqual(range.status, 2, range.stderrText)
    XCTAssertTrue(
      range.stderrText.contains("not in this clone") && range.stderrText.contains("fetch-depth: 0"), range.stderrText)
    XCTAssertTrue(
      range.stderrText.contains("INCOMPLETE"), "never a report that reads as a clean pass: \(range.stderrText)")
    // The same range in a full clone is a typo: usage.
    XCTAssertEqual(
      try Fairscan.run(["repo", repo.path, "--only-rules", rules, "--range", "origin/base..HEAD"]).status, 64)
  }

  func testRangeScansOnlyWhatTheRangeIntroduced() throws {
    let repo = try GitFixture()
    try repo.write("old.txt", "o = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("old")
    let base = try repo.git("rev-parse", "HEAD")
    try repo.write("new.txt", "n = \(TestRules.token(TestRules.secretB))\n")
    try repo.commitAll("new")
    let (report, _) = try scan(repo, ["--range", "\(base)..HEAD"])
    let paths = report.findings(rule: "test.token").compactMap { $0["path"] as? String }
    XCTAssertEqual(paths, ["new.txt"])
  }

  func testSinceSkipsOlderCommits() throws {
    let repo = try GitFixture()
    try repo.write("old.txt", "o = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("old")
    for i in 0..<3 { try repo.write("pad.txt", "\(i)"); try repo.commitAll("pad") }
    try repo.write("new.txt", "n = \(TestRules.token(TestRules.secretB))\n")
    try repo.commitAll("new")
    let newTime = try repo.git("log", "-1", "--format=%ct")
    let (report, _) = try scan(repo, ["--history-only", "--since", newTime])
    let paths = report.findings(rule: "test.token").compactMap { $0["path"] as? String }
    XCTAssertEqual(paths, ["new.txt"])
  }

  func testSinceAcceptsRelativeDates() throws {
    let repo = try GitFixture()  // fixture commits are dated November 2023
    try repo.write("a.txt", "a = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("a")
    let (all, _) = try scan(repo, ["--history-only", "--since", "100 years ago"])
    XCTAssertEqual(all.findings.count, 1)
    let (none, result) = try scan(repo, ["--history-only", "--since", "1 day ago"])
    XCTAssertEqual(none.findings.count, 0, result.stderrText)
    XCTAssertEqual(try Fairscan.run(["repo", repo.path, "--since", "someday"]).status, 64)
  }

  func testAnyNumberOfJobsGivesTheSameReport() throws {
    let repo = try GitFixture()
    for i in 0..<12 {
      try repo.write("f\(i % 4).txt", "v\(i) \(i % 3 == 0 ? TestRules.token(TestRules.secretA) : "x")\n")
      try repo.commitAll("c\(i) \(i == 5 ? TestRules.token(TestRules.secretB) : "")")
    }
    var reports: [String] = []
    for jobs in ["1", "2", "3"] {
      let (report, _) = try scan(repo, ["--jobs", jobs, "--no-cache"])
      let findings = report.findings.map {
        "\($0["fingerprint"]!) \(($0["locations"] as? [[String: Any]])?.count ?? 0)"
      }
      reports.append(findings.sorted().joined(separator: ",") + " blobs=\(report.summary["blobs_scanned"]!)")
    }
    XCTAssertEqual(Set(reports).count, 1, "\(reports)")
    XCTAssertTrue(reports[0].contains("blobs="), reports[0])
  }

  func testStagedSecretInNoCommitIsAttributedToItsPath() throws {
    let repo = try GitFixture()
    try repo.write("README", "hello\n")
    try repo.commitAll("init")
    try repo.write("deploy.env", "T=\(TestRules.token(TestRules.secretA))\n")
    try repo.git("add", "deploy.env")
    try repo.write("deploy.env", "T=removed-but-not-restaged\n")  // the index still holds the secret
    let (report, _) = try scan(repo)
    let finding = try XCTUnwrap(report.findings(rule: "test.token").first)
    XCTAssertEqual(finding["path"] as? String, "deploy.env")
    let location = try XCTUnwrap((finding["locations"] as? [[String: Any]])?.first)
    XCTAssertEqual(location["source"] as? String, "index")
    XCTAssertEqual(location["unreachable"] as? Bool, false)
    XCTAssertEqual(finding["in_worktree"] as? Bool, false)
  }

  // MARK: helpers

  func commitIDs(_ finding: [String: Any]) -> [String] {
    let locations = finding["locations"] as? [[String: Any]] ?? []
    return locations.flatMap { ($0["commits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
  }

  func isUnreachable(_ finding: [String: Any]) -> Bool {
    let locations = finding["locations"] as? [[String: Any]] ?? []
    return !locations.isEmpty && locations.allSatisfy { $0["unreachable"] as? Bool == true }
  }
}
