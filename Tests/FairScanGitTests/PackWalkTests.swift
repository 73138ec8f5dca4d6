import Foundation
import XCTest
import FairScanTestSupport
@testable import FairScanGit

/// `PackWalk` rebuilds objects from a pack by itself (libdeflate and its own delta code): every
/// object must come out byte for byte as libgit2 reads it, and what it cannot rebuild must be
/// left to the caller, never delivered wrong.
final class PackWalkTests: XCTestCase {
  /// A history whose pack holds long delta chains: one file grown over many commits, a second
  /// file edited in place, a file deleted and brought back, an annotated tag.
  private func deltaRepository(repackOptions: [String] = []) throws -> GitFixture {
    let f = try GitFixture()
    var grown = ""
    for i in 0..<40 {
      grown += "line \(i): " + String(repeating: "abcdefgh", count: 4 + i % 7) + "\n"
      try f.write("grown.txt", grown)
      try f.write("edited.txt", (0..<60).map { "row \($0) \($0 == i ? "changed" : "same")" }.joined(separator: "\n"))
      if i == 10 { try f.remove("edited.txt") }
      try f.commitID("commit \(i)")
    }
    try f.git("tag", "-a", "v1", "-m", "a tag message")
    try f.gitResult(["repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50"] + repackOptions)
    return f
  }

  private func onlyPack(_ f: GitFixture) throws -> PackFile {
    let repo = try f.open()
    let indexes = repo.packIndexPaths()
    XCTAssertEqual(indexes.count, 1)
    return try PackFile(indexPath: try XCTUnwrap(indexes.first))
  }

  /// Walks `pack` on two threads, delivering every object `wants` accepts.
  private func walk(_ pack: PackFile, wants: (ObjectID, ObjectKind?) -> Bool)
    -> (objects: [ObjectID: (ObjectKind, Data)], leftovers: [ObjectID])
  {
    let walk = PackWalk(pack: pack, maxObjectSize: 1 << 20, wants: wants)
    let delivered = Delivered()
    DispatchQueue.concurrentPerform(iterations: 2) { _ in
      let inflater = PackInflater()
      walk.work(with: inflater) { id, kind, contents in delivered.add(id, kind, Data(contents.bytes)) }
    }
    XCTAssertEqual(delivered.twice, 0, "an object was delivered twice")
    return (delivered.objects, walk.leftovers)
  }

  /// What the walk's threads delivered, under a lock.
  private final class Delivered: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var objects: [ObjectID: (ObjectKind, Data)] = [:]
    private(set) var twice = 0
    func add(_ id: ObjectID, _ kind: ObjectKind, _ bytes: Data) {
      lock.lock()
      if objects.updateValue((kind, bytes), forKey: id) != nil { twice += 1 }
      lock.unlock()
    }
  }

  private func assertSameAsLibgit2(
    _ f: GitFixture, _ objects: [ObjectID: (ObjectKind, Data)],
    file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let reader = try ObjectReader(gitDirectory: try f.open().gitDirectory)
    for (id, (kind, bytes)) in objects {
      let (expectedKind, expected) = try reader.withObject(id) { ($0, Data($1)) }
      XCTAssertEqual(kind, expectedKind, "\(id) kind", file: file, line: line)
      XCTAssertEqual(bytes, expected, "\(id) bytes", file: file, line: line)
    }
  }

  /// Counts entries by header type (6: delta by offset, 7: delta by id).
  private func entryTypes(_ pack: PackFile) throws -> [UInt8: Int] {
    let data = try Data(contentsOf: URL(fileURLWithPath: pack.path), options: .alwaysMapped)
    var counts: [UInt8: Int] = [:]
    data.withUnsafeBytes { raw in
      for entry in 0..<pack.count {
        // dataStart - header length is unknown here: parse from the entry's own offset.
        let offset = entryOffset(pack, entry)
        if let header = PackEntryHeader(raw, at: offset, end: pack.dataEnd[entry]) {
          counts[header.type, default: 0] += 1
        }
      }
    }
    return counts
  }

  private func entryOffset(_ pack: PackFile, _ entry: Int) -> Int {
    entry == 0 ? 12 : pack.dataEnd[entry - 1]
  }

  func testEveryObjectComesOutAsLibgit2ReadsIt() throws {
    let f = try deltaRepository()
    let pack = try onlyPack(f)
    let types = try entryTypes(pack)
    XCTAssertGreaterThan(types[6, default: 0], 20, "the fixture must exercise deltas by offset: \(types)")
    let (objects, leftovers) = walk(pack) { _, _ in true }
    XCTAssertEqual(leftovers, [])
    XCTAssertEqual(Set(objects.keys), Set(pack.ids))
    try assertSameAsLibgit2(f, objects)
  }

  func testDeltasByIDAreRebuiltToo() throws {
    let f = try deltaRepository()
    try f.gitResult([
      "-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50",
    ])
    let pack = try onlyPack(f)
    let types = try entryTypes(pack)
    XCTAssertGreaterThan(types[7, default: 0], 20, "the fixture must exercise deltas by id: \(types)")
    XCTAssertEqual(types[6, default: 0], 0)
    let (objects, leftovers) = walk(pack) { _, _ in true }
    XCTAssertEqual(leftovers, [])
    XCTAssertEqual(objects.count, pack.count)
    try assertSameAsLibgit2(f, objects)
  }

  func testOnlyWantedObjectsAreDelivered() throws {
    let f = try deltaRepository()
    let pack = try onlyPack(f)
    var asked: [ObjectID] = []
    let (objects, leftovers) = walk(pack) { id, kind in
      asked.append(id)
      return kind == .blob
    }
    XCTAssertEqual(asked, pack.ids, "asked once per entry, in pack order")
    XCTAssertEqual(leftovers, [])
    let blobs = Set(
      try f.git("cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)")
        .split(separator: "\n").filter { $0.hasSuffix(" blob") }.map { String($0.prefix(40)) })
    XCTAssertEqual(Set(objects.keys.map(\.hex)), blobs)
    XCTAssertTrue(objects.values.allSatisfy { $0.0 == .blob })
  }

  func testObjectsOverTheSizeLimitAreLeftWithWhatIsBuiltOnThem() throws {
    let f = try deltaRepository()
    let pack = try onlyPack(f)
    let walk = PackWalk(pack: pack, maxObjectSize: 600) { _, _ in true }
    let collected = Delivered()
    DispatchQueue.concurrentPerform(iterations: 2) { _ in
      walk.work(with: PackInflater()) { id, kind, contents in collected.add(id, kind, Data(contents.bytes)) }
    }
    XCTAssertTrue(collected.objects.values.allSatisfy { $0.1.count <= 600 })
    let delivered = Set(collected.objects.keys)
    let left = walk.leftovers
    XCTAssertFalse(left.isEmpty)
    XCTAssertEqual(delivered.count + left.count, pack.count)
    XCTAssertTrue(delivered.isDisjoint(with: left))
    let repo = try f.open()
    for id in left where try repo.header(id).size <= 600 {
      // A small object is left only because something it is built on was too large.
      XCTAssertGreaterThanOrEqual(
        pack.bases[pack.ids.firstIndex(of: id)!], 0, "\(id) is a whole object under the limit")
    }
  }

  func testDamagedEntryIsLeftWithEverythingBuiltOnIt() throws {
    let f = try deltaRepository()
    let pack = try onlyPack(f)
    // The whole object with the most deltas built on it, directly or not.
    var below = [Int](repeating: 0, count: pack.count)
    for entry in 0..<pack.count {
      var at = Int(pack.bases[entry])
      while at >= 0 { below[at] += 1; at = Int(pack.bases[at]) }
    }
    let victim = try XCTUnwrap(
      (0..<pack.count).filter { pack.bases[$0] == PackFile.none }.max { below[$0] < below[$1] })
    XCTAssertGreaterThan(below[victim], 5)
    let victimID = pack.ids[victim]
    let middle = (pack.dataStart[victim] + pack.dataEnd[victim]) / 2
    let path = pack.path
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
    try handle.seek(toOffset: UInt64(middle))
    let original = try XCTUnwrap(try handle.read(upToCount: 4))
    try handle.seek(toOffset: UInt64(middle))
    try handle.write(contentsOf: Data(original.map { ~$0 }))
    try handle.close()

    let damaged = try onlyPack(f)
    let (objects, leftovers) = walk(damaged) { _, _ in true }
    XCTAssertTrue(leftovers.contains(victimID))
    XCTAssertEqual(leftovers.count, below[victim] + 1, "the damaged object and all built on it")
    XCTAssertEqual(objects.count + leftovers.count, damaged.count)
    XCTAssertNil(objects[victimID])
    try assertSameAsLibgit2(f, objects)
  }
}

/// Git's delta instructions, applied by `PackDelta`.
final class PackDeltaTests: XCTestCase {
  private func apply(_ delta: [UInt8], to base: [UInt8]) -> [UInt8]? {
    delta.withUnsafeBytes { delta in
      base.withUnsafeBytes { base in
        guard let sizes = PackDelta.sizes(delta), sizes.base == base.count else { return nil }
        var output = [UInt8](repeating: 0, count: sizes.result)
        let ok = output.withUnsafeMutableBytes {
          PackDelta.apply(delta, from: sizes.instructions, base: base, into: $0)
        }
        return ok ? output : nil
      }
    }
  }

  func testCopyAndInsert() {
    let base = Array("hello, world".utf8)
    // base 12, result 10: copy "world" (offset 7, size 5), insert "! ", copy "hel".
    let delta: [UInt8] = [12, 10, 0x91, 7, 5, 2, 0x21, 0x20, 0x90, 3]
    XCTAssertEqual(apply(delta, to: base).map { String(decoding: $0, as: UTF8.self) }, "world! hel")
  }

  func testSizeZeroMeansSixtyFourKiB() {
    let base = [UInt8](repeating: 7, count: 0x10000)
    // base 65536 = 0x80 0x80 0x04; result the same; copy offset 0 with no size bytes.
    let delta: [UInt8] = [0x80, 0x80, 0x04, 0x80, 0x80, 0x04, 0x80]
    XCTAssertEqual(apply(delta, to: base), base)
  }

  func testMalformedDeltasFailInsteadOfReadingOutOfBounds() {
    let base = Array("0123456789".utf8)
    XCTAssertNil(apply([10, 4, 0x91, 8, 4], to: base), "copy past the end of the base")
    XCTAssertNil(apply([10, 4, 5, 0x61, 0x62], to: base), "insert past the end of the delta")
    XCTAssertNil(apply([10, 4, 0], to: base), "reserved instruction 0")
    XCTAssertNil(apply([10, 4, 0x90, 3], to: base), "result shorter than declared")
    XCTAssertNil(apply([10, 2, 0x90, 3], to: base), "result longer than declared")
    XCTAssertNil(apply([10, 0x80], to: base), "sizes cut short")
    XCTAssertNil(apply([9, 3, 0x90, 3], to: base), "base size differs")
  }
}
