import XCTest
import FairScanTestSupport
@testable import FairScanGit

final class ObjectIDTests: XCTestCase {
  func testHexRoundTripAndBytes() throws {
    let hex = "0123456789abcdef00112233445566778899aabb"
    let id = try XCTUnwrap(ObjectID(hex: hex))
    XCTAssertEqual(id.hex, hex)
    XCTAssertEqual(id.description, hex)
    XCTAssertEqual(id.bytes.count, 20)
    XCTAssertEqual(id.bytes.first, 0x01)
    XCTAssertEqual(id.bytes.last, 0xbb)
    let again = id.bytes.withUnsafeBytes { ObjectID(bytes: $0) }
    XCTAssertEqual(again, id)
    XCTAssertEqual(ObjectID(hex: hex.uppercased()), id)
  }

  func testRejectsBadHex() {
    XCTAssertNil(ObjectID(hex: ""))
    XCTAssertNil(ObjectID(hex: String(repeating: "a", count: 39)))
    XCTAssertNil(ObjectID(hex: String(repeating: "g", count: 40)))
    XCTAssertNil(ObjectID(hex: String(repeating: "a", count: 41)))
  }

  func testOrderIsByteOrder() throws {
    let hexes = [
      "ff" + String(repeating: "0", count: 38),
      String(repeating: "0", count: 39) + "1",
      "00000000000000000000000000000000ffffffff",
      "0000000000000001000000000000000000000000",
    ]
    let sorted = hexes.compactMap { ObjectID(hex: $0) }.sorted().map(\.hex)
    XCTAssertEqual(sorted, hexes.sorted())
    XCTAssertEqual(MemoryLayout<ObjectID>.size, 20)
  }
}
