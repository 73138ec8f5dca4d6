import XCTest
import FairScanDigest

/// The cache file name and checksum depend on this digest being right.
final class SHA256Tests: XCTestCase {
  func testKnownVectors() {
    XCTAssertEqual(
      Hex.encode(SHA256.hash(bytes(""))), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    XCTAssertEqual(
      Hex.encode(SHA256.hash(bytes("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(
      Hex.encode(SHA256.hash(bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    XCTAssertEqual(
      Hex.encode(SHA256.hash(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))),
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
