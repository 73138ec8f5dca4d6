import XCTest
import FairScanTestSupport
@testable import FairScanGit

final class ObjectListingTests: XCTestCase {
  /// A repository with a pack (after gc) and loose objects (a commit made after it).
  private func packedAndLoose() throws -> GitFixture {
    let f = try GitFixture()
    for i in 0..<5 {
      try f.write("dir\(i)/file.txt", String(repeating: "line \(i)\n", count: 50))
      try f.commitID("commit \(i)")
    }
    try f.git("gc", "-q")
    try f.write("after-gc.txt", "loose\n")
    try f.commitID("loose commit")
    return f
  }

  func testListingEqualsCatFileBatchAllObjects() throws {
    let f = try packedAndLoose()
    let listing = try f.open().listAllObjects()
    let expected = try f.git("cat-file", "--batch-all-objects", "--batch-check=%(objectname)")
      .split(separator: "\n").map(String.init)
    XCTAssertEqual(Set(listing.ids.map(\.hex)), Set(expected))
    XCTAssertEqual(listing.ids.count, expected.count, "each object once")
    XCTAssertGreaterThan(listing.packedCount, 0)
    XCTAssertGreaterThan(listing.looseCount, 0)
    XCTAssertEqual(listing.packedCount + listing.looseCount, listing.ids.count)
  }

  /// A pack's stamp names it without listing it: its checksum (the pack's name), its object
  /// count; a listing that skips it lists the loose objects alone.
  func testPackStampsAndAListingThatSkipsAPack() throws {
    let f = try packedAndLoose()
    let repo = try f.open()
    let stamps = try XCTUnwrap(repo.packStamps())
    XCTAssertEqual(stamps.count, 1)
    let (path, stamp) = stamps[0]
    XCTAssertTrue(path.hasSuffix("pack-\(stamp.checksum.hex).idx"), path)
    let inPack = try f.git("count-objects", "-v").split(separator: "\n").first { $0.hasPrefix("in-pack:") }
    XCTAssertEqual(stamp.objectCount, Int(inPack?.split(separator: " ").last ?? ""))
    let skipping = try repo.listAllObjects(skipping: [path])
    XCTAssertEqual(skipping.packedCount, 0)
    XCTAssertEqual(skipping.ids, try repo.listAllObjects().ids.suffix(skipping.ids.count))
    XCTAssertEqual(skipping.ids.count, try repo.listAllObjects().looseCount)
  }

  /// `git repack -a` without `-d` leaves every object loose as well as packed: each is listed
  /// once, as packed. A few loose copies and many take different paths through the listing.
  func testLooseCopiesOfPackedObjectsAreListedOnce() throws {
    for files in [1, 12] {
      let f = try GitFixture()
      for i in 0..<files { try f.write("f\(i).txt", "content \(i)\n") }
      try f.commitID("one")
      try f.git("repack", "-a", "-q")
      try f.write("new.txt", "only loose\n")
      try f.commitID("two")
      let listing = try f.open().listAllObjects()
      let expected = try f.git("cat-file", "--batch-all-objects", "--batch-check=%(objectname)")
        .split(separator: "\n").map(String.init)
      XCTAssertEqual(listing.ids.count, expected.count, "each object once (\(files) files)")
      XCTAssertEqual(Set(listing.ids.map(\.hex)), Set(expected))
      XCTAssertEqual(listing.packedCount, files + 2, "\(files) blobs, a tree, a commit")
      XCTAssertEqual(listing.looseCount, 3, "the second commit's blob, tree and commit")
    }
  }

  func testPackOrderIsByOffset() throws {
    let f = try packedAndLoose()
    let packDir = f.path + "/.git/objects/pack"
    let idx = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: packDir).first { $0.hasSuffix(".idx") })
    let shown = String(decoding: try f.gitData("show-index", stdinFile: packDir + "/" + idx), as: UTF8.self)
    XCTAssertFalse(shown.isEmpty)
    // show-index prints "<offset> <name> (<crc>)"; sort by offset.
    let rows = try shown.split(separator: "\n").map { line -> (UInt64, String) in
      let parts = line.split(separator: " ")
      return (try XCTUnwrap(UInt64(parts[0])), String(parts[1]))
    }
    let expected = rows.sorted { $0.0 < $1.0 }.map(\.1)
    let listing = try f.open().listAllObjects()
    XCTAssertEqual(listing.ids.prefix(listing.packedCount).map(\.hex), expected)
  }

  func testPackIndexParserWithLargeOffsets() throws {
    // Two objects; the second uses the 8-byte large-offset table.
    var bytes: [UInt8] = [0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]
    let a = [UInt8](repeating: 0x10, count: 20), b = [UInt8](repeating: 0x20, count: 20)
    for i in 0..<256 {
      let n: UInt32 = i >= 0x20 ? 2 : (i >= 0x10 ? 1 : 0)
      bytes += withUnsafeBytes(of: n.bigEndian, Array.init)
    }
    bytes += a + b
    bytes += [UInt8](repeating: 0, count: 8)  // CRCs
    bytes += withUnsafeBytes(of: UInt32(0x8000_0000).bigEndian, Array.init)  // a: large #0
    bytes += withUnsafeBytes(of: UInt32(12).bigEndian, Array.init)  // b: 12
    bytes += withUnsafeBytes(of: UInt64(5_000_000_000).bigEndian, Array.init)
    bytes += [UInt8](repeating: 0, count: 40)  // trailer
    let ids = try XCTUnwrap(bytes.withUnsafeBytes { PackIndex.parse($0) })
    XCTAssertEqual(ids.map { $0.bytes }, [b, a])
    XCTAssertNil([UInt8](repeating: 0, count: 2000).withUnsafeBytes { PackIndex.parse($0) })
  }

  func testAlternatesAreListed() throws {
    let base = try packedAndLoose()
    let clone = base.root + "/shared-clone"
    _ = try GitFixture.run(["clone", "-q", "--shared", base.path, clone], in: base.root)
    let listing = try Repository(path: clone).listAllObjects()
    let expected = try GitFixture.run(["cat-file", "--batch-all-objects", "--batch-check=%(objectname)"], in: clone)
      .split(separator: "\n").map(String.init)
    XCTAssertFalse(expected.isEmpty)
    XCTAssertEqual(Set(listing.ids.map(\.hex)), Set(expected))
  }
}
