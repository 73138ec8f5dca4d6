import Foundation
import XCTest
@testable import FairScanDigest

final class SHA512Tests: XCTestCase {
  func sha512sum(_ input: [UInt8]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha512sum")
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    stdin.fileHandleForWriting.write(Data(input))
    try stdin.fileHandleForWriting.close()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(String(decoding: output, as: UTF8.self).prefix(128))
  }

  func testKnownVectors() throws {
    XCTAssertEqual(
      SHA512.hex(Array("abc".utf8)),
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
    )
    XCTAssertEqual(
      SHA512.hex([UInt8]()),
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
    )
    // Two blocks (112 bytes push the length into a second block), checked against coreutils.
    let input = [UInt8](repeating: 0x61, count: 112)
    XCTAssertEqual(SHA512.hex(input), try sha512sum(input))
  }
}
