import Foundation
import XCTest
import FairScanTestSupport

/// Inline allow, .fairscanignore, baselines, output formats, exit codes and bad input.
final class SuppressionAndExitTests: XCTestCase {
  var rules = ""
  override func setUpWithError() throws { rules = try TestRules.file() }

  func repoWithTwoSecrets() throws -> GitFixture {
    let repo = try GitFixture()
    try repo.write("a.txt", "k = \(TestRules.token(TestRules.secretA))\n")
    try repo.write("b.txt", "k = \(TestRules.token(TestRules.secretB))  # fairscan:allow test fixture\n")
    try repo.commitAll("two")
    return repo
  }

  func testInlineAllow() throws {
    let repo = try repoWithTwoSecrets()  // keep the fixture alive: it removes its folder on deinit
    let (report, _) = try Fairscan.json(["repo", repo.path, "--only-rules", rules])
    XCTAssertEqual(report.findings.compactMap { $0["path"] as? String }, ["a.txt"])
  }

  func testFairscanIgnoreFile() throws {
    let repo = try repoWithTwoSecrets()
    let (before, _) = try Fairscan.json(["repo", repo.path, "--only-rules", rules])
    let fingerprint = try XCTUnwrap(before.findings.first?["fingerprint"] as? String)
    try repo.write(".fairscanignore", "# known test key\n\(fingerprint)\n")
    let (after, result) = try Fairscan.json(["repo", repo.path, "--only-rules", rules])
    XCTAssertEqual(result.status, 0)
    XCTAssertTrue(after.findings.isEmpty)
    XCTAssertEqual(after.summary["suppressed"] as? Int, 1)
  }

  func testBaseline() throws {
    let repo = try repoWithTwoSecrets()
    let baseline = try TemporaryFolder.make().appendingPathComponent("baseline.json").path
    let first = try Fairscan.run(["repo", repo.path, "--only-rules", rules, "--format", "json", "--output", baseline])
    XCTAssertEqual(first.status, 1)
    try repo.write("c.txt", "k = \(TestRules.token(TestRules.secretC))\n")
    try repo.commitAll("third")
    let (report, _) = try Fairscan.json(["repo", repo.path, "--only-rules", rules, "--baseline", baseline])
    XCTAssertEqual(report.findings.compactMap { $0["path"] as? String }, ["c.txt"])
  }

  func testFingerprintSurvivesLineMoves() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "k = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("one")
    let (one, _) = try Fairscan.json(["repo", repo.path, "--only-rules", rules, "--no-history"])
    try repo.write("a.txt", "\n\n\n   moved = \(TestRules.token(TestRules.secretA))\n")
    let (two, _) = try Fairscan.json(["repo", repo.path, "--only-rules", rules, "--no-history"])
    XCTAssertEqual(one.findings.first?["fingerprint"] as? String, two.findings.first?["fingerprint"] as? String)
    XCTAssertNotEqual(one.findings.first?["line"] as? Int, two.findings.first?["line"] as? Int)
  }

  func testSecretsAreRedactedUnlessAsked() throws {
    let repo = try repoWithTwoSecrets()
    for format in ["text", "json", "sarif", "csv"] {
      let result = try Fairscan.run(["repo", repo.path, "--only-rules", rules, "--format", format])
      XCTAssertEqual(result.status, 1, format)
      XCTAssertFalse(result.stdoutText.contains(TestRules.secretA), "\(format) leaks the secret")
      XCTAssertFalse(result.stderrText.contains(TestRules.secretA))
      XCTAssertTrue(
        result.stdoutText.contains("…(24)") || format == "csv" && result.stdoutText.contains("(24)"), format)
    }
    let shown = try Fairscan.run(["repo", repo.path, "--only-rules", rules, "--format", "json", "--show-secrets"])
    XCTAssertTrue(shown.stdoutText.contains(TestRules.secretA))
  }

  func testEachFormatParsesBack() throws {
    let repo = try repoWithTwoSecrets()
    let json = try Fairscan.run(["repo", repo.path, "--only-rules", rules, "--format", "json"])
    XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
    let sarif = try Fairscan.run(["repo", repo.path, "--only-rules", rules, "--format", "sarif"])
    let log = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(sarif.stdout)) as? [String: Any])
    XCTAssertEqual(log["version"] as? String, "2.1.0")
    let results = ((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
    XCTAssertEqual(results.count, 1)
    let csv = try Fairscan.run(["repo", repo.path, "--only-rules", rules, "--format", "csv"])
    let lines = csv.stdoutText.split(whereSeparator: \.isNewline)
    XCTAssertTrue(lines.first?.hasPrefix("rule_id,") ?? false)
    XCTAssertEqual(lines.count, 1 + 2)  // header + the history and worktree locations of a.txt
    let text = try Fairscan.run(["repo", repo.path, "--only-rules", rules])
    XCTAssertTrue(text.stdoutText.contains("a.txt"))
  }

  func testExitCodes() throws {
    let clean = try GitFixture()
    try clean.write("a.txt", "nothing here\n")
    try clean.commitAll("clean")
    XCTAssertEqual(try Fairscan.run(["repo", clean.path, "--only-rules", rules]).status, 0)
    let dirty = try repoWithTwoSecrets()
    XCTAssertEqual(try Fairscan.run(["repo", dirty.path, "--only-rules", rules]).status, 1)
    XCTAssertEqual(try Fairscan.run(["repo", dirty.path, "--only-rules", rules, "--exit-code", "0"]).status, 0)
    XCTAssertEqual(try Fairscan.run(["repo", dirty.path, "--only-rules", rules, "--exit-code", "9"]).status, 9)
    // Findings and incomplete: 1 | 2.
    // The prefilter sees the real match at the end, so PCRE2 runs and backtracks on the run of a's.
    try dirty.write("slow.txt", "slowslow " + String(repeating: "a", count: 4000) + "b\naa")
    try dirty.commitAll("slow")
    XCTAssertEqual(try Fairscan.run(["repo", dirty.path, "--only-rules", rules]).status, 3)
    // A PCRE2 limit hit only in paths the configuration leaves out does not make the scan incomplete.
    let excluded = try GitFixture()
    try excluded.write(".fairscan.yml", "exclude_paths: [\"vendor/**\"]\n")
    try excluded.write("vendor/slow.txt", "slowslow " + String(repeating: "a", count: 4000) + "b\naa")
    try excluded.commitAll("vendored")
    XCTAssertEqual(try Fairscan.run(["repo", excluded.path, "--only-rules", rules]).status, 0)
    try excluded.write(".fairscan.yml", "exclude_paths: []\n")
    try excluded.commitAll("no exclusions")
    XCTAssertEqual(try Fairscan.run(["repo", excluded.path, "--only-rules", rules]).status, 2)
    // Usage.
    let usage = try Fairscan.run(["repo", clean.path, "--no-such-flag"])
    XCTAssertEqual(usage.status, 64)
    XCTAssertTrue(usage.stderrText.hasPrefix("fairscan: error:"), usage.stderrText)
    XCTAssertEqual(try Fairscan.run(["repo", "/nonexistent/path"]).status, 64)
  }

  func testPathologicalPatternIsARuleErrorNotAHang() throws {
    let folder = try TemporaryFolder.make()
    try ("slowslow " + String(repeating: "a", count: 20_000) + "b\naa").write(
      to: folder.appendingPathComponent("bad.txt"), atomically: true, encoding: .utf8)
    let started = Date()
    let (report, result) = try Fairscan.json(["dir", folder.path, "--only-rules", rules])
    XCTAssertLessThan(Date().timeIntervalSince(started), 60, "limits must stop the pattern")
    XCTAssertEqual(result.status, 2, result.stderrText)
    let errors = report.summary["rule_errors"] as? [[String: Any]] ?? []
    XCTAssertEqual(errors.first?["rule_id"] as? String, "test.slow")
    XCTAssertEqual(errors.first?["path"] as? String, "bad.txt")
  }

  func testBadRuleFileStopsBeforeScanning() throws {
    let dir = try TemporaryFolder.make()
    let bad = dir.appendingPathComponent("bad.yml")
    try """
    rules:
      - id: bad.rule
        name: Bad
        description: x
        severity: high
        pattern: 'abc(def'
        keywords: [abc]
        examples: ['⟦abc⟧']
        negative_examples: ['x']
    """.write(to: bad, atomically: true, encoding: .utf8)
    let result = try Fairscan.run(["dir", dir.path, "--only-rules", bad.path])
    XCTAssertEqual(result.status, 64)
    let lines = result.stderrText.split(separator: "\n")
    XCTAssertEqual(lines.count, 1, result.stderrText)
    XCTAssertTrue(result.stderrText.contains("bad.rule"), result.stderrText)
    XCTAssertTrue(result.stderrText.contains("bad.yml"), result.stderrText)
    XCTAssertTrue(result.stderrText.contains("at byte 7"), result.stderrText)
    XCTAssertTrue(result.stdout.isEmpty)
  }

  func testBadConfigIsAUsageError() throws {
    let repo = try GitFixture()
    try repo.write(".fairscan.yml", "exclude_paths: [a\nmax_file_size: 1MiB\n")
    try repo.commitAll("config")
    let result = try Fairscan.run(["repo", repo.path, "--only-rules", rules])
    XCTAssertEqual(result.status, 64)
    XCTAssertTrue(result.stderrText.contains(".fairscan.yml"), result.stderrText)
    XCTAssertEqual(result.stderrText.split(separator: "\n").count, 1, result.stderrText)
  }

  func testConfigExcludesPathsAndDisablesRules() throws {
    let repo = try repoWithTwoSecrets()
    try repo.write("vendor/lib.txt", "k = \(TestRules.token(TestRules.secretC))\n")
    try repo.write(".fairscan.yml", "exclude_paths: [\"vendor/**\"]\n")
    try repo.commitAll("vendor")
    let (report, _) = try Fairscan.json(["repo", repo.path, "--only-rules", rules])
    XCTAssertEqual(report.findings.compactMap { $0["path"] as? String }, ["a.txt"])
    try repo.write(".fairscan.yml", "disable_rules: [test.token]\n")
    let (none, _) = try Fairscan.json(["repo", repo.path, "--only-rules", rules])
    XCTAssertTrue(none.findings.isEmpty)
  }

  func testOutputFileIsWrittenWhole() throws {
    let repo = try repoWithTwoSecrets()
    let out = try TemporaryFolder.make().appendingPathComponent("r.json").path
    let result = try Fairscan.run(["repo", repo.path, "--only-rules", rules, "--format", "json", "--output", out])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stdout.isEmpty)
    let data = try Data(contentsOf: URL(fileURLWithPath: out))
    XCTAssertNotNil(try JSONSerialization.jsonObject(with: data))
  }

  func testBuiltinRulesWorkFromAnyFolder() throws {
    let list = try Fairscan.run(["rules", "list"], cwd: "/")
    XCTAssertEqual(list.status, 0)
    XCTAssertTrue(list.stdoutText.contains("fair."), list.stdoutText)
    let check = try Fairscan.run(["rules", "check"], cwd: "/")
    XCTAssertEqual(check.status, 0, check.stderrText)
  }
}

/// `--output` to something that is not a regular file writes through it and never replaces it.
final class OutputTargetTests: XCTestCase {
  func testOutputToDevNullKeepsTheDevice() throws {
    let rules = try TestRules.file()
    let folder = try TemporaryFolder.make()
    try "k = \(TestRules.token(TestRules.secretA))\n".write(
      to: folder.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
    let result = try Fairscan.run([
      "dir", folder.path, "--only-rules", rules, "--format", "json", "--output", "/dev/null",
    ])
    XCTAssertEqual(result.status, 1, result.stderrText)
    var info = stat()
    XCTAssertEqual(lstat("/dev/null", &info), 0)
    XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "/dev/null was replaced by a regular file")
  }

  /// A report file is replaced whole, keeps the permissions its owner gave it, and leaves no
  /// other file in its folder.
  func testAReportFileIsReplacedKeepingItsPermissions() throws {
    let rules = try TestRules.file()
    let folder = try TemporaryFolder.make()
    try "k = \(TestRules.token(TestRules.secretA))\n".write(
      to: folder.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
    let reports = try TemporaryFolder.make()
    let report = reports.appendingPathComponent("report.json").path
    XCTAssertTrue(FileManager.default.createFile(atPath: report, contents: Data("stale".utf8)))
    XCTAssertEqual(chmod(report, 0o600), 0)
    let result = try Fairscan.run([
      "dir", folder.path, "--only-rules", rules, "--format", "json", "--output", report,
    ])
    XCTAssertEqual(result.status, 1, result.stderrText)
    let written = try XCTUnwrap(FileManager.default.contents(atPath: report))
    XCTAssertNotNil(try JSONSerialization.jsonObject(with: written) as? [String: Any], "the whole report")
    var info = stat()
    XCTAssertEqual(lstat(report, &info), 0)
    XCTAssertEqual(info.st_mode & 0o7777, 0o600, "the report keeps its permissions")
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: reports.path), ["report.json"])
  }
}

/// What the real binary writes validates against the schemas users are promised.
final class ReportSchemaTests: XCTestCase {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("ReportTests/Fixtures")

  func testRealSARIFAndJSONOutputValidate() throws {
    let rules = try TestRules.file()
    let repo = try GitFixture()
    try repo.write("dir with space/ä.txt", "k = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("msg \(TestRules.token(TestRules.secretB))")
    try repo.write("big.txt", String(repeating: "x", count: 3000))
    let sarif = try Fairscan.run([
      "repo", repo.path, "--only-rules", rules, "--format", "sarif", "--max-file-size", "2KiB",
    ])
    XCTAssertEqual(sarif.status, 3, sarif.stderrText)  // findings, and big.txt left unread
    try assertValidates(sarif.stdout, schema: Self.fixtures.appendingPathComponent("sarif-schema-2.1.0.json"))
    let json = try Fairscan.run([
      "repo", repo.path, "--only-rules", rules, "--format", "json", "--max-file-size", "2KiB",
    ])
    try assertValidates(json.stdout, schema: Self.fixtures.appendingPathComponent("report.schema.json"))
  }
}
