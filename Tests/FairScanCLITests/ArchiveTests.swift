import Foundation
import XCTest
import FairScanTestSupport

/// Inside archives, through the binary: members found and named in every format, the same
/// answer from a folder, standard input and history, and bombs and tricks ending as listed
/// skips with the incomplete bit, quickly and in bounded memory.
final class ArchiveTests: XCTestCase {
  var rules = ""
  override func setUpWithError() throws { rules = try TestRules.file() }

  let line = Array("# settings\nAPP_TOKEN=\(TestRules.token(TestRules.secretA))\n".utf8)

  /// Runs the binary with binary standard input, as `Fairscan.run` does with text.
  func run(_ args: [String], input: [UInt8]? = nil) throws -> Run.Result {
    try Run.process(
      Fairscan.binary, args, environment: ["FAIRSCAN_CACHE_DIR": try TemporaryFolder.make().path, "NO_COLOR": "1"],
      input: input, timeout: 120)
  }

  func report(_ result: Run.Result) throws -> [String: Any] { try result.jsonObject() }

  func skipped(_ report: [String: Any]) -> [[String: Any]] { report.summary["skipped"] as? [[String: Any]] ?? [] }

  func write(_ bytes: [UInt8], _ name: String, in folder: URL) throws {
    try Data(bytes).write(to: folder.appendingPathComponent(name))
  }

  func testEveryFormatAndNestingInAFolder() throws {
    let folder = try TemporaryFolder.make()
    try write(try ArchiveFixture.zip([("config/", []), ("config/app.env", line)]), "bundle.zip", in: folder)
    try write(try ArchiveFixture.zip([("META-INF/app.properties", line)]), "app.jar", in: folder)
    for (c, ext) in [("z", "gz"), ("j", "bz2"), ("J", "xz")] {
      try write(try ArchiveFixture.tar([("etc/\(ext).env", line)], compression: c), "logs.tar.\(ext)", in: folder)
    }
    try write(try ArchiveFixture.compress(line, with: "gzip"), "app.env.gz", in: folder)
    let jar = try ArchiveFixture.zip([("META-INF/app.properties", line)])
    try write(try ArchiveFixture.tar([("lib/inner.jar", jar)], compression: "z"), "outer.tar.gz", in: folder)

    let result = try run(["dir", folder.path, "--only-rules", rules, "--format", "json"])
    XCTAssertEqual(result.status, 1, result.stderrText)
    let r = try report(result)
    XCTAssertEqual(
      Set(r.findings.compactMap { $0["path"] as? String }),
      [
        "bundle.zip!config/app.env", "app.jar!META-INF/app.properties", "logs.tar.gz!etc/gz.env",
        "logs.tar.bz2!etc/bz2.env", "logs.tar.xz!etc/xz.env", "app.env.gz!app.env",
        "outer.tar.gz!lib/inner.jar!META-INF/app.properties",
      ])
    XCTAssertEqual(Set(r.findings.compactMap { $0["secret_sha256"] as? String }).count, 1)
    let zip = try XCTUnwrap(r.findings.first { $0["path"] as? String == "bundle.zip!config/app.env" })
    XCTAssertEqual(zip["line"] as? Int, 2)
    XCTAssertEqual(zip["column"] as? Int, 15)
    let location = try XCTUnwrap((zip["locations"] as? [[String: Any]])?.first)
    XCTAssertEqual(location["member"] as? String, "config/app.env")
    XCTAssertEqual(location["byte_offset"] as? Int, 11 + 14)
    XCTAssertEqual(r.summary["incomplete"] as? [String], [])
    XCTAssertEqual(skipped(r).count, 0)

    let text = try run(["dir", folder.path, "--only-rules", rules])
    XCTAssertTrue(text.stdoutText.contains("outer.tar.gz!lib/inner.jar!META-INF/app.properties:2:15"), text.stdoutText)
  }

  func testFolderStdinAndHistoryAgree() throws {
    let jar = try ArchiveFixture.zip([("META-INF/app.properties", line)])
    let archive = try ArchiveFixture.tar([("config/app.env", line), ("lib/inner.jar", jar)], compression: "z")
    func keys(_ r: [String: Any]) -> Set<String> {
      Set(
        r.findings.map {
          "\($0["rule_id"] as? String ?? "") \($0["secret_sha256"] as? String ?? "") \($0["path"] as? String ?? "")"
        })
    }
    let folder = try TemporaryFolder.make()
    try write(archive, "bundle.tar.gz", in: folder)
    let dir = try report(try run(["dir", folder.path, "--only-rules", rules, "--format", "json"]))
    XCTAssertEqual(dir.findings.count, 2)

    let named = try report(
      try run(["stdin", "--name", "bundle.tar.gz", "--only-rules", rules, "--format", "json"], input: archive))
    XCTAssertEqual(keys(named), keys(dir))
    let unnamed = try report(try run(["stdin", "--only-rules", rules, "--format", "json"], input: archive))
    XCTAssertEqual(
      Set(unnamed.findings.compactMap { $0["path"] as? String }),
      ["(stdin)!config/app.env", "(stdin)!lib/inner.jar!META-INF/app.properties"])

    let repo = try GitFixture()
    try repo.write("bundle.tar.gz", archive)
    try repo.commitAll("add the bundle")
    try repo.remove("bundle.tar.gz")
    try repo.commitAll("remove the bundle")
    for pass in ["first scan", "from the scan cache"] {
      let history = try run(["repo", repo.path, "--only-rules", rules, "--format", "json"])
      XCTAssertEqual(history.status, 1, history.stderrText)
      let h = try report(history)
      XCTAssertEqual(keys(h), keys(dir), pass)
      for finding in h.findings {
        XCTAssertEqual(finding["present_at_head"] as? Bool, false, pass)
        let location = try XCTUnwrap((finding["locations"] as? [[String: Any]])?.first)
        XCTAssertEqual(location["source"] as? String, "blob")
        XCTAssertNotNil(location["member"] as? String)
      }
    }
  }

  func testZipBombStopsQuicklyInBoundedMemory() throws {
    let folder = try TemporaryFolder.make()
    // One read until the ratio stops it, one whose declared size gives it away before any read.
    let bomb = try ArchiveFixture.zipOfZeros(64 << 20, before: [("config/app.env", line)])
    XCTAssertLessThan(bomb.count, 1 << 20)
    try write(bomb, "bomb.zip", in: folder)
    try write(try ArchiveFixture.zipOfZeros(200 << 20), "huge.zip", in: folder)
    // python3 reports the peak RSS of the fairscan it ran.
    let measure = """
      import resource, subprocess, sys
      code = subprocess.run(sys.argv[1:]).returncode
      sys.stderr.write("\\nmaxrss_kib=%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
      sys.exit(code)
      """
    let started = Date()
    let result = try Run.process(
      "/usr/bin/env",
      ["python3", "-c", measure, Fairscan.binary, "dir", folder.path, "--only-rules", rules, "--format", "json"],
      environment: ["FAIRSCAN_CACHE_DIR": try TemporaryFolder.make().path], timeout: 60)
    XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    XCTAssertEqual(result.status, 3, result.stderrText)  // the finding before the bomb, and incomplete
    let r = try report(result)
    XCTAssertEqual(r.findings.compactMap { $0["path"] as? String }, ["bomb.zip!config/app.env"])
    XCTAssertEqual(skipped(r).map { $0["path"] as? String }, ["bomb.zip!zeros.bin", "huge.zip!zeros.bin"])
    for skip in skipped(r) {
      XCTAssertEqual(skip["reason"] as? String, "archive-limit")
      XCTAssertTrue((skip["detail"] as? String ?? "").contains("100:1"), "\(skip)")
    }
    let rss = try XCTUnwrap(
      result.stderrText.components(separatedBy: "maxrss_kib=").last.flatMap {
        Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
      })
    XCTAssertLessThan(rss, 200 << 10, "peak RSS \(rss) KiB")
    XCTAssertTrue(result.stderrText.contains("INCOMPLETE"), result.stderrText)
  }

  func testNestingOneLevelTooDeepIsListed() throws {
    var content = try ArchiveFixture.zip([("deep.env", line)])
    for level in (1...3).reversed() { content = try ArchiveFixture.zip([("l\(level).zip", content)]) }
    let folder = try TemporaryFolder.make()
    try write(content, "nest.zip", in: folder)
    let result = try run(["dir", folder.path, "--only-rules", rules, "--format", "json"])
    XCTAssertEqual(result.status, 2, result.stderrText)
    let r = try report(result)
    XCTAssertEqual(r.findings.count, 0)
    XCTAssertEqual(skipped(r).map { $0["path"] as? String }, ["nest.zip!l1.zip!l2.zip!l3.zip"])
    XCTAssertEqual(skipped(r).first?["reason"] as? String, "archive-limit")
    XCTAssertTrue((skipped(r).first?["detail"] as? String ?? "").contains("deeper than 3"))
  }

  func testMaxArchiveDepthOpensFewerLevelsAndZeroNone() throws {
    let folder = try TemporaryFolder.make()
    let jar = try ArchiveFixture.zip([("META-INF/app.properties", line)])
    try write(try ArchiveFixture.tar([("lib/inner.jar", jar)], compression: "z"), "outer.tar.gz", in: folder)
    try write(try ArchiveFixture.zip([("config/app.env", line)]), "bundle.zip", in: folder)
    let deep = try report(
      try run(["dir", folder.path, "--only-rules", rules, "--format", "json", "--max-archive-depth", "4"]))
    XCTAssertEqual(
      Set(deep.findings.compactMap { $0["path"] as? String }),
      ["bundle.zip!config/app.env", "outer.tar.gz!lib/inner.jar!META-INF/app.properties"])
    // One level: the tar.gz is opened, the jar inside it is not (listed, incomplete).
    let one = try run(["dir", folder.path, "--only-rules", rules, "--format", "json", "--max-archive-depth", "1"])
    XCTAssertEqual(one.status, 3, one.stderrText)
    XCTAssertEqual(try report(one).findings.compactMap { $0["path"] as? String }, ["bundle.zip!config/app.env"])
    XCTAssertEqual(skipped(try report(one)).map { $0["path"] as? String }, ["outer.tar.gz!lib/inner.jar"])
    // Zero: archives are plain bytes; nothing opened, nothing listed, complete.
    let none = try run(["dir", folder.path, "--only-rules", rules, "--format", "json", "--max-archive-depth", "0"])
    XCTAssertEqual(none.status, 0, none.stderrText)
    XCTAssertEqual(skipped(try report(none)).count, 0)
    let bad = try run(["dir", folder.path, "--max-archive-depth", "-1"])
    XCTAssertEqual(bad.status, 64, bad.stderrText)
  }

  func testTooManyMembersIsListed() throws {
    let folder = try TemporaryFolder.make()
    try write(try ArchiveFixture.zipOfEmptyMembers(10_001), "many.zip", in: folder)
    let started = Date()
    let result = try run(["dir", folder.path, "--only-rules", rules, "--format", "json"])
    XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    XCTAssertEqual(result.status, 2, result.stderrText)
    let skip = try XCTUnwrap(skipped(try report(result)).first)
    XCTAssertEqual(skip["path"] as? String, "many.zip")
    XCTAssertEqual(skip["reason"] as? String, "archive-limit")
    XCTAssertTrue((skip["detail"] as? String ?? "").contains("10000 members"), "\(skip)")
  }

  func testPathTricksAreListedInFoldersAndHistory() throws {
    let zip = try ArchiveFixture.zip([("../evil.env", line), ("/etc/abs.env", line)])
    let repo = try GitFixture()
    try repo.write("evil.zip", zip)
    try repo.commitAll("tricks")
    for args in [["dir", repo.path], ["repo", repo.path, "--no-cache"]] {
      let result = try run(args + ["--only-rules", rules, "--format", "json"])
      XCTAssertEqual(result.status, 2, result.stderrText)
      let items = skipped(try report(result)).filter { ($0["path"] as? String ?? "").hasPrefix("evil.zip!") }
      XCTAssertEqual(
        Set(items.compactMap { $0["path"] as? String }), ["evil.zip!../evil.env", "evil.zip!/etc/abs.env"], "\(args)")
      XCTAssertTrue(items.allSatisfy { $0["reason"] as? String == "archive-limit" })
      if args[0] == "repo" { XCTAssertTrue(items.allSatisfy { ($0["blob"] as? String)?.count == 40 }) }
    }
  }

  func testStagedArchiveSkipsAreListed() throws {
    let repo = try GitFixture()
    try repo.write("README", "x\n")
    try repo.commitAll("start")
    try repo.write("dist/evil.zip", try ArchiveFixture.zip([("../evil.env", line), ("ok.env", line)]))
    try repo.git("add", "dist/evil.zip")
    let result = try run(["staged", repo.path, "--only-rules", rules, "--format", "json"])
    XCTAssertEqual(result.status, 3, result.stderrText)
    let r = try report(result)
    XCTAssertEqual(r.findings.compactMap { $0["path"] as? String }, ["dist/evil.zip!ok.env"])
    XCTAssertEqual(skipped(r).map { $0["path"] as? String }, ["dist/evil.zip!../evil.env"])
  }

  func testCorruptArchiveGivesWhatCouldBeReadAndIsIncomplete() throws {
    let noise = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
    let tgz = try ArchiveFixture.tar([("a.env", line), ("noise.bin", noise), ("z.env", line)], compression: "z")
    let folder = try TemporaryFolder.make()
    try write(Array(tgz.prefix(tgz.count / 2)), "broken.tar.gz", in: folder)
    let result = try run(["dir", folder.path, "--only-rules", rules, "--format", "json"])
    XCTAssertEqual(result.status, 3, result.stderrText)
    let r = try report(result)
    XCTAssertEqual(r.findings.compactMap { $0["path"] as? String }, ["broken.tar.gz!a.env"])
    XCTAssertTrue(skipped(r).contains { $0["reason"] as? String == "unreadable" }, "\(skipped(r))")
  }

  func testEncryptedMemberIsListedNotIncomplete() throws {
    let folder = try TemporaryFolder.make()
    try write(try ArchiveFixture.encryptedZip([("locked.env", line)]), "locked.zip", in: folder)
    let result = try run(["dir", folder.path, "--only-rules", rules, "--format", "json"])
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertEqual(skipped(try report(result)).map { $0["path"] as? String }, ["locked.zip!locked.env"])
    XCTAssertEqual(skipped(try report(result)).first?["reason"] as? String, "encrypted")
  }

  func testReportsNameTheMemberAndValidate() throws {
    let folder = try TemporaryFolder.make()
    try write(try ArchiveFixture.zip([("config/app.env", line), ("../evil.env", line)]), "bundle.zip", in: folder)
    let sarif = try run(["dir", folder.path, "--only-rules", rules, "--format", "sarif"])
    XCTAssertEqual(sarif.status, 3, sarif.stderrText)
    try assertValidates(
      sarif.stdout, schema: ReportSchemaTests.fixtures.appendingPathComponent("sarif-schema-2.1.0.json"))
    let log = try sarif.jsonObject()
    let result = try XCTUnwrap(((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first)
    let location = try XCTUnwrap((result["locations"] as? [[String: Any]])?.first)
    let physical = try XCTUnwrap(location["physicalLocation"] as? [String: Any])
    XCTAssertEqual((physical["artifactLocation"] as? [String: Any])?["uri"] as? String, "bundle.zip#/config/app.env")
    XCTAssertEqual((location["properties"] as? [String: Any])?["member"] as? String, "config/app.env")
    let json = try run(["dir", folder.path, "--only-rules", rules, "--format", "json"])
    try assertValidates(json.stdout, schema: ReportSchemaTests.fixtures.appendingPathComponent("report.schema.json"))
  }
}
