import Foundation
import XCTest
import FairScanTestSupport

/// `fairscan hook install|uninstall` and the hooks themselves, run by real `git commit`
/// and `git push` (to a bare repository beside the work tree). The hooks scan with the
/// built-in rules, so the secret is a FAIR API key in an env file.
final class HookTests: XCTestCase {
  let key = "Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0"
  var secretLine: String { "FAIR_API_KEY=\(key)\n" }

  func install(_ repo: GitFixture, _ extra: [String] = []) throws -> Run.Result {
    let result = try Fairscan.run(["hook", "install"] + extra, cwd: repo.path)
    XCTAssertEqual(result.status, 0, result.stderrText)
    return result
  }

  func commit(_ repo: GitFixture, _ args: [String] = []) throws -> Run.Result {
    let result = try repo.gitResult(["commit", "-q", "-m", "change"] + args)
    repo.clock += 60
    return result
  }

  func testThePreCommitHookBlocksAStagedSecretAndSaysWhatToDo() throws {
    let repo = try GitFixture()
    try repo.write("README", "hello\n")
    let head = try repo.commitAll("first")
    _ = try install(repo)
    let hook = repo.path + "/.git/hooks/pre-commit"
    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: hook))
    XCTAssertTrue(try String(contentsOfFile: hook, encoding: .utf8).contains(Fairscan.binary))

    try repo.write("deploy/.env", "# deploy\n\(secretLine)")
    try repo.git("add", "-A")
    let blocked = try commit(repo)
    XCTAssertNotEqual(blocked.status, 0, "the commit must be refused")
    XCTAssertEqual(try repo.git("rev-parse", "HEAD"), head)
    let message = blocked.stderrText
    XCTAssertTrue(message.contains("commit blocked"), message)
    XCTAssertTrue(message.contains("deploy/.env:2:"), message)
    XCTAssertTrue(message.contains("fair.api-key"), message)
    XCTAssertFalse(message.contains(key), "the secret is redacted")
    XCTAssertTrue(message.contains("git restore --staged -- deploy/.env"), message)
    XCTAssertTrue(message.contains("fairscan:allow"), message)
    XCTAssertTrue(message.contains(".fairscanignore"), message)
    XCTAssertTrue(message.contains("git commit --no-verify"), message)
    XCTAssertTrue(blocked.stdoutText.isEmpty, blocked.stdoutText)

    // The fingerprint it prints goes into .fairscanignore and the commit passes.
    let words = message.split(whereSeparator: \.isWhitespace).map(String.init)
    let fingerprint = try XCTUnwrap(words.last { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
    try repo.write(".fairscanignore", "\(fingerprint)\n")
    let allowed = try commit(repo)
    XCTAssertEqual(allowed.status, 0, allowed.stderrText)
  }

  func testACleanCommitPassesAndAnUnstagedSecretIsNotItsBusiness() throws {
    let repo = try GitFixture()
    try repo.write("app.env", "A=1\n")
    try repo.commitAll("first")
    _ = try install(repo)
    try repo.write("app.env", "A=2\n")
    try repo.git("add", "app.env")
    try repo.write("app.env", "A=2\n\(secretLine)")  // edited again, not staged
    let result = try commit(repo)
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertEqual(try repo.git("show", "HEAD:app.env"), "A=2")
  }

  func testAHookRunPrintsNoSummaryLine() throws {
    let repo = try GitFixture()
    try repo.write("app.env", "A=1\n")
    try repo.git("add", "app.env")
    let plain = try Fairscan.run(["staged", repo.path])
    XCTAssertEqual(plain.status, 0, plain.stderrText)
    XCTAssertTrue(plain.stderrText.contains("fairscan: scanned "), plain.stderrText)
    let hook = try Fairscan.run(["staged", repo.path, "--hook"])
    XCTAssertEqual(hook.status, 0, hook.stderrText)
    XCTAssertFalse(hook.stderrText.contains("fairscan: scanned "), hook.stderrText)
    try repo.write("deploy/.env", secretLine)
    try repo.git("add", "deploy/.env")
    let blocked = try Fairscan.run(["staged", repo.path, "--hook"])
    XCTAssertEqual(blocked.status, 1, blocked.stderrText)
    XCTAssertTrue(blocked.stderrText.contains("fairscan: commit blocked"), blocked.stderrText)
    XCTAssertFalse(blocked.stderrText.contains("fairscan: scanned "), blocked.stderrText)
  }

  func testCommitDashAAndCommitPathsAreScannedThroughGitIndexFile() throws {
    let repo = try GitFixture()
    try repo.write("app.env", "A=1\n")
    try repo.write("other.env", "B=1\n")
    let head = try repo.commitAll("first")
    _ = try install(repo)
    try repo.write("app.env", "A=1\n\(secretLine)")  // tracked, modified, never `git add`ed

    // Nothing staged in .git/index, but `git commit -a` commits the work tree's tracked files.
    let dashA = try commit(repo, ["-a"])
    XCTAssertNotEqual(dashA.status, 0, dashA.stderrText)
    XCTAssertTrue(dashA.stderrText.contains("app.env:2:"), dashA.stderrText)
    // `git commit PATH` builds yet another index for the hook.
    let paths = try commit(repo, ["app.env"])
    XCTAssertNotEqual(paths.status, 0, paths.stderrText)
    XCTAssertTrue(paths.stderrText.contains("app.env:2:"), paths.stderrText)
    XCTAssertEqual(try repo.git("rev-parse", "HEAD"), head)
    // Committing another path only leaves app.env out.
    try repo.write("other.env", "B=2\n")
    let other = try commit(repo, ["other.env"])
    XCTAssertEqual(other.status, 0, other.stderrText)
  }

  func testTheFirstCommitIsScannedAndTheAdviceFitsAnUnbornBranch() throws {
    let repo = try GitFixture()
    _ = try install(repo)
    try repo.write(".env", secretLine)
    try repo.git("add", "-A")
    let blocked = try commit(repo)
    XCTAssertNotEqual(blocked.status, 0)
    XCTAssertTrue(blocked.stderrText.contains("git rm --cached -- .env"), blocked.stderrText)
    XCTAssertNotEqual(try repo.gitResult(["rev-parse", "--verify", "-q", "HEAD"]).status, 0, "still no commit")
  }

  func testTheHookLeavesTheRepositoryByteIdenticalWhenItBlocks() throws {
    let repo = try GitFixture()
    try repo.write("README", "hello\n")
    try repo.commitAll("first")
    _ = try install(repo)
    try repo.write(".env", secretLine)
    try repo.git("add", "-A")
    try repo.write("README", "unstaged\n")
    // `git commit` itself writes .git/index.lock and removes it again; run the hook as git would,
    // and compare everything, .git included.
    let before = try RepositorySnapshot.take(repo.path)
    let hook = try Run.process(repo.path + "/.git/hooks/pre-commit", [], currentDirectory: repo.path)
    XCTAssertEqual(hook.status, 1, hook.stderrText)
    XCTAssertEqual(before.difference(from: try RepositorySnapshot.take(repo.path)), [])
  }

  func testInstallChainsAnExistingHookIsIdempotentAndUninstallPutsItBack() throws {
    let repo = try GitFixture()
    try repo.write("README", "hello\n")
    try repo.commitAll("first")
    let hooks = repo.path + "/.git/hooks"
    let ranFile = repo.root + "/chained-ran"
    let original = "#!/bin/sh\necho \"$0\" >> '\(ranFile)'\n[ ! -e '\(repo.root)/fail' ]\n"
    try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
    try original.write(toFile: hooks + "/pre-commit", atomically: true, encoding: .utf8)
    chmod(hooks + "/pre-commit", 0o755)

    let first = try install(repo)
    XCTAssertTrue(first.stdoutText.contains("chained"), first.stdoutText)
    XCTAssertEqual(try String(contentsOfFile: hooks + "/pre-commit.pre-fairscan", encoding: .utf8), original)
    let installed = try String(contentsOfFile: hooks + "/pre-commit", encoding: .utf8)
    _ = try install(repo)
    XCTAssertEqual(try String(contentsOfFile: hooks + "/pre-commit", encoding: .utf8), installed, "idempotent")
    XCTAssertEqual(try String(contentsOfFile: hooks + "/pre-commit.pre-fairscan", encoding: .utf8), original)
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: hooks).filter {
        $0.hasPrefix("pre-commit") && !$0.hasSuffix(".sample")
      }.sorted(),
      ["pre-commit", "pre-commit.pre-fairscan"])

    // Both run: the chained hook first, then fairscan.
    try repo.write("a.txt", "clean\n")
    try repo.git("add", "-A")
    XCTAssertEqual(try commit(repo).status, 0)
    XCTAssertTrue(FileManager.default.fileExists(atPath: ranFile), "the chained hook ran")
    try repo.write(".env", secretLine)
    try repo.git("add", "-A")
    let blocked = try commit(repo)
    XCTAssertNotEqual(blocked.status, 0)
    XCTAssertTrue(blocked.stderrText.contains("commit blocked"), blocked.stderrText)
    // A failing chained hook blocks the commit by itself.
    try repo.git("rm", "-q", "--cached", ".env")
    try repo.write("b.txt", "clean\n")
    try repo.git("add", "b.txt")
    try "".write(toFile: repo.root + "/fail", atomically: true, encoding: .utf8)
    XCTAssertNotEqual(try commit(repo).status, 0)
    try FileManager.default.removeItem(atPath: repo.root + "/fail")

    let removed = try Fairscan.run(["hook", "uninstall"], cwd: repo.path)
    XCTAssertEqual(removed.status, 0, removed.stderrText)
    XCTAssertEqual(try String(contentsOfFile: hooks + "/pre-commit", encoding: .utf8), original)
    XCTAssertFalse(FileManager.default.fileExists(atPath: hooks + "/pre-commit.pre-fairscan"))
    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: hooks + "/pre-commit"))
    let again = try Fairscan.run(["hook", "uninstall"], cwd: repo.path)
    XCTAssertEqual(again.status, 0, again.stderrText)
    XCTAssertEqual(
      try String(contentsOfFile: hooks + "/pre-commit", encoding: .utf8), original, "not fairscan's: untouched")
  }

  func testForceReplacesAnExistingHook() throws {
    let repo = try GitFixture()
    let hooks = repo.path + "/.git/hooks"
    try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
    try "#!/bin/sh\nexit 0\n".write(toFile: hooks + "/pre-commit", atomically: true, encoding: .utf8)
    _ = try install(repo, ["--force"])
    XCTAssertFalse(FileManager.default.fileExists(atPath: hooks + "/pre-commit.pre-fairscan"))
    XCTAssertTrue(try String(contentsOfFile: hooks + "/pre-commit", encoding: .utf8).contains("staged --hook"))
    let removed = try Fairscan.run(["hook", "uninstall"], cwd: repo.path)
    XCTAssertEqual(removed.status, 0)
    XCTAssertFalse(FileManager.default.fileExists(atPath: hooks + "/pre-commit"))
  }

  func testCoreHooksPathIsWhereTheHookGoes() throws {
    let repo = try GitFixture()
    try repo.write("README", "hello\n")
    try repo.commitAll("first")
    try repo.git("config", "core.hooksPath", ".githooks")
    try FileManager.default.createDirectory(atPath: repo.path + "/sub", withIntermediateDirectories: true)
    let result = try Fairscan.run(["hook", "install"], cwd: repo.path + "/sub")
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: repo.path + "/.githooks/pre-commit"), result.stdoutText)
    XCTAssertFalse(FileManager.default.fileExists(atPath: repo.path + "/.git/hooks/pre-commit"))
    try repo.write("x/.env", secretLine)
    try repo.git("add", "x/.env")
    let blocked = try commit(repo)
    XCTAssertNotEqual(blocked.status, 0)
    XCTAssertTrue(blocked.stderrText.contains("x/.env:1:"), blocked.stderrText)
  }

  func testALinkedWorkTreeIsScannedThroughGitDir() throws {
    let repo = try GitFixture()
    try repo.write("README", "hello\n")
    try repo.commitAll("first")
    _ = try install(repo)
    let tree = repo.root + "/linked"
    try repo.git("worktree", "add", "-q", "-b", "side", tree)
    try repo.write("../linked/app.env", "A=1\n\(secretLine)")
    try repo.git("add", "app.env", in: tree)
    let blocked = try repo.gitResult(["commit", "-q", "-m", "leak"], in: tree)
    XCTAssertNotEqual(blocked.status, 0, blocked.stderrText)
    XCTAssertTrue(blocked.stderrText.contains("app.env:2:"), blocked.stderrText)
    try repo.git("rm", "-q", "--cached", "app.env", in: tree)
    try repo.write("../linked/clean.txt", "clean\n")
    try repo.git("add", "clean.txt", in: tree)
    let clean = try repo.gitResult(["commit", "-q", "-m", "clean"], in: tree)
    XCTAssertEqual(clean.status, 0, clean.stderrText)
  }

  func testInstallOutsideARepositoryIsAUsageError() throws {
    let folder = try TemporaryFolder.make().path
    let result = try Fairscan.run(["hook", "install"], cwd: folder)
    XCTAssertEqual(result.status, 64)
    XCTAssertTrue(result.stderrText.contains("not a git repository"), result.stderrText)
  }

  // MARK: pre-push

  /// A work tree with `origin`, a bare repository beside it, and `main` pushed.
  func repoWithRemote() throws -> GitFixture {
    let repo = try GitFixture()
    try GitFixture.run(["init", "-q", "--bare", repo.root + "/remote.git"], in: repo.root)
    try repo.git("remote", "add", "origin", repo.root + "/remote.git")
    try repo.write("README", "hello\n")
    try repo.commitAll("first")
    try repo.git("push", "-q", "-u", "origin", "main")
    return repo
  }

  func push(_ repo: GitFixture, _ args: String...) throws -> Run.Result {
    try repo.gitResult(["push", "-q", "origin"] + args)
  }

  func remoteTip(_ repo: GitFixture, _ branch: String) throws -> String {
    try GitFixture.run(["rev-parse", "--verify", "-q", branch], in: repo.root + "/remote.git")
  }

  func testPrePushScansTheCommitsOfAnUpdatedBranchOnly() throws {
    let repo = try repoWithRemote()
    _ = try install(repo, ["--pre-push"])
    XCTAssertTrue(FileManager.default.isExecutableFile(atPath: repo.path + "/.git/hooks/pre-push"))
    let pushed = try remoteTip(repo, "main")

    try repo.write("deploy/.env", secretLine)
    try repo.git("add", "-A")
    try repo.git("commit", "-q", "--no-verify", "-m", "add deploy env")
    let secretCommit = try repo.git("rev-parse", "HEAD")
    repo.clock += 60
    try repo.write("notes.txt", "more\n")
    try repo.commitAll("notes")
    let blocked = try push(repo, "main")
    XCTAssertNotEqual(blocked.status, 0, "the push must be refused")
    XCTAssertTrue(blocked.stderrText.contains("push blocked"), blocked.stderrText)
    XCTAssertTrue(blocked.stderrText.contains("deploy/.env:1:"), blocked.stderrText)
    XCTAssertTrue(blocked.stderrText.contains(String(secretCommit.prefix(10))), blocked.stderrText)
    XCTAssertTrue(blocked.stderrText.contains("git push --no-verify"), blocked.stderrText)
    XCTAssertFalse(blocked.stderrText.contains(key))
    XCTAssertEqual(try remoteTip(repo, "main"), pushed, "the remote is unchanged")

    // Once the remote has it, later pushes scan only what is new.
    XCTAssertEqual(try repo.gitResult(["push", "-q", "--no-verify", "origin", "main"]).status, 0)
    try repo.write("notes.txt", "even more\n")
    try repo.commitAll("clean")
    let clean = try push(repo, "main")
    XCTAssertEqual(clean.status, 0, clean.stderrText)
  }

  func testPrePushScansANewBranchAgainstWhatTheRemoteAlreadyHas() throws {
    let repo = try repoWithRemote()
    // A secret already on the remote (pushed before the hook existed) is not the new branch's.
    try repo.write("old/.env", secretLine)
    try repo.commitAll("old secret")
    try repo.git("push", "-q", "origin", "main")
    _ = try install(repo, ["--pre-push"])

    try repo.git("checkout", "-q", "-b", "topic")
    try repo.write("topic.txt", "clean\n")
    try repo.commitAll("topic work")
    let clean = try push(repo, "topic")
    XCTAssertEqual(clean.status, 0, clean.stderrText)

    try repo.git("checkout", "-q", "-b", "leaky", "main")
    try repo.write("src/config.env", "X=1\n\(secretLine)")
    try repo.git("add", "-A")
    try repo.git("commit", "-q", "--no-verify", "-m", "leak")
    repo.clock += 60
    let blocked = try push(repo, "leaky")
    XCTAssertNotEqual(blocked.status, 0)
    XCTAssertTrue(blocked.stderrText.contains("src/config.env:2:"), blocked.stderrText)
    XCTAssertFalse(blocked.stderrText.contains("old/.env"), "already on the remote: \(blocked.stderrText)")
    XCTAssertEqual(try GitFixture.run(["branch", "--list", "leaky"], in: repo.root + "/remote.git"), "")

    // Deleting a branch sends no commits.
    let deletion = try push(repo, "--delete", "topic")
    XCTAssertEqual(deletion.status, 0, deletion.stderrText)
  }

  func testPrePushReadsGitsLinesAndRefusesMalformedOnes() throws {
    let repo = try repoWithRemote()
    let base = try repo.git("rev-parse", "HEAD")
    try repo.write("a/.env", secretLine)
    let leak = try repo.commitAll("leak")
    let zero = String(repeating: "0", count: 40)
    let update = try Fairscan.run(
      ["pre-push", "origin", "-C", repo.path, "--format", "json"],
      input: "refs/heads/main \(leak) refs/heads/main \(base)\n")
    XCTAssertEqual(update.status, 1, update.stderrText)
    let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(update.stdout)) as? [String: Any])
    XCTAssertEqual(report.findings.compactMap { $0["path"] as? String }, ["a/.env"])
    XCTAssertEqual(report.summary["commits_scanned"] as? Int, 1, "only the pushed commit")

    let deletion = try Fairscan.run(
      ["pre-push", "origin", "-C", repo.path], input: "(delete) \(zero) refs/heads/old \(leak)\n")
    XCTAssertEqual(deletion.status, 0, deletion.stderrText)
    let nothing = try Fairscan.run(["pre-push", "origin", "-C", repo.path], input: "")
    XCTAssertEqual(nothing.status, 0, nothing.stderrText)

    let bad = try Fairscan.run(["pre-push", "origin", "-C", repo.path], input: "refs/heads/main nonsense\n")
    XCTAssertEqual(bad.status, 64)
    XCTAssertEqual(bad.stderrText.split(separator: "\n").count, 1, bad.stderrText)
  }

  /// pre-push starts libgit2's set-up on a thread of its own; a usage error exits at once, and
  /// the exit must wait for that set-up rather than crash under it (it did, about 1 run in 10).
  func testAnEarlyExitDoesNotRaceLibgit2sSetUp() throws {
    let repo = try repoWithRemote()
    for _ in 0..<60 {
      let bad = try Fairscan.run(
        ["pre-push", "origin", "-C", repo.path], input: "refs/heads/main nonsense\n", timeout: 30)
      XCTAssertEqual(bad.status, 64, bad.stderrText)
      if bad.status != 64 { break }
    }
  }

  // MARK: pre-commit framework

  func testThePreCommitFrameworkEntryRunsTheStagedScan() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let manifest = try String(contentsOf: root.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
    let entries = manifest.split(separator: "\n").compactMap { line -> String? in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      return trimmed.hasPrefix("entry:")
        ? String(trimmed.dropFirst("entry:".count)).trimmingCharacters(in: .whitespaces) : nil
    }
    XCTAssertFalse(entries.isEmpty)
    let repo = try GitFixture()
    try repo.write(".env", secretLine)
    try repo.git("add", "-A")
    for entry in entries {
      let words = entry.split(separator: " ").map(String.init)
      XCTAssertEqual(words.first, "fairscan", entry)
      let result = try Fairscan.run(Array(words.dropFirst()), cwd: repo.path)
      XCTAssertEqual(result.status, 1, "\(entry): \(result.stderrText)")
      XCTAssertTrue(result.stderrText.contains("commit blocked"), result.stderrText)
    }
    let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    XCTAssertTrue(readme.contains(".pre-commit-config.yaml") && readme.contains("id: fairscan"))
  }
}
