import FairEmulator
import Foundation
import XCTest
import FairScanTestSupport

/// `fairscan staged`: exactly what the next commit records, read from the index named by
/// GIT_INDEX_FILE or the repository's, never from the work tree, and nothing written.
final class StagedTests: XCTestCase {
  var rules = ""
  override func setUpWithError() throws { rules = try TestRules.file() }

  let secretLine = "k = \(TestRules.token(TestRules.secretA))\n"

  func staged(_ repo: GitFixture, _ extra: [String] = [], environment: [String: String] = [:]) throws
    -> (report: [String: Any], result: Run.Result)
  {
    let result = try Fairscan.run(
      ["staged", repo.path, "--only-rules", rules, "--format", "json"] + extra, environment: environment)
    let report = try XCTUnwrap(
      try? JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any],
      "exit \(result.status): \(result.stdoutText.prefix(300)) / \(result.stderrText)")
    return (report, result)
  }

  func testASecretOnlyInTheStagedCopyIsReportedAtItsStagedLine() throws {
    let repo = try GitFixture()
    try repo.write("app.conf", "a = 1\n")
    try repo.commitAll("clean")
    try repo.write("app.conf", "a = 1\nb = 2\n\(secretLine)")
    try repo.git("add", "app.conf")
    // The work tree then loses the secret and gains lines above it: the staged copy is what counts.
    try repo.write("app.conf", "x\ny\nz\nw\na = 1\n")
    let (report, result) = try staged(repo)
    XCTAssertEqual(result.status, 1, result.stderrText)
    let finding = try XCTUnwrap(report.findings.first)
    XCTAssertEqual(report.findings.count, 1)
    XCTAssertEqual(finding["path"] as? String, "app.conf")
    XCTAssertEqual(finding["line"] as? Int, 3)
    let location = try XCTUnwrap((finding["locations"] as? [[String: Any]])?.first)
    XCTAssertEqual(location["source"] as? String, "index")
    XCTAssertEqual(location["blob"] as? String, try repo.git("rev-parse", ":app.conf"))
    XCTAssertFalse(result.stdoutText.contains(TestRules.secretA), "the secret is redacted")
  }

  func testASecretOnlyInTheUnstagedWorkTreeIsNotReported() throws {
    let repo = try GitFixture()
    try repo.write("app.conf", "a = 1\n")
    try repo.commitAll("clean")
    try repo.write("app.conf", "a = 2\n")
    try repo.git("add", "app.conf")
    try repo.write("app.conf", "a = 2\n\(secretLine)")  // not staged
    try repo.write("new.conf", secretLine)  // untracked
    let (report, result) = try staged(repo)
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertTrue(report.findings.isEmpty)
    XCTAssertEqual(report.summary["blobs_scanned"] as? Int, 1, "the staged app.conf was scanned")
  }

  func testTheIndexNamedByGitIndexFileIsTheOneScanned() throws {
    let repo = try GitFixture()
    try repo.write("app.conf", "a = 1\n")
    try repo.commitAll("clean")
    // As `git commit -a` does: a second index with the work tree's changes, the repository's untouched.
    try repo.write("app.conf", "a = 1\n\(secretLine)")
    let other = repo.root + "/commit-index"
    try FileManager.default.copyItem(atPath: repo.path + "/.git/index", toPath: other)
    let add = try repo.gitResult(["add", "app.conf"], environment: ["GIT_INDEX_FILE": other])
    XCTAssertEqual(add.status, 0, add.stderrText)

    let (withOther, result) = try staged(repo, environment: ["GIT_INDEX_FILE": other])
    XCTAssertEqual(result.status, 1, result.stderrText)
    XCTAssertEqual(withOther.findings.first?["line"] as? Int, 2)
    let (withOwn, own) = try staged(repo)
    XCTAssertEqual(own.status, 0, own.stderrText)
    XCTAssertTrue(withOwn.findings.isEmpty)

    // A relative GIT_INDEX_FILE is taken from the current folder, as git does for hooks.
    let fromRepo = try Fairscan.run(
      ["staged", "--only-rules", rules, "--quiet"], cwd: repo.path, environment: ["GIT_INDEX_FILE": "../commit-index"])
    XCTAssertEqual(fromRepo.status, 1, fromRepo.stderrText)

    let missing = try Fairscan.run(
      ["staged", repo.path, "--only-rules", rules], environment: ["GIT_INDEX_FILE": repo.root + "/nope"])
    XCTAssertEqual(missing.status, 64)
    XCTAssertTrue(missing.stderrText.contains("no index file at"), missing.stderrText)
  }

  func testTheFirstCommitOnAnUnbornBranch() throws {
    let repo = try GitFixture()
    try repo.write("README", "hello\n")
    try repo.write("config/app.env", "\n\(secretLine)")
    try repo.git("add", "-A")
    let (report, result) = try staged(repo)
    XCTAssertEqual(result.status, 1, result.stderrText)
    XCTAssertEqual(report.findings.first?["path"] as? String, "config/app.env")
    XCTAssertEqual(report.findings.first?["line"] as? Int, 2)
    XCTAssertEqual(report.summary["blobs_scanned"] as? Int, 2)

    let empty = try GitFixture()
    let (nothing, clean) = try staged(empty)
    XCTAssertEqual(clean.status, 0, clean.stderrText)
    XCTAssertTrue(nothing.findings.isEmpty)
  }

  func testARenamedFileIsScannedAtItsNewPath() throws {
    let repo = try GitFixture()
    try repo.write("old.conf", secretLine)
    try repo.write("other.conf", "a = 1\n")
    try repo.commitAll("with a secret")
    try repo.git("mv", "old.conf", "new.conf")
    let (report, result) = try staged(repo)
    // The commit records the secret under a new name, but HEAD already holds it: a known
    // secret moved, said on stderr, not a new finding (KnownSecretHookTests).
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertTrue(report.findings.isEmpty)
    XCTAssertTrue(result.stderrText.contains("known secret moved from old.conf to new.conf"), result.stderrText)
    XCTAssertEqual(report.summary["blobs_scanned"] as? Int, 1, "other.conf is unchanged and not read")
    // A new secret under the new name is the commit's own.
    try repo.write("new.conf", secretLine + "b = \(TestRules.token(TestRules.secretB))\n")
    try repo.git("add", "new.conf")
    let (edited, blocked) = try staged(repo)
    XCTAssertEqual(blocked.status, 1, blocked.stderrText)
    XCTAssertEqual(edited.findings.compactMap { $0["path"] as? String }, ["new.conf"])
    XCTAssertEqual(edited.findings.first?["line"] as? Int, 2)
  }

  func testADeletionHasNothingToScan() throws {
    let repo = try GitFixture()
    try repo.write("secret.conf", secretLine)
    try repo.write("keep.conf", "a = 1\n")
    try repo.commitAll("with a secret")
    try repo.git("rm", "-q", "secret.conf")
    let (report, result) = try staged(repo)
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertTrue(report.findings.isEmpty)
    XCTAssertEqual(report.summary["blobs_scanned"] as? Int, 0)
  }

  func testABinaryFileIsScannedAsBytes() throws {
    let repo = try GitFixture()
    try repo.write("README", "x\n")
    try repo.commitAll("clean")
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0xFF, 0xFE]
    try repo.write("image.png", png + Array(" \(TestRules.token(TestRules.secretB)) ".utf8) + [0, 1, 2, 0xFF])
    try repo.write("clean.bin", png + [0, 0, 0xFF, 0xFE, 7])
    try repo.git("add", "-A")
    let (report, result) = try staged(repo)
    XCTAssertEqual(result.status, 1, result.stderrText)
    XCTAssertEqual(report.findings.compactMap { $0["path"] as? String }, ["image.png"])
    XCTAssertEqual(report.summary["blobs_scanned"] as? Int, 2)
    XCTAssertFalse(result.stdoutText.contains(TestRules.secretB))
  }

  func testAConflictScansTheStagesThatWouldBeCommittedAndSaysSo() throws {
    let repo = try GitFixture()
    // The feature branch adds a secret; main changes the same line.
    let merge = try repo.mergeConflict(
      at: "app.conf", base: "a = 1\n", ours: "a = 3\n", theirs: "a = 2\n\(secretLine)", branch: "feature")
    XCTAssertNotEqual(merge.status, 0, "the merge must conflict")
    XCTAssertTrue(try repo.git("ls-files", "-u").contains("app.conf"))

    let (report, result) = try staged(repo)
    XCTAssertEqual(result.status, 1, result.stderrText)
    let finding = try XCTUnwrap(report.findings.first)
    XCTAssertEqual(finding["path"] as? String, "app.conf")
    XCTAssertEqual(finding["line"] as? Int, 2, "the line in the incoming (theirs) version")
    XCTAssertTrue(result.stderrText.contains("1 conflicted path (app.conf)"), result.stderrText)
    XCTAssertTrue(result.stderrText.contains("\"theirs\""), result.stderrText)
  }

  func testTheRepositoryIsByteIdenticalAfterAScan() throws {
    let repo = try GitFixture()
    try repo.write("a.conf", "a = 1\n")
    try repo.commitAll("clean")
    try repo.write("a.conf", "a = 1\n\(secretLine)")
    try repo.write("b.conf", secretLine)
    try repo.git("add", "-A")
    try repo.write("a.conf", "unstaged edit\n")
    let before = try RepositorySnapshot.take(repo.path)
    let (_, result) = try staged(repo)
    XCTAssertEqual(result.status, 1)
    let after = try RepositorySnapshot.take(repo.path)
    XCTAssertEqual(before.difference(from: after), [])
  }

  func testTheRepositoryIsByteIdenticalAfterAKillMidScan() throws {
    let repo = try GitFixture()
    try repo.write("a.conf", "a = 1\n")
    try repo.commitAll("clean")
    // A big staged blob full of secrets keeps the scan busy long after the index is read.
    let line = Array("k = \(TestRules.token(TestRules.secretA)) and \(TestRules.token(TestRules.secretB))\n".utf8)
    var big: [UInt8] = []
    big.reserveCapacity(line.count * 600_000)
    for _ in 0..<600_000 { big += line }
    try repo.write("big.conf", big)
    try repo.git("add", "-A")
    let before = try RepositorySnapshot.take(repo.path)
    for signal in [SIGINT, SIGTERM, SIGKILL] {
      let outcome = try RunUntil.line(
        containing: "trace: read the index", Fairscan.binary,
        ["staged", repo.path, "--only-rules", rules, "--format", "json"],
        environment: ["FAIRSCAN_TRACE": "1", "FAIRSCAN_CACHE_DIR": repo.root + "/cache"], signal: signal)
      XCTAssertTrue(outcome.sawLine, "signal \(signal): \(outcome.stderr)")
      XCTAssertTrue(outcome.killed, "signal \(signal): the scan had finished before the signal: \(outcome.stderr)")
      let after = try RepositorySnapshot.take(repo.path)
      XCTAssertEqual(before.difference(from: after), [], "signal \(signal)")
    }
  }

  func testBadInputIsOneLineAndExit64() throws {
    let bare = try GitFixture(bare: true)
    let result = try Fairscan.run(["staged", bare.path, "--only-rules", rules])
    XCTAssertEqual(result.status, 64)
    XCTAssertTrue(result.stderrText.contains("bare repository has no index"), result.stderrText)
    XCTAssertEqual(result.stderrText.split(separator: "\n").count, 1, result.stderrText)

    let folder = try TemporaryFolder.make().path
    let none = try Fairscan.run(["staged", folder, "--only-rules", rules])
    XCTAssertEqual(none.status, 64)
    XCTAssertTrue(none.stderrText.contains("not a git repository"), none.stderrText)
  }

  /// The index is read while the rules load: a rule file that does not load is still the one
  /// error reported, as when the two ran one after the other.
  func testARulesErrorComesBeforeARepositoryError() throws {
    let folder = try TemporaryFolder.make().path
    let badRules = folder + "/bad.yml"
    try "rules: [\n".write(toFile: badRules, atomically: true, encoding: .utf8)
    let result = try Fairscan.run(["staged", folder, "--only-rules", badRules])
    XCTAssertEqual(result.status, 64, result.stderrText)
    XCTAssertTrue(result.stderrText.contains("bad.yml"), result.stderrText)
    XCTAssertFalse(result.stderrText.contains("not a git repository"), result.stderrText)
    XCTAssertEqual(result.stderrText.split(separator: "\n").count, 1, result.stderrText)

    let repo = try GitFixture()
    try repo.write("app.conf", secretLine)
    try repo.git("add", "app.conf")
    let both = try Fairscan.run(["staged", repo.path, "--only-rules", badRules])
    XCTAssertEqual(both.status, 64, both.stderrText)
    XCTAssertTrue(both.stderrText.contains("bad.yml"), both.stderrText)
  }

  func testAnIndexLibgit2CannotReadIsAClearRefusal() throws {
    let repo = try GitFixture()
    try repo.write("a.conf", "a = 1\n")
    try repo.git("add", "-A")
    try repo.git("update-index", "--split-index")
    let result = try Fairscan.run(["staged", repo.path, "--only-rules", rules, "--hook"])
    XCTAssertEqual(result.status, 2, result.stderrText)
    XCTAssertTrue(result.stderrText.contains("split index"), result.stderrText)
    XCTAssertTrue(result.stderrText.contains("git commit --no-verify"), result.stderrText)
  }

  func testOfflineUnlessTheConfigAsksForVerification() async throws {
    let emulator = try await FairEmulator.start(
      FairEmulatorConfiguration(
        port: 0, users: [SeedUser(username: "alice", password: "Tq8#vL2m-Xw9", keys: [])]))
    defer { Task { await emulator.stop() } }
    let environment = [
      "FAIR_BASE_URL": emulator.baseURL, "FAIR_USERNAME": "alice", "FAIR_PASSWORD": "Tq8#vL2m-Xw9",
      "FAIR_CREDENTIALS_FILE": "/nonexistent", "FAIR_API_KEY": "",
    ]
    let repo = try GitFixture()
    try repo.write("app.conf", secretLine)
    try repo.git("add", "-A")
    let (_, offline) = try staged(repo, environment: environment)
    XCTAssertEqual(offline.status, 1, offline.stderrText)
    XCTAssertEqual(emulator.requestLog().count, 0, "no API call without the config asking")

    try repo.write(".fairscan.yml", "verify: true\n")
    let (_, online) = try staged(repo, environment: environment)
    XCTAssertEqual(online.status, 1, online.stderrText)
    XCTAssertEqual(emulator.requestLog().map(\.method), ["POST", "GET"], "login, then the key inventory")
  }
}

/// Runs a process until a line on its stderr contains a text, then sends it a signal.
enum RunUntil {
  struct Outcome {
    var sawLine: Bool
    var killed: Bool
    var stderr: String
  }

  static func line(
    containing text: String, _ executable: String, _ args: [String], environment: [String: String], signal: Int32
  ) throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = args
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    var collected = Data()
    var saw = false
    while true {
      let chunk = err.fileHandleForReading.availableData
      if chunk.isEmpty { break }  // end of file: the process closed stderr (it ended)
      collected += chunk
      if String(decoding: collected, as: UTF8.self).contains(text) {
        saw = true
        kill(process.processIdentifier, signal)
        break
      }
    }
    process.waitUntilExit()
    return Outcome(
      sawLine: saw, killed: process.terminationReason == .uncaughtSignal,
      stderr: String(decoding: collected, as: UTF8.self))
  }
}
