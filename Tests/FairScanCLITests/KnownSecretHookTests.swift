import Foundation
import XCTest
import FairScanTestSupport

/// A commit blocks only on what it adds: a secret HEAD already holds, moved (`git mv`), copied,
/// or left where it is under a mode change (`chmod +x`), passes the installed pre-commit hook and
/// `fairscan staged`, with one line saying so; a new secret beside it still blocks, and so does
/// a known secret that becomes more severe where it now is.
final class KnownSecretHookTests: XCTestCase {
  let key = "Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0"
  var secretLine: String { "FAIR_API_KEY=\(key)\n" }

  /// A repository with the secret committed in deploy/.env before the hook was installed.
  func repoWithCommittedSecret() throws -> GitFixture {
    let repo = try GitFixture()
    try repo.write("README", "hello\n")
    try repo.write("deploy/.env", "# deploy\n\(secretLine)")
    try repo.commitAll("secret committed before the hook")
    let install = try Fairscan.run(["hook", "install"], cwd: repo.path)
    XCTAssertEqual(install.status, 0, install.stderrText)
    return repo
  }

  func commit(_ repo: GitFixture) throws -> Run.Result {
    let result = try repo.gitResult(["commit", "-q", "-m", "change"])
    repo.clock += 60
    return result
  }

  func testGitMvOfACommittedSecretPassesAndSaysItMoved() throws {
    let repo = try repoWithCommittedSecret()
    try repo.git("mv", "deploy/.env", "config.env")
    let result = try commit(repo)
    XCTAssertEqual(result.status, 0, "a move adds no secret: \(result.stderrText)")
    XCTAssertEqual(try repo.git("log", "-1", "--format=%s"), "change")
    XCTAssertTrue(result.stderrText.contains("known secret moved from deploy/.env to config.env"), result.stderrText)
    XCTAssertFalse(result.stderrText.contains("blocked"), result.stderrText)
    XCTAssertFalse(result.stderrText.contains(key), "redacted")
  }

  func testAMoveWithEditsPassesToo() throws {
    let repo = try repoWithCommittedSecret()
    try repo.git("mv", "deploy/.env", "prod.env")
    try repo.write("prod.env", "# moved and edited\nMODE=prod\n\(secretLine)")
    try repo.git("add", "prod.env")
    let result = try commit(repo)
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertTrue(result.stderrText.contains("known secret moved"), result.stderrText)
  }

  func testAModeOnlyChangePassesSilently() throws {
    let repo = try repoWithCommittedSecret()
    XCTAssertEqual(chmod(repo.path + "/deploy/.env", 0o755), 0)
    try repo.git("add", "deploy/.env")
    XCTAssertFalse(try repo.git("diff", "--cached", "--summary").isEmpty, "the mode change is staged")
    let result = try commit(repo)
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertTrue(result.stderrText.isEmpty, "nothing to say: \(result.stderrText)")
  }

  func testACopyPassesAndSaysTheSecretIsNowAtBothPaths() throws {
    let repo = try repoWithCommittedSecret()
    try repo.write("backup.env", "# deploy\n\(secretLine)")
    try repo.git("add", "backup.env")
    let result = try commit(repo)
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertTrue(
      result.stderrText.contains("known secret copied from deploy/.env to backup.env (still at both)"),
      result.stderrText)
  }

  func testANewSecretBesideAMovedOneStillBlocks() throws {
    let repo = try repoWithCommittedSecret()
    let head = try repo.git("rev-parse", "HEAD")
    try repo.git("mv", "deploy/.env", "config.env")
    try repo.write("other.env", "FAIR_API_KEY=Tq7Wx2Zc5Vb8Nm1Lk4Jh-Gf_DsAaPoIuYt6Re3We9Qs\n")
    try repo.git("add", "other.env")
    let result = try commit(repo)
    XCTAssertNotEqual(result.status, 0, result.stderrText)
    XCTAssertEqual(try repo.git("rev-parse", "HEAD"), head)
    XCTAssertTrue(result.stderrText.contains("commit blocked: 1 secret"), result.stderrText)
    XCTAssertTrue(result.stderrText.contains("other.env:1:"), result.stderrText)
    XCTAssertFalse(
      result.stderrText.contains("config.env:2:"), "the moved secret is not a finding: \(result.stderrText)")
  }

  func testASecretMovedOutOfATestFolderBecomesMoreSevereAndBlocks() throws {
    // A rule whose examples are test vectors: in a test folder a finding is `info`.
    let rules = try TemporaryFolder.make().appendingPathComponent("rules.yml")
    try """
    rules:
      - id: test.vector-token
        name: Vector token
        description: A token with test vectors.
        severity: high
        test_vectors: true
        pattern: 'vtok_(?<secret>[A-Za-z0-9]{24})\\b'
        keywords: [vtok_]
        examples: ['vtok_⟦Ab3dEf6hIj9kLm2nOp5qRs8t⟧']
    """.write(to: rules, atomically: true, encoding: .utf8)
    let repo = try GitFixture()
    try repo.write("tests/fixture.txt", "t = vtok_\(TestRules.secretA)\n")
    try repo.commitAll("a test vector")
    try repo.git("mv", "tests/fixture.txt", "app.txt")
    let result = try Fairscan.run([
      "staged", repo.path, "--only-rules", rules.path, "--min-severity", "info", "--format", "json",
    ])
    XCTAssertEqual(result.status, 1, "info in tests/, high in app.txt: \(result.stderrText)")
    XCTAssertEqual(try result.jsonObject().findings.first?["path"] as? String, "app.txt")

    // Moved between two test folders it stays as (un)important as it was: known.
    try repo.git("mv", "app.txt", "tests/other.txt")
    let known = try Fairscan.run([
      "staged", repo.path, "--only-rules", rules.path, "--min-severity", "info", "--format", "json",
    ])
    XCTAssertEqual(known.status, 0, known.stderrText)
    XCTAssertTrue(
      known.stderrText.contains("known secret moved from tests/fixture.txt to tests/other.txt"), known.stderrText)
  }

  // MARK: pre-push

  /// A push of commits that only move, copy or chmod a secret the remote already has passes the
  /// installed pre-push hook; a new secret in the same push still blocks it.
  func testPrePushPassesAMovedCopiedOrChmoddedSecretTheRemoteHas() throws {
    let repo = try GitFixture()
    try GitFixture.run(["init", "-q", "--bare", repo.root + "/remote.git"], in: repo.root)
    try repo.git("remote", "add", "origin", repo.root + "/remote.git")
    try repo.write("deploy/.env", "# deploy\n\(secretLine)")
    try repo.commitAll("secret pushed before the hook")
    try repo.git("push", "-q", "-u", "origin", "main")
    let install = try Fairscan.run(["hook", "install", "--pre-push"], cwd: repo.path)
    XCTAssertEqual(install.status, 0, install.stderrText)

    try repo.git("mv", "deploy/.env", "config.env")
    try repo.git("commit", "-q", "--no-verify", "-m", "move")
    repo.clock += 60
    try repo.write("copy.env", "# deploy\n\(secretLine)")
    XCTAssertEqual(chmod(repo.path + "/config.env", 0o755), 0)
    try repo.git("add", "-A")
    try repo.git("commit", "-q", "--no-verify", "-m", "copy and chmod")
    repo.clock += 60
    let moved = try repo.gitResult(["push", "-q", "origin", "main"])
    XCTAssertEqual(moved.status, 0, "nothing new leaves the machine: \(moved.stderrText)")
    XCTAssertEqual(
      try GitFixture.run(["rev-parse", "main"], in: repo.root + "/remote.git"), try repo.git("rev-parse", "HEAD"))

    // The same kind of push with a new secret still blocks, naming only the new one.
    try repo.git("mv", "copy.env", "copy2.env")
    try repo.write("src/new.env", "FAIR_API_KEY=Zq7Wm2Xc8Vb4Nn6Ll1Kk3Jj5Hh9Gg0Ff-Dd_SsAaPpOo\n")
    try repo.git("add", "-A")
    try repo.git("commit", "-q", "--no-verify", "-m", "move and leak")
    repo.clock += 60
    let blocked = try repo.gitResult(["push", "-q", "origin", "main"])
    XCTAssertNotEqual(blocked.status, 0, blocked.stderrText)
    XCTAssertTrue(blocked.stderrText.contains("src/new.env:1:"), blocked.stderrText)
    XCTAssertFalse(blocked.stderrText.contains("copy2.env"), "known, only moved: \(blocked.stderrText)")
  }
}
