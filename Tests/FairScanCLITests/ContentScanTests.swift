import Foundation
import XCTest
import FairScanTestSupport

/// Working tree, plain folders and stdin: bytes, lines and columns, files that must not be opened.
final class ContentScanTests: XCTestCase {
  var rules = ""
  override func setUpWithError() throws { rules = try TestRules.file() }

  func testBinaryFileWithNULBytesBeforeTheKey() throws {
    let repo = try GitFixture()
    var bytes: [UInt8] = [0x00, 0x01, 0xFF, 0x00, 0x7F, 0x0A, 0x00]
    bytes += Array("x".utf8) + Array(TestRules.token(TestRules.secretA).utf8) + [0x00, 0x00]
    try repo.write("blob.bin", bytes)
    try repo.commitAll("binary")
    let (report, _) = try Fairscan.json(["repo", repo.path, "--only-rules", rules])
    let finding = try XCTUnwrap(report.findings(rule: "test.token").first)
    XCTAssertEqual(finding["path"] as? String, "blob.bin")
    XCTAssertEqual(finding["line"] as? Int, 2)
    XCTAssertEqual(finding["in_worktree"] as? Bool, true)
    XCTAssertEqual(finding["present_at_head"] as? Bool, true)
  }

  func testNonUTF8AndCRLFLinesAndColumns() throws {
    let folder = try TemporaryFolder.make()
    // Latin-1 "é" (one byte, invalid UTF-8), CRLF line endings, the key on line 3.
    var latin: [UInt8] = Array("first\r\n".utf8) + [0x63, 0x61, 0x66, 0xE9, 0x0D, 0x0A]
    latin += Array("\u{00E9}\u{00E9} = ".utf8) + [0xE9] + Array(" \(TestRules.token(TestRules.secretA))\r\n".utf8)
    try Data(latin).write(to: folder.appendingPathComponent("latin1.txt"))
    let (report, _) = try Fairscan.json(["dir", folder.path, "--only-rules", rules])
    let finding = try XCTUnwrap(report.findings(rule: "test.token").first)
    let location = try XCTUnwrap((finding["locations"] as? [[String: Any]])?.first)
    XCTAssertEqual(location["line"] as? Int, 3)
    // "éé = " is 5 characters, then the Latin-1 byte and a space: the token starts at column 8, the secret at 12.
    XCTAssertEqual(location["column"] as? Int, 12)
    XCTAssertEqual(location["byte_offset"] as? Int, latin.count - 2 - 24)
  }

  func testVeryLongLineColumn() throws {
    let folder = try TemporaryFolder.make()
    let text = String(repeating: "x", count: 200_000) + " " + TestRules.token(TestRules.secretA) + "\n"
    try text.write(to: folder.appendingPathComponent("min.js"), atomically: true, encoding: .utf8)
    let (report, _) = try Fairscan.json(["dir", folder.path, "--only-rules", rules])
    let finding = try XCTUnwrap(report.findings(rule: "test.token").first)
    XCTAssertEqual(finding["line"] as? Int, 1)
    XCTAssertEqual(finding["column"] as? Int, 200_006)
  }

  func testSymlinkOutsideTheTreeIsNotFollowed() throws {
    let outside = try TemporaryFolder.make()
    try "k = \(TestRules.token(TestRules.secretA))\n".write(
      to: outside.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
    let folder = try TemporaryFolder.make()
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("link.txt").path,
      withDestinationPath: outside.appendingPathComponent("secret.txt").path)
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("linkdir").path, withDestinationPath: outside.path)
    // A FIFO must never be opened (opening it would hang).
    XCTAssertEqual(mkfifo(folder.appendingPathComponent("pipe").path, 0o600), 0)
    let (report, result) = try Fairscan.json(["dir", folder.path, "--only-rules", rules])
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertTrue(report.findings.isEmpty)
  }

  func testFileOverTheSizeCapIsSkippedAndListed() throws {
    let repo = try GitFixture()
    try repo.write("big.txt", String(repeating: "a", count: 5000) + TestRules.token(TestRules.secretA) + "\n")
    try repo.write("small.txt", "fine\n")
    try repo.commitAll("big")
    let (report, result) = try Fairscan.json(["repo", repo.path, "--only-rules", rules, "--max-file-size", "4KiB"])
    XCTAssertEqual(result.status, 2, "a file left unread makes the scan incomplete: \(result.stderrText)")
    XCTAssertTrue(report.findings.isEmpty)
    let skipped = report.summary["skipped"] as? [[String: Any]] ?? []
    XCTAssertTrue(
      skipped.contains {
        $0["path"] as? String == "big.txt" && $0["reason"] as? String == "too-large" && $0["size"] as? Int == 5029
      }, "\(skipped)")
    XCTAssertTrue(result.stderrText.contains("big.txt"), result.stderrText)
  }

  func testStdinWithName() throws {
    let result = try Fairscan.run(
      ["stdin", "--name", "deploy.sh", "--only-rules", rules, "--format", "json"],
      input: "export T=\(TestRules.token(TestRules.secretA))\n")
    XCTAssertEqual(result.status, 1)
    let report = try JSONSerialization.jsonObject(with: Data(result.stdout)) as! [String: Any]
    XCTAssertEqual(report.findings.first?["path"] as? String, "deploy.sh")
  }

  func testWorktreeOnlyChangesAreFound() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "clean\n")
    try repo.commitAll("init")
    try repo.write("a.txt", "dirty \(TestRules.token(TestRules.secretA))\n")
    try repo.write("new.txt", "new \(TestRules.token(TestRules.secretB))\n")
    try repo.write(".gitignore", "ignored.txt\n")
    try repo.write("ignored.txt", "ign \(TestRules.token(TestRules.secretC))\n")
    let (report, _) = try Fairscan.json(["repo", repo.path, "--only-rules", rules, "--no-history"])
    let paths = Set(report.findings(rule: "test.token").compactMap { $0["path"] as? String })
    XCTAssertEqual(paths, ["a.txt", "new.txt"])
  }

  func testControlBytesInPathsAndMessagesNeverReachTheTerminal() throws {
    let repo = try GitFixture()
    try repo.write("evil\u{1b}[31mname.txt", "k = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("msg \u{1b}]0;pwned\u{07} \u{202E}txt.exe")
    let result = try Fairscan.run(["repo", repo.path, "--only-rules", rules])
    XCTAssertEqual(result.status, 1)
    XCTAssertFalse(result.stdout.contains(0x1B), result.stdoutText)
    XCTAssertFalse(result.stderr.contains(0x1B))
    XCTAssertFalse(result.stdoutText.contains("\u{202E}"))
    XCTAssertFalse(result.stdoutText.contains(TestRules.secretA), "secret printed unredacted")
  }
}

/// On a terminal, stderr shows a progress line; `--quiet` silences it and the summary.
final class TerminalTests: XCTestCase {
  /// Runs fairscan under a pseudo-terminal (util-linux `script`), returning what the terminal showed.
  func underTerminal(_ args: [String], stdoutToo: Bool = false, environment: [String: String] = [:]) throws -> String {
    let command = ([Fairscan.binary] + args).map { "'\($0)'" }.joined(separator: " ") + (stdoutToo ? "" : " >/dev/null")
    var env = environment
    env["FAIRSCAN_CACHE_DIR"] = try TemporaryFolder.make().path
    let result = try Run.process("/usr/bin/script", ["-qec", command, "/dev/null"], environment: env)
    return result.stdoutText
  }

  func testProgressAndSummaryOnATerminal() throws {
    let repo = try GitFixture()
    try repo.write("a.txt", "a\n")
    try repo.commitAll("one")
    let shown = try underTerminal(["repo", repo.path])
    XCTAssertTrue(shown.contains("scanning: "), shown)
    XCTAssertTrue(shown.contains("\u{1b}[K"), "the progress line is redrawn in place")
    XCTAssertTrue(shown.contains("fairscan: scanned"), shown)
    let quiet = try underTerminal(["repo", repo.path, "--quiet"])
    XCTAssertFalse(quiet.contains("scanning: "), quiet)
    XCTAssertFalse(quiet.contains("fairscan: scanned"), quiet)
  }

  func testTextIsColoredOnATerminalUnlessNoColor() throws {
    let folder = try TemporaryFolder.make()
    try "k = \(TestRules.token(TestRules.secretA))\n".write(
      to: folder.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
    let rules = try TestRules.file()
    let colored = try underTerminal(
      ["dir", folder.path, "--only-rules", rules, "--quiet"], stdoutToo: true,
      environment: ["NO_COLOR": ""])
    XCTAssertTrue(colored.contains("\u{1b}[31mHIGH"), colored)  // test.token is high severity
    let plain = try underTerminal(
      ["dir", folder.path, "--only-rules", rules, "--quiet"], stdoutToo: true,
      environment: ["NO_COLOR": "1"])
    XCTAssertTrue(plain.contains("HIGH"), plain)
    XCTAssertFalse(plain.contains("\u{1b}["), plain)
  }
}

/// `--prefilter vectorscan` is opt-in and still finds what PCRE2 finds in ordinary cases.
final class PrefilterOptionTests: XCTestCase {
  func testVectorscanPrefilterIsOptIn() throws {
    let folder = try TemporaryFolder.make()
    try "k = \(TestRules.token(TestRules.secretA))\n".write(
      to: folder.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
    let rules = try TestRules.file()
    for prefilter in ["keywords", "vectorscan"] {
      let (report, result) = try Fairscan.json(["dir", folder.path, "--only-rules", rules, "--prefilter", prefilter])
      XCTAssertEqual(result.status, 1, "\(prefilter): \(result.stderrText)")
      XCTAssertEqual(report.findings.count, 1, prefilter)
    }
    XCTAssertEqual(try Fairscan.run(["dir", folder.path, "--prefilter", "hyperscan"]).status, 64)
  }
}
