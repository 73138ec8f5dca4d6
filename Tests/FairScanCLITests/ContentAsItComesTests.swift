import Foundation
import XCTest
import FairScanTestSupport

/// Content as it comes (issue 11, section 4), through the binary: UTF-16 files in every source,
/// old Mac line ends, columns in binary files, files over the size cap, and a large file read
/// in windows with flat memory.
final class ContentAsItComesTests: XCTestCase {
  var rules = ""
  override func setUpWithError() throws { rules = try TestRules.file() }

  /// A PowerShell script saved by Windows: UTF-16 LE with a BOM, CR LF; the key on line 3.
  static let script = "# deploy\r\n$env:Region = \"eu\"\r\n$token = \"\(TestRules.token(TestRules.secretA))\"\r\n"
  /// Units before the secret (after `tok_`).
  static let scriptUnits = Array("# deploy\r\n$env:Region = \"eu\"\r\n$token = \"tok_".utf16).count
  /// A `.reg` export in UTF-16 BE without a BOM; the key on line 2 after "ü ".
  static let registry = "[HKEY_CURRENT_USER\\Software\\App]\n\"ü Token\"=\"\(TestRules.token(TestRules.secretB))\"\n"
  static let registryUnits = Array("[HKEY_CURRENT_USER\\Software\\App]\n\"ü Token\"=\"tok_".utf16).count

  /// (line, column, byte offset, byte length) of every location of `secret`'s finding, by source.
  func places(_ report: [String: Any], path: String) -> [String: [Int]] {
    var out: [String: [Int]] = [:]
    for finding in report.findings(rule: "test.token") {
      for location in finding["locations"] as? [[String: Any]] ?? [] where location["path"] as? String == path {
        let values = ["line", "column", "byte_offset", "byte_length"].map { location[$0] as? Int ?? -1 }
        out[location["source"] as? String ?? "?"] = values
      }
    }
    return out
  }

  func testUTF16IsDecodedInEverySourceWithPositionsInTheFile() throws {
    let repo = try GitFixture()
    let script = TextBytes.utf16(Self.script, bigEndian: false, bom: true)
    let registry = TextBytes.utf16(Self.registry, bigEndian: true, bom: false)
    try repo.write("deploy.ps1", script)
    try repo.write("app.reg", registry)
    try repo.commitAll("windows files")
    // `$token = "tok_` is 14 characters: the secret at 15; 2 bytes of BOM, 2 bytes a unit.
    let scriptPlace = [3, 15, 2 + 2 * Self.scriptUnits, 48]
    // `"ü Token"="tok_` is 15 characters: the secret at 16.
    let registryPlace = [2, 16, 2 * Self.registryUnits, 48]

    let (history, result) = try Fairscan.json(["repo", repo.path, "--only-rules", rules, "--no-cache"])
    XCTAssertEqual(result.status, 1, result.stderrText)
    XCTAssertEqual(places(history, path: "deploy.ps1"), ["blob": scriptPlace, "worktree": scriptPlace])
    XCTAssertEqual(places(history, path: "app.reg"), ["blob": registryPlace, "worktree": registryPlace])
    let secrets = Set(history.findings(rule: "test.token").compactMap { $0["secret_sha256"] as? String })
    XCTAssertEqual(secrets.count, 2)

    let (folder, _) = try Fairscan.json(["dir", repo.path, "--only-rules", rules])
    XCTAssertEqual(places(folder, path: "deploy.ps1"), ["file": scriptPlace])
    XCTAssertEqual(places(folder, path: "app.reg"), ["file": registryPlace])

    // Staged only (another secret: one HEAD already holds is not new to `staged`), the same
    // bytes as a member of a zip, and on standard input.
    let newScript = TextBytes.utf16(
      Self.script.replacingOccurrences(of: TestRules.secretA, with: TestRules.secretC), bigEndian: false, bom: true)
    try repo.write("new.ps1", newScript)
    try repo.write("bundle.zip", try ArchiveFixture.zip([(name: "conf/app.reg", bytes: registry)]))
    try repo.git("add", "new.ps1", "bundle.zip")
    let (staged, _) = try Fairscan.json(["staged", repo.path, "--only-rules", rules])
    XCTAssertEqual(places(staged, path: "new.ps1"), ["index": scriptPlace])
    XCTAssertEqual(places(staged, path: "bundle.zip!conf/app.reg"), ["index": registryPlace])
    let stdin = try Run.process(
      Fairscan.binary, ["stdin", "--name", "x.ps1", "--only-rules", rules, "--format", "json"], input: script)
    XCTAssertEqual(places(try stdin.jsonObject(), path: "x.ps1"), ["stdin": scriptPlace])
    // The same secret as in UTF-8: one fingerprint family, the same secret hash.
    let (plain, _) = try Fairscan.json(
      ["stdin", "--only-rules", rules], input: "\(TestRules.token(TestRules.secretA))\n")
    XCTAssertTrue(secrets.contains(plain.findings.first?["secret_sha256"] as? String ?? "none"))
  }

  func testABareCREndsALineInFilesAndBlobs() throws {
    let repo = try GitFixture()
    try repo.write("old-mac.cfg", "one\rtwo\rthree\rfour\rkey = \(TestRules.token(TestRules.secretA))\r")
    try repo.commitAll("cr")
    let (report, _) = try Fairscan.json(["repo", repo.path, "--only-rules", rules, "--no-cache"])
    XCTAssertEqual(places(report, path: "old-mac.cfg"), ["blob": [5, 11, 29, 24], "worktree": [5, 11, 29, 24]])
  }

  func testColumnsInABinaryFileFollowTheRule() throws {
    // A `.so`-like file: an ELF header, a table of every byte value (stray continuation bytes,
    // lead bytes cut short), a valid "é" and "🔑", then the key on the same line.
    var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + [UInt8](repeating: 0, count: 56)
    for _ in 0..<3 { bytes += (0...255).map { UInt8($0) }.filter { $0 != 0x0A && $0 != 0x0D } }
    bytes += Array("é🔑=".utf8)
    let prefix = bytes.count  // characters: one a byte, but é (2 bytes) and 🔑 (4) are one each
    bytes += Array(TestRules.token(TestRules.secretA).utf8) + [0x00, 0x01]
    let folder = try TemporaryFolder.make()
    try Data(bytes).write(to: folder.appendingPathComponent("libkey.so"))
    let (report, _) = try Fairscan.json(["dir", folder.path, "--only-rules", rules])
    // Every byte is a character except é and 🔑 (one each); the secret follows `=tok_`.
    XCTAssertEqual(places(report, path: "libkey.so")["file"], [1, prefix - 1 - 3 + 4 + 1, prefix + 4, 24])
  }

  func testFilesOverTheSizeCapMakeTheScanIncompleteInEverySource() throws {
    let repo = try GitFixture()
    let big = String(repeating: "a", count: 5000) + "\n"
    try repo.write("big.txt", big)
    try repo.write("small.txt", "k = \(TestRules.token(TestRules.secretA))\n")
    try repo.commitAll("big")
    func assertIncomplete(_ args: [String], input: String? = nil, _ label: String) throws {
      let (report, result) = try Fairscan.json(args + ["--only-rules", rules, "--max-file-size", "4KiB"], input: input)
      XCTAssertEqual(result.status & 2, 2, "\(label): \(result.stderrText)")
      let reasons = report.summary["incomplete"] as? [String] ?? []
      XCTAssertTrue(
        reasons.contains { $0.contains("over --max-file-size") && $0.contains("raise --max-file-size") },
        "\(label): \(reasons)")
      XCTAssertTrue(result.stderrText.contains("INCOMPLETE"), label)
    }
    try assertIncomplete(["repo", repo.path, "--no-cache"], "history and work tree")
    try assertIncomplete(["repo", repo.path, "--history-only", "--no-cache"], "history")
    try assertIncomplete(["repo", repo.path, "--no-history", "--no-cache"], "work tree")
    try assertIncomplete(["dir", repo.path], "folder")
    try assertIncomplete(["stdin"], input: big, "standard input")
    try repo.write("new.txt", big)
    try repo.git("add", "new.txt")
    try assertIncomplete(["staged", repo.path], "staged")
    // A zip member over the cap, the (deflated) zip itself under it.
    let archive = try TemporaryFolder.make()
    try Data(try ArchiveFixture.zip([(name: "big.txt", bytes: Array(big.utf8))])).write(
      to: archive.appendingPathComponent("a.zip"))
    try assertIncomplete(["dir", archive.path], "archive member")
    // Under the cap, the same scan is complete.
    let (complete, result) = try Fairscan.json(["dir", repo.path, "--only-rules", rules, "--max-file-size", "1MiB"])
    XCTAssertEqual(result.status, 1, result.stderrText)
    XCTAssertEqual(complete.summary["incomplete"] as? [String], [])
  }

  // MARK: Large files

  /// Runs fairscan and returns its result and peak resident memory in KiB, as GNU time measures
  /// it. (Not `wait4` on a child of this process: on Linux a child spawned from it inherits this
  /// process's high-water mark, which the test's own 96 MiB buffer has raised; `time` forks the
  /// scan from its own small process.)
  func runMeasured(_ args: [String]) throws -> (result: Run.Result, maxRSSKiB: Int) {
    let measure = try TemporaryFolder.make().appendingPathComponent("rss").path
    let result = try Run.process(
      "/usr/bin/time", ["-f", "%M", "-o", measure, Fairscan.binary] + args,
      environment: ["FAIRSCAN_CACHE_DIR": try TemporaryFolder.make().path, "NO_COLOR": "1"], timeout: 600)
    let text = try String(contentsOfFile: measure, encoding: .utf8)
    let kib = try XCTUnwrap(
      text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }, text)
    return (result, kib)
  }

  func testALargeFileIsReadInWindowsWithExactPositionsAndFlatMemory() throws {
    // 96 MiB of 100-byte lines; a key across each 16 MiB window boundary, one mid-window, one at the end.
    let window = 16 << 20
    let size = 96 << 20
    let line = Array(String(repeating: "x", count: 99).utf8) + [0x0A]
    var bytes = [UInt8](repeating: 0, count: size)
    bytes.withUnsafeMutableBufferPointer { buffer in
      for start in stride(from: 0, to: size, by: 100) {
        for i in 0..<min(100, size - start) { buffer[start + i] = line[i] }
      }
    }
    var expected: [Int: [Int]] = [:]  // byte offset of the secret → [line, column]
    func plant(at offset: Int, _ n: Int) {
      let secret = "Ab3dEf6hIj9kLm2nOp5q" + String(format: "%04d", n)
      let token = Array((TestRules.token(secret) + " ").utf8)  // the rule wants a word boundary after it
      for (i, b) in token.enumerated() { bytes[offset + i] = b }
      expected[offset + 4] = [offset / 100 + 1, offset % 100 + 5]
    }
    for k in 1..<(size / window) {
      let boundary = k * window
      let r = boundary % 100
      let d = max(min(r - 1, 14), r - 70)  // start 1...27 bytes before the boundary, within one line
      plant(at: boundary - d, k)
    }
    plant(at: 3 * window + window / 2 + 50 - (3 * window + window / 2) % 100 + 10, 90)
    plant(at: (size / 100 - 1) * 100 - 50, 91)
    XCTAssertEqual(bytes[size - 1], 0x78)  // the last line is cut short: no final LF
    let folder = try TemporaryFolder.make()
    try Data(bytes).write(to: folder.appendingPathComponent("huge.log"))
    bytes = []

    let tiny = try TemporaryFolder.make()
    try "k = \(TestRules.token(TestRules.secretA))\n".write(
      to: tiny.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
    let baseline = try runMeasured(["dir", tiny.path, "--only-rules", rules, "--format", "json", "--no-verify"])
    XCTAssertEqual(baseline.result.status, 1, baseline.result.stderrText)

    let run = try runMeasured(
      ["dir", folder.path, "--only-rules", rules, "--format", "json", "--no-verify", "--max-file-size", "1GiB"])
    XCTAssertEqual(run.result.status, 1, run.result.stderrText)
    let report = try run.result.jsonObject()
    var found: [Int: [Int]] = [:]
    var locations = 0
    for finding in report.findings(rule: "test.token") {
      for location in finding["locations"] as? [[String: Any]] ?? [] {
        locations += 1
        found[location["byte_offset"] as? Int ?? -1] = ["line", "column"].map { location[$0] as? Int ?? -1 }
      }
    }
    XCTAssertEqual(locations, expected.count, "every key exactly once")
    XCTAssertEqual(Set(report.findings.compactMap { $0["secret_sha256"] as? String }).count, expected.count)
    XCTAssertEqual(found, expected)
    // Memory: the file is 96 MiB; reading it whole costs at least that much over the baseline.
    let extraMiB = (run.maxRSSKiB - baseline.maxRSSKiB) / 1024
    XCTAssertLessThan(extraMiB, 48, "peak RSS \(run.maxRSSKiB / 1024) MiB, baseline \(baseline.maxRSSKiB / 1024) MiB")
  }
}
