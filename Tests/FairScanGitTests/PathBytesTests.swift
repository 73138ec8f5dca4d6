import FairScanTestSupport
import XCTest

@testable import FairScanGit

/// PathBytes is lossless: any byte string comes back exactly, and a UTF-8 path is its own String.
final class PathBytesTests: XCTestCase {
  func testEveryByteStringRoundTrips() {
    var random = SplitMix(state: 11)
    // Bytes biased towards UTF-8 lead and continuation bytes, where decoders go wrong.
    let alphabet: [UInt8] = [
      0x00, 0x2F, 0x41, 0x7F, 0x80, 0x8F, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFE, 0xFF,
    ]
    for _ in 0..<20_000 {
      let count = Int.random(in: 0...12, using: &random)
      let bytes = (0..<count).map { _ in
        Bool.random(using: &random)
          ? alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
      }
      let path = PathBytes.string(bytes)
      XCTAssertEqual(PathBytes.bytes(path), bytes, "\(bytes)")
      XCTAssertEqual(
        PathBytes.isExact(path),
        String(validating: bytes, as: UTF8.self).map { PathBytes.string(Array($0.utf8)) == $0 } ?? false)
    }
  }

  func testUTF8PathsAreUnchangedAndOthersKeepTheirBytes() {
    XCTAssertEqual(PathBytes.string(Array("dir/naïve €.txt".utf8)), "dir/naïve €.txt")
    let odd: [UInt8] = [0xFF, 0xFE] + Array(".txt".utf8)
    let path = PathBytes.string(odd)
    XCTAssertFalse(PathBytes.isExact(path))
    XCTAssertEqual(PathBytes.display(path), "\u{FFFD}\u{FFFD}.txt")
    XCTAssertEqual(PathBytes.quoted(path), "\"\\377\\376.txt\"")
    // A scalar that is itself in the private range PathBytes uses is kept as its bytes too.
    let privateUse = Array("\u{10FF41}".utf8)
    XCTAssertEqual(PathBytes.bytes(PathBytes.string(privateUse)), privateUse)
    // A truncated sequence: each of its bytes is kept.
    let cut: [UInt8] = [0x61, 0xE2, 0x82, 0x62]
    XCTAssertEqual(PathBytes.bytes(PathBytes.string(cut)), cut)
  }
}
