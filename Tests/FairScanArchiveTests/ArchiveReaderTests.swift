import FairScanArchive
import FairScanTestSupport
import Foundation
import XCTest

/// Archives made at test time by the real tools, read back through libarchive.
final class ArchiveReaderTests: XCTestCase {
  let env = Array("FAIR_API_KEY=abc\n".utf8)

  /// Every regular member, in order, with its bytes as text.
  func members(_ content: [UInt8], limits: ArchiveLimits = ArchiveLimits()) throws -> ([(String, String)], ArchiveWalk)
  {
    var seen: [(String, String)] = []
    let walk = try XCTUnwrap(
      ArchiveReader.forEachMember(of: content, limits: limits) { name, bytes in
        seen.append((name, String(decoding: bytes, as: UTF8.self)))
      })
    return (seen, walk)
  }

  func testFormatsAreToldByContentNotName() throws {
    let zip = try ArchiveFixture.zip([("a.txt", env)])
    XCTAssertEqual(ArchiveFormat.detect(zip), .zip)
    XCTAssertEqual(ArchiveFormat.detect(try ArchiveFixture.tar([("a.txt", env)])), .tar)
    XCTAssertEqual(ArchiveFormat.detect(try ArchiveFixture.tar([("a.txt", env)], compression: "z")), .gzip)
    XCTAssertEqual(ArchiveFormat.detect(try ArchiveFixture.compress(env, with: "bzip2")), .bzip2)
    XCTAssertEqual(ArchiveFormat.detect(try ArchiveFixture.compress(env, with: "xz")), .xz)
    XCTAssertNil(ArchiveFormat.detect(env))
    XCTAssertNil(ArchiveFormat.detect(Array("BZh9 is not bzip2 without its block marker\n".utf8)))
    XCTAssertNil(ArchiveFormat.detect(Array("PK".utf8)))
    XCTAssertNil(ArchiveReader.forEachMember(of: env) { _, _ in XCTFail("not an archive") })
  }

  func testZipMembersWithTheirPathsFoldersPassedOver() throws {
    let zip = try ArchiveFixture.zip([("config/", []), ("config/app.env", env), ("README", Array("hi\n".utf8))])
    let (seen, walk) = try members(zip)
    XCTAssertEqual(seen.map(\.0), ["config/app.env", "README"])
    XCTAssertEqual(seen.first?.1, "FAIR_API_KEY=abc\n")
    XCTAssertEqual(walk.skips, [])
    XCTAssertEqual(walk.members, 3)
    XCTAssertFalse(walk.unreadable)
  }

  func testTarPlainAndCompressed() throws {
    for compression in [nil, "z", "j", "J"] {
      let tar = try ArchiveFixture.tar(
        [("config/app.env", env), ("b.txt", Array("b\n".utf8))], compression: compression)
      let (seen, walk) = try members(tar)
      XCTAssertEqual(seen.map(\.0), ["config/app.env", "b.txt"], compression ?? "plain")
      XCTAssertEqual(seen.first?.1, "FAIR_API_KEY=abc\n")
      XCTAssertEqual(walk.skips, [])
    }
  }

  func testBareStreamIsOneUnnamedMemberNamedFromItsContainer() throws {
    for tool in ["gzip", "bzip2", "xz"] {
      let (seen, walk) = try members(try ArchiveFixture.compress(env, with: tool))
      XCTAssertEqual(seen.map(\.0), [ArchivePath.unnamed], tool)
      XCTAssertEqual(seen.first?.1, "FAIR_API_KEY=abc\n")
      XCTAssertEqual(walk.skips, [])
    }
    XCTAssertEqual(ArchivePath.join("deploy/app.env.gz", ArchivePath.unnamed), "deploy/app.env.gz!app.env")
    XCTAssertEqual(ArchivePath.join("x.TGZ", ArchivePath.unnamed + "!a"), "x.TGZ!x.tar!a")
    XCTAssertEqual(ArchivePath.join("(stdin)", ArchivePath.unnamed), "(stdin)!(decompressed)")
    XCTAssertEqual(ArchivePath.join("b.zip", "config/app.env"), "b.zip!config/app.env")
    // Inside an archive, a bare stream is named at once after its member.
    let tar = try ArchiveFixture.tar(
      [("lib/app.env.xz", try ArchiveFixture.compress(env, with: "xz"))], compression: "z")
    XCTAssertEqual(try members(tar).0.map(\.0), ["lib/app.env.xz!app.env"])
  }

  func testNestedArchivesAreOpened() throws {
    let jar = try ArchiveFixture.zip([("META-INF/app.properties", env)])
    let tar = try ArchiveFixture.tar([("lib/inner.jar", jar), ("top.txt", Array("x\n".utf8))], compression: "z")
    let (seen, walk) = try members(tar)
    XCTAssertEqual(seen.map(\.0), ["lib/inner.jar!META-INF/app.properties", "top.txt"])
    XCTAssertEqual(walk.skips, [])
  }

  func testNestingPastTheDepthLimitIsListedAndHandedOverAsIs() throws {
    var content = try ArchiveFixture.zip([("deep.env", env)])
    for level in (1...3).reversed() { content = try ArchiveFixture.zip([("l\(level).zip", content)]) }
    let (seen, walk) = try members(content)  // l1.zip!l2.zip!l3.zip!deep.env: four levels
    XCTAssertEqual(seen.map(\.0), ["l1.zip!l2.zip!l3.zip"])
    XCTAssertEqual(walk.skips.map(\.member), ["l1.zip!l2.zip!l3.zip"])
    XCTAssertEqual(walk.skips.first?.reason, .limit)
    XCTAssertTrue(walk.skips.first?.detail.contains("deeper than 3") == true, "\(walk.skips)")
    var four = ArchiveLimits()
    four.maxDepth = 4
    XCTAssertEqual(try members(content, limits: four).0.map(\.0), ["l1.zip!l2.zip!l3.zip!deep.env"])
  }

  func testZipBombStopsQuicklyAtTheRatio() throws {
    let zeros = [UInt8](repeating: 0, count: 64 << 20)
    let bomb = try ArchiveFixture.zip([("a.env", env), ("zeros.bin", zeros), ("after.env", env)])
    XCTAssertLessThan(bomb.count, 1 << 20)
    let started = Date()
    let (seen, walk) = try members(bomb)
    XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    XCTAssertEqual(seen.map(\.0), ["a.env"])
    XCTAssertEqual(walk.skips.count, 1, "\(walk.skips)")
    XCTAssertEqual(walk.skips.first?.member, "zeros.bin")
    XCTAssertEqual(walk.skips.first?.reason, .limit)
    XCTAssertTrue(walk.skips.first?.detail.contains("100:1") == true, "\(walk.skips)")
    XCTAssertLessThanOrEqual(walk.expandedBytes, (8 << 20) + (64 << 10))
  }

  func testDeclaredSizeGivesABombAwayBeforeAnyRead() throws {
    let bomb = try ArchiveFixture.zipOfZeros(200 << 20, before: [("a.env", env)])
    let (seen, walk) = try members(bomb)
    XCTAssertEqual(seen.map(\.0), ["a.env"])
    XCTAssertEqual(walk.skips.map(\.reason), [.limit])
    XCTAssertEqual(walk.skips.first?.size, 200 << 20)
    XCTAssertLessThan(walk.expandedBytes, 1 << 10)
  }

  func testTotalBytesAndMemberSizeLimits() throws {
    let big = [UInt8](repeating: UInt8(ascii: "a"), count: 300 << 10)
    let tar = try ArchiveFixture.tar([("big.txt", big), ("small.env", env), ("big2.txt", big)])
    var limits = ArchiveLimits()
    limits.maxMemberSize = 200 << 10
    var (seen, walk) = try members(tar, limits: limits)
    XCTAssertEqual(seen.map(\.0), ["small.env"])
    XCTAssertEqual(walk.skips.map(\.reason), [.tooLarge, .tooLarge])
    XCTAssertEqual(walk.skips.first?.size, 300 << 10)
    limits = ArchiveLimits()
    limits.maxTotalBytes = 400 << 10
    (seen, walk) = try members(tar, limits: limits)
    XCTAssertEqual(seen.map(\.0), ["big.txt", "small.env"])
    XCTAssertEqual(walk.skips.map(\.member), ["big2.txt"])
    XCTAssertEqual(walk.skips.first?.reason, .limit)
  }

  func testMemberCountLimit() throws {
    let many = (0..<60).map { (name: "f\($0).txt", bytes: [UInt8]()) }
    var limits = ArchiveLimits()
    limits.maxMembers = 50
    let (seen, walk) = try members(try ArchiveFixture.zip(many), limits: limits)
    XCTAssertEqual(seen.count, 50)
    XCTAssertEqual(walk.skips.count, 1)
    XCTAssertEqual(walk.skips.first?.member, "")
    XCTAssertTrue(walk.skips.first?.detail.contains("more than 50 members") == true)
  }

  func testUnsafeNamesAreListedNotRead() throws {
    let zip = try ArchiveFixture.zip([
      ("../evil.env", env), ("/etc/abs.env", env), ("a/../../up.env", env), ("tab\there.env", env), ("ok.env", env),
    ])
    let (seen, walk) = try members(zip)
    XCTAssertEqual(seen.map(\.0), ["ok.env"])
    XCTAssertEqual(walk.skips.map(\.member), ["../evil.env", "/etc/abs.env", "a/../../up.env", "tab\there.env"])
    XCTAssertTrue(
      walk.skips.allSatisfy { $0.reason == .limit && $0.detail.hasPrefix("unsafe member name") }, "\(walk.skips)")
    XCTAssertEqual(ArchivePath.unsafeReason("C:\\x"), "absolute path")
    XCTAssertNil(ArchivePath.unsafeReason("a..b/c"))
  }

  func testEncryptedMembersAreListed() throws {
    let zip = try ArchiveFixture.encryptedZip([("locked.env", env)])
    let (seen, walk) = try members(zip)
    XCTAssertEqual(seen.count, 0)
    XCTAssertEqual(walk.skips, [ArchiveSkip(member: "locked.env", reason: .encrypted, detail: "encrypted member")])
  }

  func testTruncatedArchiveGivesWhatCouldBeRead() throws {
    let noise = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
    let tar = try ArchiveFixture.tar([("first.env", env), ("noise.bin", noise), ("last.env", env)], compression: "z")
    let (seen, walk) = try members(Array(tar.prefix(tar.count * 2 / 3)))
    XCTAssertEqual(seen.first?.0, "first.env")
    XCTAssertFalse(seen.contains { $0.0 == "last.env" })
    XCTAssertTrue(walk.skips.contains { $0.reason == .unreadable }, "\(walk.skips)")
    XCTAssertFalse(walk.unreadable)
  }

  func testGarbageAfterTheMagicIsUnreadable() throws {
    let (seen, walk) = try members([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0xEE, count: 100))
    XCTAssertTrue(seen.isEmpty)
    XCTAssertTrue(walk.unreadable)
    XCTAssertEqual(walk.skips.first?.reason, .unreadable)
    XCTAssertEqual(walk.skips.first?.member, "")
  }
}
