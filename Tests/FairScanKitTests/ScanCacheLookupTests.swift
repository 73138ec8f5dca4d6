import FairScanGit
import Foundation
import XCTest

@testable import FairScanKit

/// `ScanCache.objects(among:more:)` streams the cache's packed id lists past the ids asked about,
/// testing each listed id's first two bytes against a bit filter before the set: it must find
/// exactly what a plain lookup finds, near misses included.
final class ScanCacheLookupTests: XCTestCase {
  /// Deterministic ids (an LCG), so a failure can be run again.
  private struct IDs {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next() -> ObjectID {
      var bytes = [UInt8](repeating: 0, count: 20)
      for i in 0..<20 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes[i] = UInt8(truncatingIfNeeded: state >> 33)
      }
      return bytes.withUnsafeBytes { ObjectID(bytes: $0) }
    }
  }

  /// `id` with its last byte changed: the same first bytes, another object.
  private func neighbour(of id: ObjectID) -> ObjectID {
    var bytes = id.bytes
    bytes[19] ^= 0xFF
    return bytes.withUnsafeBytes { ObjectID(bytes: $0) }
  }

  func testALookupFindsWhatTheListsHoldAndNothingElse() throws {
    let folder = NSTemporaryDirectory() + "fairscan-cachelookup-\(UUID().uuidString)"
    addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
    let ruleSet = try RuleSet(rules: [])
    let (opened, warnings) = ScanCache.open(path: folder + "/cache.sqlite", key: "lookup-test", ruleSet: ruleSet)
    let cache = try XCTUnwrap(opened, "\(warnings)")

    var generator = IDs()
    let listed = (0..<20_000).map { _ in generator.next() }
    let clean = Set(listed.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
    let learnt = LearntObjects(ids: listed, skip: [], blobHits: [:], scannedBlobs: clean, large: [:])
    XCTAssertNil(cache.record(learnt))

    // Asked about: listed ids (clean and not), ids never listed, and never-listed neighbours of
    // listed ids, which pass the filter and must still not be found.
    let askedListed = stride(from: 0, to: listed.count, by: 97).map { listed[$0] }
    let strangers = (0..<300).map { _ in generator.next() }
    let neighbours = askedListed.prefix(100).map(neighbour(of:))
    let asked = askedListed + strangers + neighbours
    var expected: [ObjectID: CachedObject] = [:]
    for id in askedListed { expected[id] = clean.contains(id) ? .clean : .nothing }

    XCTAssertEqual(cache.objects(among: asked), expected)
    XCTAssertEqual(cache.objects(among: [], more: Set(asked)), expected, "ids given as `more` are looked up alike")
    let one = askedListed[1]
    XCTAssertEqual(cache.objects(among: [one, neighbour(of: one)]), [one: clean.contains(one) ? .clean : .nothing])
  }
}
