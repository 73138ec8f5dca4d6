import XCTest
@testable import FairScanDigest

/// `KeyDigest`: the values a FAIR listing carries in `key_hash`, and the setting's names.
final class KeyDigestTests: XCTestCase {
  func testKnownVectors() {
    XCTAssertEqual(
      KeyDigest.sha256.digest(of: "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(KeyDigest.sha256.digest(of: ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    XCTAssertEqual(
      KeyDigest.sha256.digest(of: String(repeating: "a", count: 1000)),
      "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    XCTAssertEqual(
      KeyDigest.sha512.digest(of: "abc"),
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
    )
    XCTAssertEqual(
      KeyDigest.sha512.digest(of: String(repeating: "a", count: 1000)),
      "67ba5535a46e3f86dbfbed8cbbaf0125c76ed549ff8b0b9e03e0c88cf90fa634fa7b12b47d77b694de488ace8d9a65967dc96df599727d3292a8d9d447709c97"
    )
    XCTAssertEqual(KeyDigest.plain.digest(of: "abc"), "abc")
  }

  func testSettingNames() {
    XCTAssertEqual(KeyDigest(setting: "SHA256"), .sha256)
    XCTAssertEqual(KeyDigest(setting: "sha-512"), .sha512)
    XCTAssertEqual(KeyDigest(setting: "plaintext"), .plain)
    XCTAssertEqual(KeyDigest(setting: " sha-256\t"), .sha256)
    XCTAssertNil(KeyDigest(setting: "bcrypt"))
  }
}
