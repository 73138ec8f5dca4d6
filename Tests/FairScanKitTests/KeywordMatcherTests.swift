import Foundation
import XCTest
@testable import FairScanKit

final class KeywordMatcherTests: XCTestCase {
  func found(_ keywords: [String], in text: String) -> Set<String> {
    let matcher = KeywordMatcher(keywords: keywords.map { Array($0.utf8) })
    var hits = [Bool](repeating: false, count: keywords.count)
    Array(text.utf8).withUnsafeBytes { matcher.scan($0, found: &hits) }
    return Set(keywords.indices.filter { hits[$0] }.map { keywords[$0] })
  }

  func testOverlappingKeywordsAndFailureLinks() {
    let words = ["he", "she", "his", "hers", "ushers"]
    XCTAssertEqual(found(words, in: "ushers"), ["he", "she", "hers", "ushers"])
    XCTAssertEqual(found(words, in: "ahishe"), ["his", "she", "he"])
    XCTAssertEqual(found(words, in: "xyz"), [])
  }

  func testCaseInsensitiveAndAtTheEdges() {
    let words = ["password", "ghp_", "://"]
    XCTAssertEqual(found(words, in: "PassWord"), ["password"])
    XCTAssertEqual(found(words, in: "GHP_abc https://x"), ["ghp_", "://"])
    XCTAssertEqual(found(words, in: "passwor"), [])
    XCTAssertEqual(found(words, in: "xpasswordx"), ["password"])
  }

  func testBinaryBytesAndEmptyInput() {
    let matcher = KeywordMatcher(keywords: [Array("key".utf8)])
    var hits = [false]
    let bytes: [UInt8] = [0x00, 0xFF, 0x4B, 0x45, 0x59, 0x00]  // "KEY" between NULs
    bytes.withUnsafeBytes { matcher.scan($0, found: &hits) }
    XCTAssertEqual(hits, [true])
    var none = [false]
    [UInt8]().withUnsafeBytes { matcher.scan($0, found: &none) }
    XCTAssertEqual(none, [false])
  }

  /// Checks the automaton against a plain substring search on random text: short keywords
  /// (no start filter) and keywords of three bytes or more (two-byte table and trigram filter).
  func testAgreesWithNaiveSearch() {
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("abAB_:/".utf8)
    for round in 0..<400 {
      let lengths = round % 2 == 0 ? 1...4 : 3...5
      let words = (0..<4).map { _ in String(decoding: (0..<Int.random(in: lengths, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self).lowercased() }
      let text = String(decoding: (0..<Int.random(in: 0...200, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self)
      let expected = Set(words.filter { text.lowercased().contains($0) })
      XCTAssertEqual(found(words, in: text), expected, "\(words) in \(text)")
    }
  }
}

/// The engine finds a secret wherever the buffer starts in memory. (With both rules'
/// patterns and keywords in one Vectorscan 5.4.9 database, the first prefilter design
/// missed this secret at 9 of 64 alignments.)
final class AlignmentTests: XCTestCase {
  func testMatchesDoNotDependOnBufferAlignment() throws {
    let rules = [
      Rule(id: "t.tok", name: "t", pattern: #"tok_(?<secret>[A-Za-z0-9]{24})\b"#, keywords: ["tok_"]),
      Rule(id: "t.slow", name: "s", pattern: "(?:a|aa)+$", keywords: ["slowslow"]),
    ]
    let worker = try ScanWorker(ruleSet: try RuleSet(rules: rules))
    let content = Array((String(repeating: "x", count: 200_000) + " tok_Ab3dEf6hIj9kLm2nOp5qRs8t\n").utf8)
    var missed: [Int] = []
    for shift in 0..<64 {
      var buffer = [UInt8](repeating: 0, count: content.count + 128)
      buffer.replaceSubrange(shift..<(shift + content.count), with: content)
      let hits = buffer.withUnsafeBytes { raw in
        worker.scan(UnsafeRawBufferPointer(rebasing: raw[shift..<(shift + content.count)]), path: nil).hits
      }
      if hits.count != 1 { missed.append(shift) }
    }
    XCTAssertEqual(missed, [])
  }

  func testEveryBuiltinExampleIsFoundAtEveryAlignment() throws {
    let rules = try BuiltinRules.rules()
    let worker = try ScanWorker(ruleSet: try RuleSet(rules: rules))
    let filler = Array(String(repeating: "let value = compute(index, 42)\n", count: 40).utf8)
    for (index, rule) in rules.enumerated() {
      for example in rule.examples {
        let (plain, marked) = RuleCheck.unmark(example)!
        let text = Array(plain.utf8)
        // A rule for small files known by name (max_size) matches the example as the whole file.
        let whole = rule.maxSize.map { filler.count > $0 } ?? false
        let content = whole ? text : filler + text + Array("\n".utf8) + filler
        let offset = whole ? 0 : filler.count
        let secret = (offset + marked.lowerBound)..<(offset + marked.upperBound)
        for shift in stride(from: 0, to: 64, by: 7) {
          var buffer = [UInt8](repeating: 0, count: content.count + 64)
          buffer.replaceSubrange(shift..<(shift + content.count), with: content)
          let hits = buffer.withUnsafeBytes { raw in
            worker.scan(UnsafeRawBufferPointer(rebasing: raw[shift..<(shift + content.count)]), path: nil).hits
          }
          // Found by this rule, or (all rules running together) by one that outranks it on the
          // same secret: a specific rule over a fallback one, or another rule of its family.
          let onSecret = hits.filter { ($0.position.byteOffset..<($0.position.byteOffset + $0.position.byteLength)).overlaps(secret) }
          let found = onSecret.contains { $0.ruleIndex == index }
            || ((rule.fallback || onSecret.contains { rules[$0.ruleIndex].family == rule.family }) && !onSecret.isEmpty)
          XCTAssertTrue(found, "\(rule.id) missed at shift \(shift): \(example)")
        }
      }
    }
  }
}
