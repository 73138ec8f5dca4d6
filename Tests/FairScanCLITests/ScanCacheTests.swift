import FairScanTestSupport
import Foundation
import XCTest

/// The incremental scan cache of `fairscan repo`, on real repositories.
final class ScanCacheTests: XCTestCase {
  var rules = ""

  override func setUpWithError() throws { rules = try TestRules.file() }

  /// History with a secret added then deleted, one still in the tree, a clean file and a branch.
  func repository() throws -> GitFixture {
    let repo = try GitFixture()
    try repo.write("config/app.env", "token = \(TestRules.token(TestRules.secretA))\n")
    try repo.write("README.md", "hello\n")
    _ = try repo.commitAll("first")
    try repo.write("src/keys.txt", "k: \(TestRules.token(TestRules.secretB))\n")
    _ = try repo.commitAll("second")
    try repo.remove("config/app.env")
    _ = try repo.commitAll("remove the env file")
    _ = try repo.git("branch", "side")
    return repo
  }

  func scan(_ repo: GitFixture, _ extra: [String] = []) throws -> (report: [String: Any], result: Run.Result) {
    try Fairscan.json(["repo", repo.path, "--only-rules", rules] + extra)
  }

  /// Findings as comparable JSON text (the report minus timings and cache counts).
  func comparable(_ report: [String: Any]) throws -> String { try report.comparableFindings() }

  func summary(_ report: [String: Any], _ key: String) -> Int? { report.summary[key] as? Int }

  func cacheFile(_ repo: GitFixture) -> String { repo.path + "/.git/fairscan/cache.sqlite" }

  func testAnUnchangedRepositoryIsReadFromTheCacheWithTheSameFindings() throws {
    let repo = try repository()
    let (first, firstRun) = try scan(repo)
    XCTAssertEqual(firstRun.status, 1, firstRun.stderrText)
    XCTAssertEqual(first.findings.count, 2)
    XCTAssertGreaterThan(summary(first, "blobs_scanned") ?? 0, 0)
    XCTAssertTrue(FileManager.default.fileExists(atPath: cacheFile(repo)))
    XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: cacheFile(repo))[.posixPermissions] as? Int, 0o600)

    let (second, secondRun) = try scan(repo)
    XCTAssertEqual(secondRun.status, 1, secondRun.stderrText)
    XCTAssertEqual(summary(second, "blobs_scanned"), 0, "no blob read again")
    XCTAssertEqual(summary(second, "commits_scanned"), 0)
    // The work tree's files equal blobs the cache knows: counted, none read.
    XCTAssertEqual(summary(second, "files_scanned"), 2)
    XCTAssertEqual(summary(second, "bytes_scanned"), 0, "no work tree file read again")
    let objects = try repo.git("count-objects", "-v").split(separator: "\n").first { $0.hasPrefix("count:") }
    XCTAssertEqual(summary(second, "cached_objects"), Int(objects?.split(separator: " ").last ?? ""))
    XCTAssertEqual(try comparable(second), try comparable(first))
    XCTAssertTrue(secondRun.stderrText.contains("known from the scan cache"), secondRun.stderrText)

    // The cache holds no secret, only hashes and redacted forms.
    let bytes = try Data(contentsOf: URL(fileURLWithPath: cacheFile(repo)))
    for secret in [TestRules.secretA, TestRules.secretB] {
      XCTAssertNil(bytes.range(of: Data(secret.utf8)), "a secret in the cache file")
    }
    // --show-secrets needs the secrets: the blobs that held them are read again, the rest not.
    let (shown, _) = try scan(repo, ["--show-secrets"])
    XCTAssertEqual(summary(shown, "blobs_scanned"), 2)
    XCTAssertTrue(shown.findings.contains { $0["secret"] as? String == TestRules.secretA })
  }

  func testNewCommitsAreTheOnlyObjectsRead() throws {
    let repo = try repository()
    let (first, _) = try scan(repo)
    try repo.write("src/more.txt", "m: \(TestRules.token(TestRules.secretC))\n")
    _ = try repo.commitAll("third")
    let (second, result) = try scan(repo)
    XCTAssertEqual(result.status, 1, result.stderrText)
    XCTAssertEqual(summary(second, "blobs_scanned"), 1, "only the new file's blob")
    XCTAssertEqual(summary(second, "commits_scanned"), 1, "only the new commit's message")
    XCTAssertEqual(second.findings.count, 3)
    let uncached = try scan(repo, ["--no-cache"]).report
    XCTAssertEqual(try comparable(second), try comparable(uncached), "the same findings as a scan without cache")
    XCTAssertEqual(first.findings.count + 1, uncached.findings.count)
  }

  /// A packed repository: the packs a complete scan knew whole are not listed again when new
  /// commits come (issue 12), and every answer is a scan's without cache: an old secret at a new
  /// path, a secret pruned away meanwhile, a repack, a deleted branch.
  func testPacksTheCacheKnowsWholeAreNotListedAgain() throws {
    let repo = try repository()
    try repo.write("docs/big.txt", String(repeating: "a clean line of the work tree\n", count: 1000))
    _ = try repo.commitAll("big")
    _ = try repo.git("gc", "-q")
    let lost = try repo.git("hash-object", "-w", "--stdin", input: "lost: \(TestRules.token(TestRules.secretC))\n")
    let (first, firstRun) = try tracedScan(repo)
    XCTAssertEqual(first.findings.count, 3, firstRun)
    XCTAssertEqual(try query(cacheFile(repo), "select count(*) from packs"), "1", "the pack is known whole")

    // New commits: only the loose objects are listed and read; an old secret copied to a new path is found there.
    try repo.write("src/more.txt", "m: \(TestRules.token(TestRules.secretD))\n")
    try repo.write("src/copy.txt", "k: \(TestRules.token(TestRules.secretB))\n")
    _ = try repo.commitAll("third")
    _ = try repo.git("prune", "--expire=now")  // the lost blob goes: no finding may stay for it
    XCTAssertThrowsError(try repo.git("cat-file", "-e", lost))
    let (second, result) = try Fairscan.json(
      ["repo", repo.path, "--only-rules", rules], environment: ["FAIRSCAN_TRACE": "1"])
    XCTAssertTrue(result.stderrText.contains("trace: list objects (1 known whole left out)"), result.stderrText)
    XCTAssertTrue(result.stderrText.contains("trace: attribute (new commits)"), result.stderrText)
    XCTAssertEqual(summary(second, "blobs_scanned"), 1, "only the new file's blob")
    XCTAssertLessThan(summary(second, "bytes_scanned") ?? .max, 10_000, "the work tree's packed files are not read")
    let inPack = try repo.git("count-objects", "-v").split(separator: "\n").first { $0.hasPrefix("in-pack:") }
    XCTAssertEqual(summary(second, "cached_objects"), Int(inPack?.split(separator: " ").last ?? ""))
    let uncached = try scan(repo, ["--no-cache"]).report
    XCTAssertEqual(try comparable(second), try comparable(uncached), "the same findings as a scan without cache")
    XCTAssertTrue(
      second.findings.contains { finding in
        ((finding["locations"] as? [[String: Any]]) ?? []).contains { $0["path"] as? String == "src/copy.txt" }
      })
    XCTAssertFalse(
      second.findings.contains { finding in
        ((finding["locations"] as? [[String: Any]]) ?? []).contains { $0["blob"] as? String == lost }
      }, "a pruned blob is no finding")

    // A repack makes a pack the cache does not know whole: listed and looked up again, same answer.
    _ = try repo.git("repack", "-a", "-d", "-q")
    try repo.write("docs/a.md", "a\n")
    _ = try repo.commitAll("fourth")
    let (third, thirdRun) = try Fairscan.json(
      ["repo", repo.path, "--only-rules", rules], environment: ["FAIRSCAN_TRACE": "1"])
    XCTAssertFalse(thirdRun.stderrText.contains("known whole left out"), thirdRun.stderrText)
    XCTAssertEqual(summary(third, "blobs_scanned"), 1)
    XCTAssertEqual(try comparable(third), try comparable(try scan(repo, ["--no-cache"]).report))

    // A deleted branch needs the whole walk, over every object, packs left out or not.
    _ = try scan(repo)
    _ = try repo.git("branch", "-D", "side")
    try repo.write("docs/b.md", "b\n")
    _ = try repo.commitAll("fifth")
    let (fourth, fourthRun) = try tracedScan(repo)
    XCTAssertTrue(fourthRun.contains("history walk"), fourthRun)
    XCTAssertEqual(try comparable(fourth), try comparable(try scan(repo, ["--no-cache"]).report))
  }

  /// Objects without hits are kept as packed id lists (a few rows, issue 12), the rest one row each.
  func testObjectsWithoutHitsAreKeptAsPackedIdLists() throws {
    let repo = try repository()
    for n in 0..<30 {
      try repo.write("docs/page\(n).md", "page \(n)\n")
      _ = try repo.commitAll("page \(n)")
    }
    let (first, _) = try scan(repo)
    XCTAssertEqual(first.findings.count, 2)
    let rows = try query(
      cacheFile(repo),
      "select (select count(*) from objects), (select count(*) from known), (select sum(length(ids)) / 20 from known)"
    )
    .split(separator: " ").compactMap { Int($0) }
    let objects = try repo.git("count-objects", "-v").split(separator: "\n").first { $0.hasPrefix("count:") }
    XCTAssertEqual(rows.count, 3)
    XCTAssertEqual(rows[0], 2, "one row per blob with hits")
    XCTAssertLessThanOrEqual(rows[1], 2, "clean objects and objects with nothing to scan: one list each")
    XCTAssertEqual(rows[0] + rows[2], Int(objects?.split(separator: " ").last ?? ""), "every object known")
    let (second, _) = try scan(repo)
    XCTAssertEqual(summary(second, "blobs_scanned"), 0)
    XCTAssertEqual(try comparable(second), try comparable(first))
  }

  /// An unchanged repository is recognised without listing its objects (pack checksums and loose
  /// ids); an object no ref reaches, added with refs unchanged, still changes it.
  func testAnObjectNoRefReachesIsNoticedAndRepackingReusesTheCache() throws {
    let repo = try repository()
    let (first, _) = try scan(repo)
    _ = try repo.git("gc", "-q")
    let (packed, _) = try scan(repo)
    XCTAssertEqual(summary(packed, "blobs_scanned"), 0, "the same objects in a pack: none read again")
    XCTAssertEqual(try comparable(packed), try comparable(first))
    let blob = try repo.git("hash-object", "-w", "--stdin", input: "lost: \(TestRules.token(TestRules.secretC))\n")
    let (lost, result) = try scan(repo)
    XCTAssertEqual(result.status, 1, result.stderrText)
    XCTAssertEqual(summary(lost, "blobs_scanned"), 1, "the new loose object, and only it")
    XCTAssertTrue(
      lost.findings.contains {
        (($0["locations"] as? [[String: Any]]) ?? []).contains { $0["blob"] as? String == blob }
      })
  }

  /// A scan with FAIRSCAN_TRACE on: which attribution walk ran (issue 12).
  func tracedScan(_ repo: GitFixture) throws -> (report: [String: Any], walk: String) {
    let (report, result) = try Fairscan.json(
      ["repo", repo.path, "--only-rules", rules], environment: ["FAIRSCAN_TRACE": "1"])
    let walks = result.stderrText.split(separator: "\n").filter { $0.contains("trace: attribute") }
    return (report, walks.map { String($0) }.joined(separator: "; "))
  }

  /// After new commits, only they are walked, and the findings are those of a scan without cache:
  /// a new secret, an old secret copied to a new path, a commit message with a secret.
  func testNewCommitsAloneAreWalkedWithTheSameFindings() throws {
    let repo = try repository()
    let (first, firstWalk) = try tracedScan(repo)
    XCTAssertEqual(first.findings.count, 2)
    XCTAssertTrue(firstWalk.contains("history walk"), firstWalk)
    try repo.write("src/more.txt", "m: \(TestRules.token(TestRules.secretC))\n")
    try repo.write("copy/keys.txt", "k: \(TestRules.token(TestRules.secretB))\n")  // src/keys.txt's bytes, a new path
    _ = try repo.commitAll("third")
    _ = try repo.git("commit", "-q", "--allow-empty", "-m", "note \(TestRules.token(TestRules.secretD))")
    let (second, walk) = try tracedScan(repo)
    XCTAssertTrue(walk.contains("attribute (new commits)") && !walk.contains("history walk"), walk)
    let uncached = try scan(repo, ["--no-cache"]).report
    XCTAssertEqual(try comparable(second), try comparable(uncached))
    XCTAssertEqual(second.findings.count, 5, "A, B at two paths, C, D in a message")
    // And once more unchanged: the stored record is the combined one.
    let (third, thirdWalk) = try tracedScan(repo)
    XCTAssertEqual(thirdWalk, "")
    XCTAssertEqual(try comparable(third), try comparable(uncached))
  }

  /// A secret a new commit repeats, in its message or at a path the record knows, is placed at
  /// the new commit as well: what the record placed before does not hide it.
  func testASecretRepeatedByANewCommitIsPlacedThereToo() throws {
    let repo = try repository()
    let message = "note \(TestRules.token(TestRules.secretD))"
    _ = try repo.git("commit", "-q", "--allow-empty", "-m", message)
    _ = try scan(repo)
    _ = try repo.git("commit", "-q", "--allow-empty", "-m", message)  // the same message, the same place in it
    try repo.write("config/app.env", "token = \(TestRules.token(TestRules.secretA))\n")  // deleted, back again
    _ = try repo.commitAll("the env file again")
    let (report, walk) = try tracedScan(repo)
    XCTAssertTrue(walk.contains("attribute (new commits)") && !walk.contains("history walk"), walk)
    XCTAssertEqual(try comparable(report), try comparable(try scan(repo, ["--no-cache"]).report))
  }

  /// What a scan of new commits learnt is kept (written with its history record, in one
  /// transaction), and so is what it learnt when it had to walk in full: the next commit's scan
  /// reads only that commit's blob.
  func testWhatAScanOfNewCommitsLearntIsKept() throws {
    let repo = try repository()
    _ = try scan(repo)
    var walks: [String] = []
    for (step, secret) in [TestRules.secretC, TestRules.secretD, TestRules.secretA].enumerated() {
      if step == 2 { _ = try repo.git("branch", "-q", "-D", "side") }  // the walk must be whole this time
      try repo.write("src/new\(step).txt", "n: \(TestRules.token(secret)) \(step)\n")
      _ = try repo.commitAll("commit \(step)")
      let (report, walk) = try tracedScan(repo)
      walks.append(walk)
      XCTAssertEqual(summary(report, "blobs_scanned"), 1, "step \(step): only the new file's blob (\(walk))")
      XCTAssertEqual(summary(report, "commits_scanned"), 1, "step \(step)")
      XCTAssertEqual(try comparable(report), try comparable(try scan(repo, ["--no-cache"]).report), "step \(step)")
    }
    XCTAssertTrue(walks[1].contains("attribute (new commits)") && !walks[1].contains("history walk"), walks[1])
    XCTAssertTrue(walks[2].contains("history walk"), walks[2])
    // And once more after the whole walk: the objects it learnt are known.
    try repo.write("docs/last.md", "last\n")
    _ = try repo.commitAll("last")
    let (last, walk) = try tracedScan(repo)
    XCTAssertEqual(summary(last, "blobs_scanned"), 1, walk)
    XCTAssertTrue(walk.contains("attribute (new commits)"), walk)
  }

  /// What the record cannot speak for makes a full walk: a deleted branch (its commits now
  /// unreachable), an amended tip (the old one unreachable), a dangling commit no ref reaches.
  func testChangedOrDeletedRefsWalkInFull() throws {
    let repo = try repository()
    _ = try repo.git("checkout", "-q", "side")
    try repo.write("side.txt", "s: \(TestRules.token(TestRules.secretC))\n")
    _ = try repo.commitAll("on side")
    _ = try repo.git("checkout", "-q", "main")
    _ = try tracedScan(repo)
    _ = try repo.git("branch", "-q", "-D", "side")
    var (report, walk) = try tracedScan(repo)
    XCTAssertTrue(walk.contains("history walk"), "deleted branch: \(walk)")
    XCTAssertEqual(try comparable(report), try comparable(try scan(repo, ["--no-cache"]).report))

    try repo.write("README.md", "hello again\n")
    _ = try repo.git("commit", "-q", "-a", "--amend", "-m", "amended")
    (report, walk) = try tracedScan(repo)
    XCTAssertTrue(walk.contains("history walk"), "amended tip: \(walk)")
    XCTAssertEqual(try comparable(report), try comparable(try scan(repo, ["--no-cache"]).report))

    let tree = try repo.git("write-tree")
    _ = try repo.git("commit-tree", tree, "-p", "HEAD", "-m", "dangling \(TestRules.token(TestRules.secretD))")
    (report, walk) = try tracedScan(repo)
    XCTAssertTrue(walk.contains("history walk"), "dangling commit: \(walk)")
    XCTAssertEqual(try comparable(report), try comparable(try scan(repo, ["--no-cache"]).report))
  }

  func testOtherRulesOrSettingsRescanEverything() throws {
    let repo = try repository()
    let (first, _) = try scan(repo)
    let all = summary(first, "blobs_scanned")
    let text = try String(contentsOfFile: rules, encoding: .utf8)
    // A new name changes no match: the cache still applies, and the report shows the new name.
    let renamed = try TemporaryFolder.make().path + "/rules.yml"
    try text.replacingOccurrences(of: "name: Test token", with: "name: Test token v2")
      .write(toFile: renamed, atomically: true, encoding: .utf8)
    let (named, _) = try Fairscan.json(["repo", repo.path, "--only-rules", renamed])
    XCTAssertEqual(summary(named, "blobs_scanned"), 0)
    XCTAssertEqual(named.findings.first?["rule_name"] as? String, "Test token v2")
    // A new pattern is a new rules digest: everything is scanned again.
    let changed = try TemporaryFolder.make().path + "/rules.yml"
    try text.replacingOccurrences(of: "{24})\\b", with: "{24})(?![A-Za-z0-9])")
      .write(toFile: changed, atomically: true, encoding: .utf8)
    XCTAssertNotEqual(try String(contentsOfFile: changed, encoding: .utf8), text)
    let (other, _) = try Fairscan.json(["repo", repo.path, "--only-rules", changed])
    XCTAssertEqual(summary(other, "blobs_scanned"), all, "new rules digest: everything scanned again")
    XCTAssertEqual(other.findings.count, 2)
    let (smaller, _) = try scan(repo, ["--max-file-size", "10"])
    XCTAssertEqual(summary(smaller, "cached_objects"), 0, "another size cap: nothing reused")
    // How deep archives are opened, or whether at all, is part of the key too (after a default scan).
    XCTAssertEqual(summary(try scan(repo).report, "blobs_scanned"), all)
    for depth in ["2", "0", "2"] {
      let (report, run) = try scan(repo, ["--max-archive-depth", depth])
      XCTAssertEqual(summary(report, "cached_objects") ?? 0, 0, "archive depth \(depth): nothing reused")
      XCTAssertEqual(summary(report, "blobs_scanned"), all, run.stderrText)
      let (again, _) = try scan(repo, ["--max-archive-depth", depth])
      XCTAssertEqual(summary(again, "blobs_scanned"), 0, "archive depth \(depth) again: all reused")
    }
  }

  func testACorruptOrForeignCacheIsIgnoredWithAWarningAndRebuilt() throws {
    let repo = try repository()
    let expected = try comparable(try scan(repo, ["--no-cache"]).report)
    XCTAssertFalse(FileManager.default.fileExists(atPath: cacheFile(repo)), "--no-cache writes nothing")
    _ = try scan(repo)

    // Garbage over the file, then a foreign SQLite database, then one damaged row.
    let damage: [(String, () throws -> Void)] = [
      ("garbage", { try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: self.cacheFile(repo))) }),
      (
        "foreign",
        {
          try FileManager.default.removeItem(atPath: self.cacheFile(repo))
          try self.sqlite(
            self.cacheFile(repo),
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('format', 'something-else');"
          )
        }
      ),
      (
        "row",
        {
          _ = try self.scan(repo)
          try self.sqlite(
            self.cacheFile(repo), "UPDATE objects SET hits = X'7B7D' WHERE kind = 2; DELETE FROM history;")
        }
      ),
      (
        "list",
        {
          _ = try self.scan(repo)
          try self.sqlite(self.cacheFile(repo), "UPDATE known SET ids = substr(ids, 1, 30)")
        }
      ),
      (
        "truncated",
        {
          _ = try self.scan(repo)
          // The last page cut off: SQLite finds the file shorter than its header says.
          let pageSize = try XCTUnwrap(UInt64(try self.query(self.cacheFile(repo), "PRAGMA page_size")))
          let file = try FileHandle(forWritingTo: URL(fileURLWithPath: self.cacheFile(repo)))
          try file.truncate(atOffset: try file.seekToEnd() - pageSize)
          try file.close()
        }
      ),
    ]
    for (what, spoil) in damage {
      try spoil()
      let (report, result) = try scan(repo)
      XCTAssertEqual(result.status, 1, "\(what): \(result.stderrText)")
      XCTAssertTrue(result.stderrText.contains("ignoring the scan cache"), "\(what): \(result.stderrText)")
      XCTAssertEqual(try comparable(report), expected, "\(what): never a wrong result")
      XCTAssertGreaterThan(summary(report, "blobs_scanned") ?? 0, 0, "\(what): everything read again")
      let (again, againRun) = try scan(repo)
      XCTAssertEqual(summary(again, "blobs_scanned"), 0, "\(what): rebuilt and used")
      XCTAssertFalse(againRun.stderrText.contains("ignoring"), againRun.stderrText)
    }
  }

  /// Damage the open does not read (the history record's page): the scan that meets it reads
  /// the history again, gets the same findings, and deletes the file when its write meets the
  /// damage; the next scan rebuilds it without a word, the one after uses it.
  func testADamagedPageMetByAWriteDeletesTheCacheAndTheNextScanRebuildsIt() throws {
    let repo = try repository()
    let expected = try comparable(try scan(repo, ["--no-cache"]).report)
    _ = try scan(repo)
    // The history table's one page, its b-tree page type zeroed (no such type).
    let root = try XCTUnwrap(
      Int(try query(cacheFile(repo), "SELECT rootpage FROM sqlite_master WHERE name = 'history'")))
    let pageSize = try XCTUnwrap(Int(try query(cacheFile(repo), "PRAGMA page_size")))
    let file = try FileHandle(forUpdating: URL(fileURLWithPath: cacheFile(repo)))
    try file.seek(toOffset: UInt64((root - 1) * pageSize))
    try file.write(contentsOf: Data([0]))
    try file.close()

    let (damaged, damagedRun) = try scan(repo)
    XCTAssertEqual(damagedRun.status, 1, damagedRun.stderrText)
    XCTAssertEqual(try comparable(damaged), expected, "never a wrong result")
    XCTAssertTrue(
      damagedRun.stderrText.contains("is damaged") && damagedRun.stderrText.contains("the next scan rebuilds it"),
      damagedRun.stderrText)
    XCTAssertFalse(FileManager.default.fileExists(atPath: cacheFile(repo)), "the damaged file is deleted")

    let (rebuilt, rebuiltRun) = try scan(repo)
    XCTAssertEqual(try comparable(rebuilt), expected)
    XCTAssertFalse(rebuiltRun.stderrText.contains("damaged"), rebuiltRun.stderrText)
    XCTAssertGreaterThan(summary(rebuilt, "blobs_scanned") ?? 0, 0, "everything read again")
    let (again, _) = try scan(repo)
    XCTAssertEqual(try comparable(again), expected)
    XCTAssertEqual(summary(again, "blobs_scanned"), 0, "rebuilt and used")
  }

  /// One row of a query, space-separated, read with Python's sqlite3.
  func query(_ path: String, _ sql: String) throws -> String {
    let result = try Run.process(
      "/usr/bin/env",
      [
        "python3", "-c", "import sqlite3,sys; print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())",
        path, sql,
      ])
    guard result.status == 0 else { throw FixtureError("sqlite: \(result.stderrText)") }
    return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Runs SQL on a database file with Python's sqlite3 (the test suite's helper language).
  func sqlite(_ path: String, _ sql: String) throws {
    let result = try Run.process(
      "/usr/bin/env",
      [
        "python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
        path, sql,
      ])
    guard result.status == 0 else { throw FixtureError("sqlite: \(result.stderrText)") }
  }
}
