import XCTest
import FairScanRegex

/// The SIMD base64 run search against a plain loop, on random text at every alignment.
final class ByteRunsTests: XCTestCase {
  static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=".utf8)

  func naive(_ bytes: [UInt8], minimum: Int) -> [Range<Int>] {
    var runs: [Range<Int>] = []
    var i = 0
    while i < bytes.count {
      guard Self.alphabet.contains(bytes[i]) else { i += 1; continue }
      var j = i
      while j < bytes.count && Self.alphabet.contains(bytes[j]) { j += 1 }
      if j - i >= minimum { runs.append(i..<j) }
      i = j
    }
    return runs
  }

  func testAgreesWithAPlainLoopAtEveryAlignment() {
    var rng = SystemRandomNumberGenerator()
    // Mostly base64 bytes, so runs of every length cross the 64-byte words.
    let inside = Array(Self.alphabet), outside: [UInt8] = [0x20, 0x0A, 0x22, 0x3A, 0x00, 0x80, 0xFF, 0x7F, 0x40]
    for round in 0..<300 {
      let breakEvery = [3, 9, 17, 40, 200][round % 5]
      let text = (0..<Int.random(in: 0...700, using: &rng)).map { _ in
        Int.random(in: 0..<breakEvery, using: &rng) == 0
          ? outside.randomElement(using: &rng)! : inside.randomElement(using: &rng)!
      }
      for minimum in [1, 16, 33, 64] {
        for shift in [0, 1, 7, 15, 31, 63] {
          var buffer = [UInt8](repeating: 0x41, count: text.count + 128)
          buffer.replaceSubrange(shift..<(shift + text.count), with: text)
          // Every implementation this CPU has: the plain loop, SSE2 and AVX2 on x86-64.
          for level in 0...ByteRuns.bestLevel {
            let runs = buffer.withUnsafeBytes {
              ByteRuns.base64(
                in: UnsafeRawBufferPointer(rebasing: $0[shift..<(shift + text.count)]), minimum: minimum, level: level)
            }
            XCTAssertEqual(runs, naive(text, minimum: minimum), "minimum \(minimum) shift \(shift) level \(level)")
          }
        }
      }
    }
  }

  /// Each of the 256 byte values, at each position of a 64-byte word, in or out of a run as
  /// the alphabet says (the AVX2 level classifies by nibble lookups, not by compares).
  func testEveryByteValueAtEveryPositionOfAWord() {
    for value in 0...255 {
      let byte = UInt8(value)
      for position in 0..<64 {
        var text = [UInt8](repeating: UInt8(ascii: "Q"), count: 128)
        text[position] = byte
        for level in 0...ByteRuns.bestLevel {
          let runs = text.withUnsafeBytes { ByteRuns.base64(in: $0, minimum: 1, level: level) }
          XCTAssertEqual(runs, naive(text, minimum: 1), "byte \(value) at \(position), level \(level)")
        }
      }
    }
  }

  func testManyRunsAndEdges() {
    // More runs than one call returns (256), runs touching both ends, and nothing.
    let text = Array((0..<700).map { _ in "ABCDEFGHIJKLMNOPQ " }.joined().utf8)
    let runs = text.withUnsafeBytes { ByteRuns.base64(in: $0, minimum: 16) }
    XCTAssertEqual(runs.count, 700)
    XCTAssertEqual(runs.first, 0..<17)
    XCTAssertEqual([UInt8]().withUnsafeBytes { ByteRuns.base64(in: $0, minimum: 16) }, [])
    let whole = Array(String(repeating: "Zm9v", count: 40).utf8)
    XCTAssertEqual(whole.withUnsafeBytes { ByteRuns.base64(in: $0, minimum: 16) }, [0..<160])
  }
}
