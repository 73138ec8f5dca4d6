import FairScanArchive
import FairScanTestSupport
import Foundation
import XCTest
@testable import FairScanKit

/// The engine inside archives: member hits, where they are placed, skips, the cache's record.
final class ArchiveScanTests: XCTestCase {
  let rule = Rule(id: "t.x", name: "x", pattern: "tok_(?<secret>[a-z0-9]{8})", keywords: ["tok_"])
  let env = Array("# config\nAPP_TOKEN=tok_q7xk2mzp\n".utf8)

  func worker(_ rules: [Rule]? = nil) throws -> ScanWorker {
    try ScanWorker(ruleSet: try RuleSet(rules: rules ?? [rule]))
  }

  func testMemberHitsCarryTheMemberAndTheirPositionWithinIt() throws {
    let zip = try ArchiveFixture.zip([("README", Array("nothing\n".utf8)), ("config/app.env", env)])
    let scan = try worker().scan(zip, path: "bundle.zip")
    XCTAssertEqual(scan.hits.count, 1)
    let hit = try XCTUnwrap(scan.hits.first)
    XCTAssertEqual(hit.member, "config/app.env")
    XCTAssertEqual(hit.secret, Array("q7xk2mzp".utf8))
    XCTAssertEqual(hit.position.line, 2)
    XCTAssertEqual(hit.position.column, 15)
    XCTAssertEqual(hit.position.byteOffset, 9 + 14)
    XCTAssertEqual(scan.skipped, [])
    let location = FindingCollector.location(hit, source: .file, path: "dist/bundle.zip")
    XCTAssertEqual(location.path, "dist/bundle.zip!config/app.env")
    XCTAssertEqual(location.member, "config/app.env")
    XCTAssertEqual(location.containerPath, "dist/bundle.zip")
  }

  func testSameBytesSameHitsWithOrWithoutAPath() throws {
    let jar = try ArchiveFixture.zip([("META-INF/app.properties", env)])
    let tgz = try ArchiveFixture.tar([("lib/inner.jar", jar)], compression: "z")
    let w = try worker()
    let known = w.scan(tgz, path: "outer.tar.gz").hits
    let unknown = w.scan(tgz, path: nil).hits
    XCTAssertEqual(known, unknown)
    XCTAssertEqual(known.map(\.member), ["lib/inner.jar!META-INF/app.properties"])
    XCTAssertEqual(
      FindingCollector.location(known[0], source: .blob, path: "outer.tar.gz").path,
      "outer.tar.gz!lib/inner.jar!META-INF/app.properties")
  }

  func testBareStreamMemberIsNamedWhereItIsPlaced() throws {
    let gz = try ArchiveFixture.compress(env, with: "gzip")
    let hit = try XCTUnwrap(try worker().scan(gz, path: nil).hits.first)
    XCTAssertEqual(hit.member, ArchivePath.unnamed)
    let location = FindingCollector.location(hit, source: .file, path: "deploy/app.env.gz")
    XCTAssertEqual(location.path, "deploy/app.env.gz!app.env")
    XCTAssertEqual(location.member, "app.env")
    XCTAssertEqual(location.containerPath, "deploy/app.env.gz")
  }

  func testRulePathFiltersSeeTheMemberPath() throws {
    let only = Rule(
      id: "t.p", name: "p", pattern: "tok_[a-z0-9]{8}", keywords: ["tok_"], paths: PathFilter(include: ["**/*.env"]))
    let zip = try ArchiveFixture.zip([("config/app.env", env), ("config/app.txt", env)])
    let w = try worker([only])
    XCTAssertEqual(w.scan(zip, path: "bundle.zip").hits.map(\.member), ["config/app.env"])
    // Without a path every rule runs; the collector then filters on the placed path.
    let hits = w.scan(zip, path: nil).hits
    XCTAssertEqual(hits.count, 2)
    var collector = FindingCollector(ruleSet: w.ruleSet, excludePaths: [])
    collector.add(hits, at: "bundle.zip") { FindingCollector.location($0, source: .blob, path: "bundle.zip") }
    let findings = collector.findings(showSecrets: false, headBlobs: nil, worktreeScanned: false)
    XCTAssertEqual(findings.map(\.path), ["bundle.zip!config/app.env"])
  }

  func testFoldersInsideArchivesCountForGlobsAndTestVectors() throws {
    let vectors = Rule(
      id: "vectors.v", name: "v", pattern: "tok_(?<secret>[a-z0-9]{8})", keywords: ["tok_"], testVectors: true)
    let filtered = Rule(
      id: "filtered.f", name: "f", pattern: "tok_(?<secret>[a-z0-9]{8})", keywords: ["tok_"],
      paths: PathFilter(exclude: ["**/testdata/**"]))
    let zip = try ArchiveFixture.zip([("test/app.env", env), ("testdata/app.env", env), ("src/app.env", env)])
    let w = try worker([vectors, filtered])
    XCTAssertEqual(
      w.scan(zip, path: "lib.zip").hits.filter { $0.ruleIndex == 1 }.map(\.member), ["test/app.env", "src/app.env"])
    var collector = FindingCollector(ruleSet: w.ruleSet, excludePaths: ["lib.zip!src/**"])
    collector.add(w.scan(zip, path: nil).hits, at: "lib.zip") {
      FindingCollector.location($0, source: .blob, path: "lib.zip")
    }
    let findings = collector.findings(showSecrets: false, headBlobs: nil, worktreeScanned: false)
    XCTAssertEqual(findings.filter { $0.ruleID == "filtered.f" }.map(\.path), ["lib.zip!test/app.env"])
    let demoted = findings.filter { $0.ruleID == "vectors.v" }
    XCTAssertEqual(demoted.map(\.path).sorted(), ["lib.zip!test/app.env", "lib.zip!testdata/app.env"])
    XCTAssertTrue(demoted.allSatisfy { $0.severity == .info })
    XCTAssertEqual(ArchivePath.matchingPath("a/lib.zip", "x.jar!META-INF/k"), "a/lib.zip/x.jar/META-INF/k")
  }

  func testExcludingTheArchiveExcludesItsMembers() throws {
    let zip = try ArchiveFixture.zip([("config/app.env", env)])
    let w = try worker()
    var collector = FindingCollector(ruleSet: w.ruleSet, excludePaths: ["**/*.zip"])
    collector.add(w.scan(zip, path: nil).hits, at: "dist/bundle.zip") {
      FindingCollector.location($0, source: .blob, path: "dist/bundle.zip")
    }
    XCTAssertTrue(collector.findings(showSecrets: false, headBlobs: nil, worktreeScanned: false).isEmpty)
  }

  func testSkipsComeBackRelativeAndArePlacedUnderTheContainer() throws {
    let zip = try ArchiveFixture.zip([("../evil.env", env), ("ok.env", env)])
    let scan = try worker().scan(zip, path: nil)
    XCTAssertEqual(scan.hits.map(\.member), ["ok.env"])
    XCTAssertEqual(scan.skipped.map(\.path), ["../evil.env"])
    XCTAssertEqual(scan.skipped.first?.reason, .archiveLimit)
    let placed = scan.skipped.map { $0.placed(in: "a.zip", blob: "ab") }
    XCTAssertEqual(placed.first?.path, "a.zip!../evil.env")
    XCTAssertEqual(placed.first?.blob, "ab")
    XCTAssertNotNil(ArchiveSkips.incompleteReason(placed))
    let encrypted = SkippedItem(path: "x", reason: .encrypted)
    XCTAssertNil(ArchiveSkips.incompleteReason([encrypted, SkippedItem(path: "y", reason: .tooLarge, size: 3)]))
  }

  func testUnreadableArchiveIsAlsoScannedAsBytes() throws {
    let bytes = [0x50, 0x4B, 0x03, 0x04] + Array(" garbage APP_TOKEN=tok_q7xk2mzp\n".utf8)
    let scan = try worker().scan(bytes, path: "broken.zip")
    XCTAssertEqual(scan.hits.map(\.member), [nil])
    XCTAssertEqual(scan.skipped.first?.reason, .unreadable)
    XCTAssertEqual(scan.skipped.first?.path, "")
    XCTAssertEqual(scan.skipped.first?.placed(in: "broken.zip").path, "broken.zip")
  }

  func testArchivesOffScansTheBytesAsTheyAre() throws {
    let tar = try ArchiveFixture.tar([("app.env", env)])
    let w = try worker()
    w.archiveLimits = nil
    let hits = w.scan(tar, path: nil).hits
    XCTAssertEqual(hits.map(\.member), [nil])
  }

  func testTheCacheKeepsTheMember() throws {
    let zip = try ArchiveFixture.zip([("config/app.env", env)])
    let w = try worker()
    let hits = w.scan(zip, path: nil).hits
    let back = try CacheRecord.hits(from: try CacheRecord.hits(hits, ruleIDs: ["t.x"]), ruleIndex: ["t.x": 0])
    XCTAssertEqual(back.map(\.member), ["config/app.env"])
    XCTAssertEqual(back.map(\.position), hits.map(\.position))
  }
}
