import Foundation
import XCTest
import FairScanTestSupport

/// `fairscan repo` on repositories as they come: damaged, partial, shallow, another user's,
/// and the ranges CI hands over. What is intact is scanned; what is not is named, with the
/// incomplete bit (2) and the fix.
final class RepositoryFaultTests: XCTestCase {
  var rules = ""
  override func setUpWithError() throws { rules = try TestRules.file() }

  func scan(_ path: String, _ extra: [String] = [], environment: [String: String] = [:]) throws
    -> (report: [String: Any], result: Run.Result)
  {
    let result = try Fairscan.run(
      ["repo", path, "--only-rules", rules, "--no-cache", "--format", "json"] + extra, environment: environment)
    return (try result.jsonObject(), result)
  }

  func incomplete(_ report: [String: Any]) -> [String] { report.summary["incomplete"] as? [String] ?? [] }
  func notes(_ report: [String: Any]) -> [String] { report.summary["notes"] as? [String] ?? [] }
  func paths(_ report: [String: Any]) -> Set<String> {
    Set(report.findings(rule: "test.token").compactMap { $0["path"] as? String })
  }

  /// Plain git, outside the fixture (clones, pushes), with no system or global configuration.
  @discardableResult
  func git(_ args: [String], in dir: String, environment: [String: String] = [:]) throws -> String {
    var env = ["GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"]
    for (k, v) in environment { env[k] = v }
    let result = try Run.process(
      "/usr/bin/git", ["-c", "user.name=T", "-c", "user.email=t@example.com"] + args, environment: env,
      currentDirectory: dir)
    guard result.status == 0 else { throw FixtureError("git \(args) failed: \(result.stderrText)") }
    return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// main: `main.txt` (secret A); branch side: `side.txt` (secret B); an untracked `new.txt` (secret C).
  func twoBranches() throws -> GitFixture {
    let repo = try GitFixture()
    try repo.write("main.txt", "a = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("main")
    try repo.git("checkout", "-q", "-b", "side")
    try repo.write("side.txt", "b = \(TestRules.token(TestRules.secretB))\n")
    try repo.commitAll("side")
    try repo.git("checkout", "-q", "main")
    try repo.write("new.txt", "c = \(TestRules.token(TestRules.secretC))\n")
    return repo
  }

  // MARK: Damage

  func testCorruptLooseRefLeavesTheOtherBranchesAndTheWorkTreeScanned() throws {
    let repo = try twoBranches()
    try repo.write(".git/refs/heads/main", "garbage garbage garbage\n")
    let (report, result) = try scan(repo.path)
    XCTAssertEqual(result.status, 3, result.stderrText)  // findings, incomplete
    XCTAssertTrue(incomplete(report).contains { $0.contains("refs/heads/main is corrupt") }, "\(incomplete(report))")
    XCTAssertTrue(paths(report).isSuperset(of: ["side.txt", "new.txt"]), "\(paths(report))")
    XCTAssertTrue(result.stderrText.contains("INCOMPLETE"), result.stderrText)
  }

  func testZeroFilledIndexLeavesHistoryAndWorkTreeScanned() throws {
    let repo = try twoBranches()
    let index = repo.path + "/.git/index"
    let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: index)[.size] as? Int)
    try Data(count: size).write(to: URL(fileURLWithPath: index))
    let (report, result) = try scan(repo.path)
    XCTAssertEqual(result.status, 3, result.stderrText)
    XCTAssertTrue(incomplete(report).contains { $0.contains("cannot compare the work tree") }, "\(incomplete(report))")
    XCTAssertEqual(paths(report), ["main.txt", "side.txt", "new.txt"])
  }

  func testCorruptPackedRefsLineLeavesTheValidRefsScanned() throws {
    let repo = try twoBranches()
    try repo.git("pack-refs", "--all")
    let packed = repo.path + "/.git/packed-refs"
    let text = try String(contentsOfFile: packed, encoding: .utf8)
    try (text + "this line is not a ref\n").write(toFile: packed, atomically: true, encoding: .utf8)
    let (report, result) = try scan(repo.path)
    XCTAssertEqual(result.status, 3, result.stderrText)
    XCTAssertTrue(incomplete(report).contains { $0.contains("packed-refs line 4 is corrupt") }, "\(incomplete(report))")
    // The branches still attribute their findings to their commits.
    let side = try XCTUnwrap(report.findings(rule: "test.token").first { $0["path"] as? String == "side.txt" })
    let location = try XCTUnwrap((side["locations"] as? [[String: Any]])?.first { $0["source"] as? String == "blob" })
    XCTAssertEqual(((location["commits"] as? [[String: Any]])?.first)?["summary"] as? String, "side")
  }

  func testRefToAMissingObjectIsNamed() throws {
    let repo = try twoBranches()
    try repo.write(".git/refs/heads/lost", String(repeating: "ab", count: 20) + "\n")
    let (report, result) = try scan(repo.path)
    XCTAssertEqual(result.status, 3, result.stderrText)
    XCTAssertTrue(
      incomplete(report).contains { $0.contains("refs/heads/lost points at abababababab") }, "\(incomplete(report))")
    XCTAssertEqual(paths(report), ["main.txt", "side.txt", "new.txt"])
  }

  func testMissingParentCommitIsNamedAndItsChildIntroducesAtOrBefore() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "a = \(TestRules.token(TestRules.secretA))\n")
    let first = try repo.commitAll("first")
    try repo.write("b.txt", "b\n")
    let second = try repo.commitAll("second")
    try FileManager.default.removeItem(atPath: repo.path + "/.git/objects/\(first.prefix(2))/\(first.dropFirst(2))")
    let (report, result) = try scan(repo.path, ["--history-only"])
    XCTAssertEqual(result.status, 3, result.stderrText)
    XCTAssertTrue(incomplete(report).contains { $0.contains("1 commit(s) are missing") }, "\(incomplete(report))")
    let finding = try XCTUnwrap(report.findings(rule: "test.token").first)
    let commit = try XCTUnwrap(
      ((finding["locations"] as? [[String: Any]])?.first?["commits"] as? [[String: Any]])?.first)
    XCTAssertEqual(commit["id"] as? String, second)
    XCTAssertEqual(commit["introduced_at_or_before"] as? Bool, true)
  }

  func testCorruptHeadLeavesTheBranchesScanned() throws {
    let repo = try twoBranches()
    try repo.write(".git/HEAD", "nowhere at all\n")
    let (report, result) = try scan(repo.path)
    XCTAssertEqual(result.status, 3, result.stderrText)
    XCTAssertTrue(
      incomplete(report).contains { $0.hasPrefix("damaged repository: HEAD is corrupt") }, "\(incomplete(report))")
    XCTAssertEqual(paths(report), ["main.txt", "side.txt", "new.txt"])
  }

  func testMissingBlobIsCountedWhenTheHistoryIsWalked() throws {
    let repo = try twoBranches()
    try repo.write("lost.txt", "this blob goes missing\n")
    try repo.commitAll("lost")
    let blob = try repo.git("rev-parse", "HEAD:lost.txt")
    try repo.remove("lost.txt")
    try repo.commitAll("gone from the work tree")
    try FileManager.default.removeItem(atPath: repo.path + "/.git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
    let (report, result) = try scan(repo.path)
    XCTAssertEqual(result.status, 3, result.stderrText)  // the other findings still attribute
    XCTAssertTrue(
      incomplete(report).contains {
        $0 == "damaged repository: 1 object(s) the refs reach are missing from the object database"
      },
      "\(incomplete(report))")
  }

  func testUnbornHeadBesideOtherBranchesIsAnOrdinaryScan() throws {
    let repo = try twoBranches()
    try repo.git("symbolic-ref", "HEAD", "refs/heads/not-yet")
    let (report, result) = try scan(repo.path)
    XCTAssertEqual(result.status, 1, result.stderrText)
    XCTAssertEqual(incomplete(report), [])
    XCTAssertTrue(paths(report).isSuperset(of: ["main.txt", "side.txt"]), "\(paths(report))")
  }

  // MARK: Partial clone

  /// A source whose only secret is in a file deleted since, served with filters allowed.
  func filteredSource() throws -> GitFixture {
    let source = try GitFixture()
    try source.git("config", "uploadpack.allowFilter", "true")
    try source.write("keep.txt", "nothing here\n")
    try source.write("old.env", "k = \(TestRules.token(TestRules.secretA))\n")
    try source.commitAll("with a key")
    try source.remove("old.env")
    try source.commitAll("key removed")
    return source
  }

  func testPartialCloneCountsWhatIsMissingAndNeverFetches() throws {
    let source = try filteredSource()
    let clone = source.root + "/partial"
    try git(["clone", "-q", "--filter=blob:none", "--no-local", "file://" + source.path, clone], in: source.root)
    // The promisor remote is gone, and a `git` that would record any call is first on PATH.
    try FileManager.default.moveItem(atPath: source.path, toPath: source.root + "/moved")
    let bin = source.root + "/bin", marker = source.root + "/git-was-run"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    try "#!/bin/sh\ntouch '\(marker)'\nexit 1\n".write(toFile: bin + "/git", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/git")
    let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    let (report, result) = try scan(clone, environment: ["PATH": path, "GIT_TRACE": marker + ".trace"])
    XCTAssertEqual(result.status, 2, result.stderrText)
    let reason = try XCTUnwrap(incomplete(report).first { $0.contains("partial clone") }, "\(incomplete(report))")
    XCTAssertTrue(reason.contains("1 object(s)"), reason)
    XCTAssertTrue(reason.contains("git fetch --refetch origin"), reason)
    XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "fairscan ran git")
    XCTAssertFalse(FileManager.default.fileExists(atPath: marker + ".trace"), "fairscan ran git")
  }

  func testThePartialCloneFixItGivesMakesTheScanComplete() throws {
    let source = try filteredSource()
    let clone = source.root + "/partial"
    try git(["clone", "-q", "--filter=blob:none", "--no-local", "file://" + source.path, clone], in: source.root)
    try git(["config", "--unset", "remote.origin.partialclonefilter"], in: clone)
    try git(["fetch", "-q", "--refetch", "origin"], in: clone)
    let (report, result) = try scan(clone)
    XCTAssertEqual(result.status, 1, result.stderrText)  // the key in old.env, and complete
    XCTAssertEqual(paths(report), ["old.env"])
  }

  // MARK: Shallow clone

  func testShallowBoundaryIntroducesAtOrBefore() throws {
    let repo = try GitFixture()
    try repo.write("old.env", "k = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("old key")
    try repo.write("x.txt", "x\n")
    try repo.commitAll("boundary")
    try repo.write("new.env", "k = \(TestRules.token(TestRules.secretB))\n")
    try repo.commitAll("new key")
    let clone = repo.root + "/shallow"
    try git(["clone", "-q", "--depth", "2", "file://" + repo.path, clone], in: repo.root)
    let boundary = try git(["rev-parse", "HEAD~1"], in: clone)
    let (report, result) = try scan(clone, ["--history-only"])
    XCTAssertEqual(result.status, 3, result.stderrText)
    func commit(_ path: String) throws -> [String: Any] {
      let finding = try XCTUnwrap(report.findings(rule: "test.token").first { $0["path"] as? String == path })
      return try XCTUnwrap(((finding["locations"] as? [[String: Any]])?.first?["commits"] as? [[String: Any]])?.first)
    }
    XCTAssertEqual(try commit("old.env")["id"] as? String, boundary)
    XCTAssertEqual(try commit("old.env")["introduced_at_or_before"] as? Bool, true)
    XCTAssertNil(try commit("new.env")["introduced_at_or_before"], "after the boundary the commit is known")
    let text = try Fairscan.run(["repo", clone, "--only-rules", rules, "--no-cache", "--history-only"])
    XCTAssertTrue(text.stdoutText.contains("at or before commit \(boundary.prefix(7))"), text.stdoutText)
    // SARIF carries the commits as JSON does; JUnit words it as the text report does.
    let sarif = try Fairscan.run([
      "repo", clone, "--only-rules", rules, "--no-cache", "--history-only", "--format", "sarif",
    ])
    let results = try XCTUnwrap(
      ((try sarif.jsonObject()["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]))
    let flagged = results.flatMap { ($0["properties"] as? [String: Any])?["commits"] as? [[String: Any]] ?? [] }
      .filter { $0["introduced_at_or_before"] as? Bool == true }.compactMap { $0["id"] as? String }
    XCTAssertEqual(flagged, [boundary])
    let junit = try Fairscan.run([
      "repo", clone, "--only-rules", rules, "--no-cache", "--history-only", "--format", "junit",
    ])
    XCTAssertTrue(junit.stdoutText.contains("at or before commit \(boundary.prefix(12))"), junit.stdoutText)
  }

  // MARK: Another owner

  func testRepositoryOfAnotherUserSaysDubiousOwnershipAndTheFix() throws {
    // Needs root (the tests run as root here) to give the repository to another uid.
    XCTAssertEqual(getuid(), 0, "this test chowns a repository to another user: run it as root")
    let repo = try twoBranches()
    XCTAssertEqual(try Run.process("/bin/chown", ["-R", "12345:12345", repo.path]).status, 0)
    let home = try TemporaryFolder.make().path
    let refused = try Fairscan.run(
      ["repo", repo.path, "--only-rules", rules, "--no-cache"], environment: ["HOME": home])
    XCTAssertEqual(refused.status, 64, refused.stderrText)
    XCTAssertTrue(refused.stderrText.contains("dubious ownership"), refused.stderrText)
    let fix = "git config --global --add safe.directory '\(repo.path)'"
    XCTAssertTrue(refused.stderrText.contains(fix), refused.stderrText)
    XCTAssertEqual(refused.stderrText.split(separator: "\n").count, 1, refused.stderrText)
    // The fix it names is the one that works (and fairscan does not go around the check).
    try git(
      ["config", "--global", "--add", "safe.directory", repo.path], in: home,
      environment: ["HOME": home, "GIT_CONFIG_GLOBAL": home + "/.gitconfig"])
    let allowed = try Fairscan.run(
      ["repo", repo.path, "--only-rules", rules, "--no-cache"], environment: ["HOME": home])
    XCTAssertEqual(allowed.status, 1, allowed.stderrText)
  }

  // MARK: CI ranges

  func testNewBranchRangeFromTheNullCommitScansWhatNoOtherRemoteBranchHas() throws {
    let origin = try GitFixture(bare: true)
    let work = origin.root + "/work"
    try git(["clone", "-q", origin.path, work], in: origin.root)
    try "a = \(TestRules.token(TestRules.secretA))\n".write(
      toFile: work + "/old.txt", atomically: true, encoding: .utf8)
    try git(["add", "-A"], in: work)
    try git(["commit", "-q", "-m", "on main"], in: work)
    try git(["push", "-q", "origin", "HEAD:main"], in: work)
    try git(["checkout", "-q", "-b", "feature"], in: work)
    try "b = \(TestRules.token(TestRules.secretB))\n".write(
      toFile: work + "/new.txt", atomically: true, encoding: .utf8)
    try git(["add", "-A"], in: work)
    try git(["commit", "-q", "-m", "on feature"], in: work)
    try git(["push", "-q", "origin", "feature"], in: work)  // refs/remotes/origin/feature, as a CI checkout has it
    let null = String(repeating: "0", count: 40)
    let (report, result) = try scan(work, ["--range", "\(null)..HEAD"])
    XCTAssertEqual(result.status, 1, result.stderrText)
    XCTAssertEqual(paths(report), ["new.txt"])
    XCTAssertTrue(notes(report).contains { $0.contains("new branch") }, "\(notes(report))")
  }

  func testNullCommitRangeWithoutRemoteBranchesScansAllOfHeadAndSaysSo() throws {
    let repo = try GitFixture()
    try repo.write("one.txt", "a = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("one")
    try repo.write("two.txt", "b = \(TestRules.token(TestRules.secretB))\n")
    try repo.commitAll("two")
    let (report, result) = try scan(repo.path, ["--range", String(repeating: "0", count: 40) + "..HEAD"])
    XCTAssertEqual(result.status, 1, result.stderrText)
    XCTAssertEqual(paths(report), ["one.txt", "two.txt"])
    XCTAssertTrue(notes(report).contains { $0.contains("no other remote-tracking branch") }, "\(notes(report))")
  }

  func testRangeBaseNotInTheCloneIsIncompleteAndStillScansTheTip() throws {
    let repo = try GitFixture()
    try repo.write("one.txt", "a = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("one")
    let missing = String(repeating: "1234abcd", count: 5)
    let (report, result) = try scan(repo.path, ["--range", "\(missing)..HEAD"])
    XCTAssertEqual(result.status, 3, result.stderrText)
    XCTAssertEqual(paths(report), ["one.txt"])
    let reason = try XCTUnwrap(incomplete(report).first { $0.contains("not in this clone") }, "\(incomplete(report))")
    XCTAssertTrue(reason.contains("git fetch origin \(missing)"), reason)
  }

  func testRangeBaseBeyondAShallowBoundaryScansBackToTheBoundary() throws {
    let repo = try GitFixture()
    try repo.write("base.txt", "base\n")
    let base = try repo.commitAll("base")
    try repo.write("mid.txt", "a = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("mid")
    try repo.write("top.txt", "b = \(TestRules.token(TestRules.secretB))\n")
    try repo.commitAll("top")
    let clone = repo.root + "/shallow"
    try git(["clone", "-q", "--depth", "1", "file://" + repo.path, clone], in: repo.root)
    let (report, result) = try scan(clone, ["--range", "\(base)..HEAD"])
    XCTAssertEqual(result.status, 3, result.stderrText)
    XCTAssertEqual(paths(report), ["mid.txt", "top.txt"])  // both at the boundary, at or before it
    XCTAssertEqual(report.summary["commits_scanned"] as? Int, 1)
    let reason = try XCTUnwrap(incomplete(report).first { $0.contains("not in this clone") }, "\(incomplete(report))")
    XCTAssertTrue(reason.contains("git fetch --unshallow"), reason)
  }
}
