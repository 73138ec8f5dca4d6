import Foundation
import XCTest
import FairScanTestSupport
@testable import FairScanCLI

/// The commands run in this process, as the `fairscan` executable runs them
/// (`FairScanCommand.execute`), with their output captured: they end by returning a code,
/// never by ending the process, and have written everything by then.
final class InProcessCommandTests: XCTestCase {
  var rules = ""
  override func setUpWithError() throws { rules = try TestRules.file() }

  /// Runs a command line in process; returns its exit code, stdout and stderr.
  func execute(_ arguments: [String]) -> (code: Int32, stdout: String, stderr: String) {
    let capture = OutputCapture()
    let code = Terminal.$capture.withValue(capture) { FairScanCommand.execute(arguments) }
    return (code, capture.text(1), capture.text(2))
  }

  func json(_ text: String) throws -> [String: Any] {
    try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
  }

  var secretLine: String { "k = \(TestRules.token(TestRules.secretA))\n" }

  func testDirWithAndWithoutFindings() throws {
    let folder = try TemporaryFolder.make().path
    try secretLine.write(toFile: folder + "/app.conf", atomically: true, encoding: .utf8)
    let found = execute(["dir", folder, "--only-rules", rules, "--no-verify", "--format", "json"])
    XCTAssertEqual(found.code, 1, found.stderr)
    XCTAssertEqual(try json(found.stdout).findings.count, 1)
    XCTAssertTrue(found.stderr.contains("1 finding"), found.stderr)

    try "clean\n".write(toFile: folder + "/app.conf", atomically: true, encoding: .utf8)
    let clean = execute(["dir", folder, "--only-rules", rules, "--no-verify", "--format", "json"])
    XCTAssertEqual(clean.code, 0, clean.stderr)
    XCTAssertEqual(try json(clean.stdout).findings.count, 0)
  }

  func testRepoAndStaged() throws {
    let repo = try GitFixture()
    try repo.write("app.conf", secretLine)
    try repo.commitAll("secret")
    let scanned = execute(["repo", repo.path, "--only-rules", rules, "--no-verify", "--no-cache", "--format", "json"])
    XCTAssertEqual(scanned.code, 1, scanned.stderr)
    XCTAssertEqual(try json(scanned.stdout).findings.first?["path"] as? String, "app.conf")

    try repo.write("new.conf", "x = \(TestRules.token(TestRules.secretB))\n")
    try repo.git("add", "new.conf")
    let staged = execute(["staged", repo.path, "--only-rules", rules, "--format", "json"])
    XCTAssertEqual(staged.code, 1, staged.stderr)
    XCTAssertEqual(try json(staged.stdout).findings.map { $0["path"] as? String }, ["new.conf"])

    // The hook's way out is the same: a code, the message on stderr, nothing on stdout.
    let hook = execute(["staged", repo.path, "--hook", "--only-rules", rules])
    XCTAssertEqual(hook.code, 1)
    XCTAssertTrue(hook.stderr.contains("commit blocked"), hook.stderr)
    XCTAssertEqual(hook.stdout, "")

    // A folder that is not a repository: the hook's error path returns the code too.
    let outside = try TemporaryFolder.make().path
    let failed = execute(["staged", outside, "--hook", "--only-rules", rules])
    XCTAssertEqual(failed.code, 64, failed.stderr)
    XCTAssertTrue(failed.stderr.contains("commit blocked"), failed.stderr)
  }

  func testRulesListCheckAndVersion() throws {
    let list = execute(["rules", "list", "--only-rules", rules])
    XCTAssertEqual(list.code, 0, list.stderr)
    XCTAssertTrue(list.stdout.contains("test.token"), list.stdout)

    let folder = try TemporaryFolder.make()
    let rule = """
      rules:
        - id: bad.rule
          name: Bad
          description: Its example does not match.
          severity: low
          pattern: 'bad_(?<secret>[A-Za-z0-9]{16})\\b'
          keywords: [bad_]
          examples: ['x = "bad_⟦EXAMPLE⟧"']
      """
    let good = folder.appendingPathComponent("good.yml")
    try rule.replacingOccurrences(of: "EXAMPLE", with: "Zq4Lm8Xw2Rt6Yp9K").write(
      to: good, atomically: true, encoding: .utf8)
    let passed = execute(["rules", "check", good.path])
    XCTAssertEqual(passed.code, 0, passed.stdout + passed.stderr)
    XCTAssertTrue(passed.stdout.contains("1 rules ok"), passed.stdout)
    let bad = folder.appendingPathComponent("bad.yml")
    try rule.replacingOccurrences(of: "EXAMPLE", with: "short").write(to: bad, atomically: true, encoding: .utf8)
    let checked = execute(["rules", "check", bad.path])
    XCTAssertEqual(checked.code, 1, checked.stdout + checked.stderr)
    XCTAssertTrue(checked.stdout.contains("problem(s)"), checked.stdout)

    let version = execute(["--version"])
    XCTAssertEqual(version.code, 0)
    // The version first (what scripts read), then the rules digest and libraries (VersionTests).
    XCTAssertEqual(version.stdout.split(separator: "\n").first, "0.1.0")
  }

  func testUsageErrorsAre64() throws {
    let unknown = execute(["dir", "--no-such-flag"])
    XCTAssertEqual(unknown.code, 64)
    XCTAssertTrue(unknown.stderr.hasPrefix("fairscan: error: "), unknown.stderr)
    // A validation error thrown by the command's validate() (argument-parser's own code is 64 too).
    let contradiction = execute(["dir", ".", "--verify", "--no-verify"])
    XCTAssertEqual(contradiction.code, 64)
    XCTAssertTrue(contradiction.stderr.contains("contradict"), contradiction.stderr)
    let missing = execute(["dir", "/nonexistent/\(UUID().uuidString)", "--only-rules", rules, "--no-verify"])
    XCTAssertEqual(missing.code, 64, missing.stderr)
  }
}
