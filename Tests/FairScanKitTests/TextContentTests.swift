import Foundation
import FairScanTestSupport
import XCTest
@testable import FairScanKit

/// Content as it comes (issue 11, section 4): line ends, columns by the README's rule,
/// UTF-16 and UTF-32 decoded with positions in the original bytes, and windows that
/// change no answer.
final class TextContentTests: XCTestCase {
  let rule = Rule(id: "t.x", name: "x", pattern: "tok_(?<secret>[a-z0-9]{8})", keywords: ["tok_"])

  func worker() throws -> ScanWorker { try ScanWorker(ruleSet: try RuleSet(rules: [rule])) }

  func hits(_ bytes: [UInt8], windows: ContentWindows? = nil) throws -> [ContentHit] {
    let worker = try worker()
    if let windows { worker.windows = windows }
    return worker.scan(bytes, path: nil).hits
  }

  // MARK: Line ends

  func testABareCREndsALine() throws {
    let text = "one\rtwo\rthree\rfour\rk = tok_q7xk2mzp\r"
    let p = try XCTUnwrap(try hits(Array(text.utf8)).first?.position)
    XCTAssertEqual(p.line, 5)
    XCTAssertEqual(p.column, 9)
    XCTAssertEqual(p.byteOffset, 19 + 8)
  }

  func testMixedLineEndsCRLFIsOneEnd() throws {
    // LF, CR LF, CR, LF CR (two ends: an LF, then a bare CR), LF LF.
    let text = "1\n2\r\n3\r4\n\r6\n\ntok_q7xk2mzp tok_a1b2c3d4\r\n"
    let found = try hits(Array(text.utf8))
    XCTAssertEqual(found.map(\.position.line), [8, 8])
    XCTAssertEqual(found.map(\.position.column), [5, 18])
    // A secret's end on its line, after the CR LF the line count is unchanged.
    XCTAssertEqual(found.map(\.position.endLine), [8, 8])
    XCTAssertEqual(found.map(\.position.endColumn), [13, 26])
  }

  func testSnippetStopsAtABareCR() throws {
    let hit = try XCTUnwrap(try hits(Array("before\rk=tok_q7xk2mzp\rafter".utf8)).first)
    XCTAssertEqual(hit.snippet, "k=tok_" + Redaction.redact(Array("q7xk2mzp".utf8)))
  }

  // MARK: Columns

  func testColumnsCountValidSequencesAndEveryOtherByte() throws {
    // Each item: bytes before the key, and the characters they are by the README's rule.
    let cases: [([UInt8], Int, String)] = [
      ([0x80, 0x80, 0xBF], 3, "stray continuation bytes"),
      ([0xC3, 0xA9], 1, "é in UTF-8"),
      ([0xE9, 0x41], 2, "Latin-1 é then A"),
      ([0xE2, 0x82], 2, "a truncated 3-byte sequence"),
      ([0xC0, 0x80], 2, "an overlong NUL"),
      ([0xED, 0xA0, 0x80], 3, "an encoded surrogate"),
      ([0xF4, 0x90, 0x80, 0x80], 4, "past U+10FFFF"),
      ([0xF0, 0x9F, 0x94, 0x91], 1, "🔑"),
      ([0xEF, 0xBB, 0xBF], 1, "a UTF-8 byte order mark"),
      ([0x7F, 0x00, 0x01], 3, "control bytes"),
      ([0xF0, 0x9F, 0x94, 0x41], 4, "a 4-byte sequence cut short"),
    ]
    for (prefix, characters, label) in cases {
      let p = try XCTUnwrap(try hits(prefix + Array(" tok_q7xk2mzp".utf8)).first?.position, label)
      XCTAssertEqual(p.column, characters + 6, label)
      XCTAssertEqual(p.byteOffset, prefix.count + 5, label)
    }
  }

  func testColumnsInBinaryContent() throws {
    // An ELF-like header, then bytes of every value: many stray continuation bytes.
    var bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]
    bytes += (0...255).map { UInt8($0) }.filter { $0 != 0x0A && $0 != 0x0D }
    bytes += Array("tok_q7xk2mzp".utf8)
    // By the rule: every byte one character, except the valid sequences in 0...255 (none: all
    // lead bytes there are followed by the next lead byte, not a continuation byte, and the
    // continuation bytes 0x80...0xBF stand alone), so the key's column is its byte offset + 1.
    let p = try XCTUnwrap(try hits(bytes).first?.position)
    XCTAssertEqual(p.byteOffset, bytes.count - 8)
    XCTAssertEqual(p.column, bytes.count - 8 + 1)
  }

  // MARK: UTF-16 and UTF-32

  static func utf32(_ text: String, bigEndian: Bool) -> [UInt8] {
    var out: [UInt8] = bigEndian ? [0, 0, 0xFE, 0xFF] : [0xFF, 0xFE, 0, 0]
    for scalar in text.unicodeScalars {
      let v = scalar.value
      let bytes = [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
      out += bigEndian ? bytes : bytes.reversed()
    }
    return out
  }

  func testUTF16IsDecodedWithPositionsInTheOriginalBytes() throws {
    // A PowerShell-like script: CR LF ends, a key on line 3 after "é🔑 " (a surrogate pair).
    let text = "# script\r\n$a = 1\r\n$key = \"é🔑 tok_q7xk2mzp\"\r\n"
    let keyUnits = Array("# script\r\n$a = 1\r\n$key = \"é🔑 tok_".utf16).count
    for (bigEndian, bom) in [(false, true), (true, true), (false, false), (true, false)] {
      let label = "big endian \(bigEndian), BOM \(bom)"
      let bytes = TextBytes.utf16(text, bigEndian: bigEndian, bom: bom)
      let hit = try XCTUnwrap(try hits(bytes).first, label)
      XCTAssertEqual(hit.secret, Array("q7xk2mzp".utf8), label)
      XCTAssertEqual(hit.position.line, 3, label)
      // `$key = "` is 8 characters, é, 🔑 (one character, two units), a space, `tok_`: the secret at 16.
      XCTAssertEqual(hit.position.column, 16, label)
      XCTAssertEqual(hit.position.endColumn, 24, label)
      XCTAssertEqual(hit.position.byteOffset, (bom ? 2 : 0) + 2 * keyUnits, label)
      XCTAssertEqual(hit.position.byteLength, 16, label)
      XCTAssertEqual(hit.secretSHA256, try hits(Array(text.utf8)).first?.secretSHA256, label)
      XCTAssertFalse(hit.snippet.contains("\u{0}"), label)
    }
  }

  func testUTF16AdversarialShapes() throws {
    let key = "tok_q7xk2mzp"
    // Odd length: the last byte is half a unit.
    var odd = TextBytes.utf16("x = \(key)\n", bigEndian: false, bom: true)
    odd.append(0x41)
    XCTAssertEqual(try hits(odd).first?.position.byteOffset, 2 + 2 * 8)
    // A byte order mark again in the middle (U+FEFF is a character like any other).
    let middle = TextBytes.utf16("a\u{FEFF}b \(key)", bigEndian: false, bom: true)
    XCTAssertEqual(try hits(middle).first?.position.column, 9)
    // A lone surrogate before the key: one character, one unit.
    var lone = TextBytes.utf16("ab", bigEndian: true, bom: true)
    lone += [0xD8, 0x00]
    lone += TextBytes.utf16(" \(key)", bigEndian: true, bom: false)
    let p = try XCTUnwrap(try hits(lone).first?.position)
    XCTAssertEqual(p.column, 9)
    XCTAssertEqual(p.byteOffset, 2 + 2 * 8)
    // UTF-32 with its byte order mark, either order.
    for bigEndian in [false, true] {
      let bytes = Self.utf32("é\n🔑 \(key)", bigEndian: bigEndian)
      let hit = try XCTUnwrap(try hits(bytes).first, "UTF-32 big endian \(bigEndian)")
      XCTAssertEqual(hit.position.line, 2)
      XCTAssertEqual(hit.position.column, 7)
      XCTAssertEqual(hit.position.byteOffset, 4 + 4 * 8)
      XCTAssertEqual(hit.position.byteLength, 32)
    }
  }

  func testDetectionLeavesBinaryAndUTF8Alone() {
    func detect(_ bytes: [UInt8]) -> TextEncoding { bytes.withUnsafeBytes { TextEncoding.detect($0) } }
    // Little-endian 16-bit integers (audio, tables): zero high bytes but not text.
    XCTAssertEqual(detect((0..<512).flatMap { [UInt8($0 % 32), 0] }), .bytes)
    XCTAssertEqual(detect(Array("plain ASCII text, nothing else\n".utf8)), .bytes)
    XCTAssertEqual(detect([0x7F, 0x45, 0x4C, 0x46] + [UInt8](repeating: 0, count: 60)), .bytes)
    XCTAssertEqual(
      detect(TextBytes.utf16("some text\r\n", bigEndian: false, bom: false)), .utf16(bigEndian: false, bom: false))
    XCTAssertEqual(
      detect(TextBytes.utf16("some text\r\n", bigEndian: true, bom: false)), .utf16(bigEndian: true, bom: false))
    // NUL units are not text.
    XCTAssertEqual(detect(TextBytes.utf16("ab\u{0}cdefgh", bigEndian: false, bom: false)), .bytes)
  }

  // MARK: Windows

  /// Eight characters that look random, different for every `n`.
  static func secret(_ n: Int) -> String {
    let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
    var state = UInt64(n) &* 6364136223846793005 &+ 1442695040888963407
    return String(
      (0..<8).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return alphabet[Int(state >> 59)]
      })
  }

  /// Lines of varied length and line ends with keys everywhere, some across the boundaries of 64-byte windows.
  static func manyKeys() -> String {
    var text = ""
    for i in 0..<300 {
      // é (2 UTF-8 bytes, one UTF-16 unit), 🔑 (4 bytes, a surrogate pair): some fall across boundaries.
      text +=
        String(repeating: "é", count: i % 7) + (i % 5 == 0 ? "🔑" : "")
        + (i % 3 == 0 ? "\r" : i % 3 == 1 ? "\n" : "\r\n")
      text += "k\(i) tok_" + Self.secret(i) + " "
    }
    return text
  }

  func testWindowsChangeNoAnswer() throws {
    var cutPair = false
    for pad in 0..<16 {
      let text = String(repeating: "a", count: pad) + Self.manyKeys()
      let le = TextBytes.utf16(text, bigEndian: false, bom: true)
      // Little-endian, the high byte second: a high surrogate just before a 64-byte boundary.
      cutPair = cutPair || stride(from: 62, to: le.count - 1, by: 64).contains { (0xD8...0xDB).contains(le[$0 + 1]) }
      for bytes in [Array(text.utf8), le, TextBytes.utf16(text, bigEndian: true, bom: false)] {
        let whole = try hits(bytes)
        XCTAssertGreaterThan(whole.count, 250)  // a few random secrets read as placeholders (words)
        for windows in [
          ContentWindows(size: 64, context: 32), ContentWindows(size: 100, context: 40),
          ContentWindows(size: 4096, context: 48),
        ] {
          let cut = try hits(bytes, windows: windows)
          XCTAssertEqual(cut.map(\.position), whole.map(\.position), "\(windows), pad \(pad)")
          XCTAssertEqual(cut.map(\.secret), whole.map(\.secret), "\(windows), pad \(pad)")
        }
      }
    }
    XCTAssertTrue(cutPair, "some input cuts a surrogate pair at a window boundary")
  }

  func testAKeyAcrossAWindowBoundaryIsFoundOnce() throws {
    // The key's bytes 60..<72 span the boundary at 64; a CR LF is cut at 128, a 🔑 at 192.
    var bytes = [UInt8](repeating: 0x61, count: 60) + Array("tok_q7xk2mzp".utf8)
    bytes += [UInt8](repeating: 0x62, count: 127 - bytes.count) + [0x0D, 0x0A]
    bytes += [UInt8](repeating: 0x63, count: 190 - bytes.count) + Array("🔑".utf8)
    bytes += Array(" tok_a1b2c3d4\r".utf8) + [UInt8](repeating: 0x64, count: 300)
    let windows = ContentWindows(size: 64, context: 32)
    XCTAssertEqual(windows.windows(count: bytes.count).count, (bytes.count + 63) / 64)
    let found = try hits(bytes, windows: windows)
    XCTAssertEqual(found.map(\.secret), [Array("q7xk2mzp".utf8), Array("a1b2c3d4".utf8)])
    XCTAssertEqual(found.map(\.position.line), [1, 2])
    XCTAssertEqual(found.map(\.position.column), [65, 68])
    XCTAssertEqual(found.map(\.position.byteOffset), [64, 199])
  }
}
