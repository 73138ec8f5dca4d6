#if canImport(Glibc)
  import Glibc
#endif
import Foundation
import XCTest
import FairScanTestSupport

/// A path that is not valid UTF-8 (`\xff\xfe.txt`, which Linux allows) keeps its exact bytes
/// from every source to every report: JSON `path_bytes` (base64), git-quoted text, CSV and
/// JUnit, percent-encoded SARIF URIs, and fingerprints over the bytes.
final class NonUTF8PathTests: XCTestCase {
  var rules = ""
  override func setUpWithError() throws { rules = try TestRules.file() }

  let rawName: [UInt8] = [0xFF, 0xFE] + Array(".txt".utf8)
  let otherName: [UInt8] = [0xFE, 0xFF] + Array(".txt".utf8)
  var secretLine: String { "k = \(TestRules.token(TestRules.secretA))\n" }

  /// Creates `folder/name` (raw bytes) holding `text`.
  func create(_ folder: String, _ name: [UInt8], _ text: String) throws {
    let path = Array(folder.utf8) + [UInt8(ascii: "/")] + name
    let fd = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
      open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    }
    guard fd >= 0 else { throw FixtureError("cannot create the file: errno \(errno)") }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    XCTAssertEqual(bytes.withUnsafeBytes { write(fd, $0.baseAddress!, bytes.count) }, bytes.count)
  }

  /// Reads `folder/<bytes>`: the path a report names must open the file.
  func contents(_ folder: String, _ name: [UInt8]) -> String? {
    let path = Array(folder.utf8) + [UInt8(ascii: "/")] + name
    let fd = (path.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY) }
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 4096) }
    return n < 0 ? nil : String(decoding: buffer.prefix(n), as: UTF8.self)
  }

  func run(_ args: [String]) throws -> Run.Result { try Fairscan.run(args + ["--only-rules", rules, "--no-verify"]) }

  /// Checks a JSON finding (and each location) names the file by `path_bytes` and opens it.
  func checkJSONFinding(
    _ finding: [String: Any], folder: String, name: [UInt8]? = nil, secret: String = TestRules.secretA,
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let rawName = name ?? self.rawName
    XCTAssertEqual(finding["path"] as? String, "\u{FFFD}\u{FFFD}.txt", "path is for display", file: file, line: line)
    let encoded = try XCTUnwrap(finding["path_bytes"] as? String, "path_bytes is set", file: file, line: line)
    let bytes = try XCTUnwrap(Data(base64Encoded: encoded), file: file, line: line)
    XCTAssertEqual(Array(bytes), rawName, file: file, line: line)
    XCTAssertTrue(
      contents(folder, Array(bytes))?.contains(TestRules.token(secret)) == true,
      "path_bytes opens the file", file: file, line: line)
    for location in finding["locations"] as? [[String: Any]] ?? [] {
      XCTAssertEqual(location["path_bytes"] as? String, encoded, "\(location)", file: file, line: line)
    }
  }

  func testDirReportsNameTheExactBytesInEveryFormat() throws {
    let folder = try TemporaryFolder.make().path
    try create(folder, rawName, secretLine)
    try create(folder, otherName, secretLine)
    try "plain = 1\n".write(toFile: folder + "/plain.txt", atomically: true, encoding: .utf8)

    let json = try run(["dir", folder, "--format", "json"])
    XCTAssertEqual(json.status, 1, json.stderrText)
    let report = try json.jsonObject()
    XCTAssertEqual(
      report.findings.count, 2, "two files whose names differ only in bytes that are not UTF-8: \(json.stdoutText)")
    let mine = try XCTUnwrap(
      report.findings.first { ($0["path_bytes"] as? String) == Data(rawName).base64EncodedString() })
    try checkJSONFinding(mine, folder: folder)
    XCTAssertEqual(
      Set(report.findings.compactMap { $0["fingerprint"] as? String }).count, 2, "fingerprints over the exact bytes")
    XCTAssertFalse(json.stdoutText.contains("\"path_bytes\" : null"), "path_bytes only when needed")

    let text = try run(["dir", folder, "--format", "text"])
    XCTAssertTrue(text.stdoutText.contains(#""\377\376.txt":1:"#), text.stdoutText)
    let sarif = try run(["dir", folder, "--format", "sarif"])
    XCTAssertTrue(sarif.stdoutText.contains("\"uri\" : \"%FF%FE.txt\""), sarif.stdoutText)
    let csv = try run(["dir", folder, "--format", "csv"])
    XCTAssertTrue(csv.stdoutText.contains(#"\377\376.txt"#), csv.stdoutText)
    let junit = try run(["dir", folder, "--format", "junit"])
    XCTAssertTrue(junit.stdoutText.contains(#"\377\376.txt"#), junit.stdoutText)

    // A baseline of the report suppresses both findings again: the fingerprints are stable.
    let baseline = folder + "/../baseline-\(UUID().uuidString).json"
    try Data(json.stdout).write(to: URL(fileURLWithPath: baseline))
    let again = try run(["dir", folder, "--format", "json", "--baseline", baseline])
    XCTAssertEqual(again.status, 0, again.stderrText)
  }

  func testRepositoryWorkTreeHistoryAndStagedNameTheExactBytes() throws {
    let repo = try GitFixture()
    try create(repo.path, rawName, secretLine)
    try repo.commitAll("a file whose name is not UTF-8")

    // History (a tree path is raw bytes) and the unmodified work tree.
    let history = try run(["repo", repo.path, "--no-cache", "--format", "json"])
    XCTAssertEqual(history.status, 1, history.stderrText)
    let finding = try XCTUnwrap(try history.jsonObject().findings.first)
    try checkJSONFinding(finding, folder: repo.path)
    let sources = Set((finding["locations"] as? [[String: Any]] ?? []).compactMap { $0["source"] as? String })
    XCTAssertEqual(sources, ["blob", "worktree"], "\(finding)")

    // A modified work-tree file is read from disk by its bytes.
    try create(repo.path, rawName, "changed = 1\n" + secretLine)
    let worktree = try run(["repo", repo.path, "--no-history", "--format", "json"])
    XCTAssertEqual(worktree.status, 1, worktree.stderrText)
    let modified = try XCTUnwrap(try worktree.jsonObject().findings.first, worktree.stdoutText)
    try checkJSONFinding(modified, folder: repo.path)
    XCTAssertEqual(modified["line"] as? Int, 2)

    // Staged: the index path is raw bytes too (a new file: the other is known to HEAD already).
    try create(repo.path, otherName, "k = \(TestRules.token(TestRules.secretB))\n")
    try repo.git("add", "-A")
    let staged = try run(["staged", repo.path, "--format", "json"])
    XCTAssertEqual(staged.status, 1, staged.stderrText)
    try checkJSONFinding(
      try XCTUnwrap(try staged.jsonObject().findings.first, staged.stdoutText), folder: repo.path, name: otherName,
      secret: TestRules.secretB)
  }

  func testStdinNameKeepsItsBytes() throws {
    let folder = try TemporaryFolder.make().path
    try create(folder, rawName, secretLine)
    // The name goes through a shell so that argv holds the raw bytes.
    let result = try Run.process(
      "/bin/sh",
      [
        "-c", #"exec "$0" stdin --name "$(printf '\377\376.txt')" --only-rules "$1" --no-verify --format json"#,
        Fairscan.binary, rules,
      ],
      environment: ["FAIRSCAN_CACHE_DIR": try TemporaryFolder.make().path], input: Array(secretLine.utf8))
    XCTAssertEqual(result.status, 1, result.stderrText)
    try checkJSONFinding(try XCTUnwrap(try result.jsonObject().findings.first, result.stdoutText), folder: folder)
  }

  /// `dir` given a file or a folder whose own name is not UTF-8 (through a shell, so argv holds
  /// the raw bytes) scans it, and the report names the exact bytes.
  func testDirArgumentThatIsNotUTF8IsScanned() throws {
    let folder = try TemporaryFolder.make().path
    try create(folder, rawName, secretLine)
    let script = #"cd "$2" && exec "$0" dir "$(printf '\377\376.txt')" --only-rules "$1" --no-verify --format json"#
    let file = try Run.process(
      "/bin/sh", ["-c", script, Fairscan.binary, rules, folder],
      environment: ["FAIRSCAN_CACHE_DIR": try TemporaryFolder.make().path])
    XCTAssertEqual(file.status, 1, file.stderrText)
    try checkJSONFinding(try XCTUnwrap(try file.jsonObject().findings.first, file.stdoutText), folder: folder)

    // A folder named by bytes that are not UTF-8, holding the same file.
    let parent = try TemporaryFolder.make().path
    let inFolder = try Run.process(
      "/bin/sh",
      [
        "-c",
        #"cd "$2" && mkdir "$(printf '\376d')" && printf 'k = %s\n' "$3" > "$(printf '\376d')/$(printf '\377\376.txt')" && exec "$0" dir "$(printf '\376d')" --only-rules "$1" --no-verify --format json"#,
        Fairscan.binary, rules, parent, TestRules.token(TestRules.secretA),
      ],
      environment: ["FAIRSCAN_CACHE_DIR": try TemporaryFolder.make().path])
    XCTAssertEqual(inFolder.status, 1, inFolder.stderrText)
    let finding = try XCTUnwrap(try inFolder.jsonObject().findings.first, inFolder.stdoutText)
    let bytes = try XCTUnwrap((finding["path_bytes"] as? String).flatMap { Data(base64Encoded: $0) })
    XCTAssertEqual(Array(bytes), rawName, "paths are relative to the folder scanned")
    XCTAssertEqual(try inFolder.jsonObject().summary["files_scanned"] as? Int, 1)
  }

  /// An archive member whose name is not UTF-8 (a tar and a zip made by the real tools) is
  /// named by its exact bytes after the `!`.
  func testArchiveMemberNamesKeepTheirBytes() throws {
    let folder = try TemporaryFolder.make().path
    try FileManager.default.createDirectory(atPath: folder + "/src", withIntermediateDirectories: true)
    try create(folder + "/src", rawName, secretLine)
    let pack = try Run.process(
      "/bin/sh", ["-c", #"cd "$0/src" && tar cf ../b.tar * && zip -q ../b.zip * && cd .. && rm -r src"#, folder])
    XCTAssertEqual(pack.status, 0, pack.stderrText)
    let result = try run(["dir", folder, "--format", "json"])
    XCTAssertEqual(result.status, 1, result.stderrText)
    let named = try result.jsonObject().findings.map { finding -> [UInt8] in
      Array((finding["path_bytes"] as? String).flatMap { Data(base64Encoded: $0) } ?? Data())
    }
    XCTAssertEqual(Set(named), [Array("b.tar!".utf8) + rawName, Array("b.zip!".utf8) + rawName])
  }
}
