import FairScanRegex
import Foundation
import Synchronization
import XCTest
@testable import FairScanKit

final class KeywordMatcherTests: XCTestCase {
  func hits(_ keywords: [String], record: [Bool] = [], in bytes: [UInt8]) throws -> KeywordHits {
    let matcher = try KeywordMatcher(keywords: keywords.map { Array($0.utf8) }, record: record)
    let scratch = try matcher.makeScratch()
    var hits = KeywordHits()
    try bytes.withUnsafeBytes { try matcher.scan($0, scratch: scratch, into: &hits) }
    return hits
  }

  func found(_ keywords: [String], in text: String) throws -> Set<String> {
    let hits = try hits(keywords, in: Array(text.utf8))
    return Set(keywords.indices.filter { hits.found[$0] }.map { keywords[$0] })
  }

  func testOverlappingKeywords() throws {
    let words = ["he", "she", "his", "hers", "ushers"]
    XCTAssertEqual(try found(words, in: "ushers"), ["he", "she", "hers", "ushers"])
    XCTAssertEqual(try found(words, in: "ahishe"), ["his", "she", "he"])
    XCTAssertEqual(try found(words, in: "xyz"), [])
  }

  func testCaseInsensitiveAndAtTheEdges() throws {
    let words = ["password", "ghp_", "://"]
    XCTAssertEqual(try found(words, in: "PassWord"), ["password"])
    XCTAssertEqual(try found(words, in: "GHP_abc https://x"), ["ghp_", "://"])
    XCTAssertEqual(try found(words, in: "passwor"), [])
    XCTAssertEqual(try found(words, in: "xpasswordx"), ["password"])
  }

  func testBinaryBytesAndEmptyInput() throws {
    let bytes: [UInt8] = [0x00, 0xFF, 0x4B, 0x45, 0x59, 0x00]  // "KEY" between NULs
    XCTAssertEqual(try hits(["key"], in: bytes).found, [true])
    XCTAssertEqual(try hits(["key"], in: []).found, [false])
  }

  /// Every occurrence of a recorded keyword, by end, the longer keyword first at one end.
  func testRecordedPositionsInOrder() throws {
    let found = try hits(
      ["api_key", "key", "token"], record: [true, true, false], in: Array("KEY x api_key token key".utf8))
    XCTAssertEqual(found.positions.map { [$0.keyword, $0.end] }, [[1, 3], [0, 13], [1, 13], [1, 23]])
    XCTAssertEqual(found.found, [true, true, true])
  }

  func testPercentAndEscapeTriggers() throws {
    let text = Array(#"a%41 %7e %80 %G1 \"q\" \/ \u0041 \x4b \n"#.utf8)
    let found = try hits(["zz"], in: text)
    XCTAssertEqual(found.percent, [1, 5])
    XCTAssertEqual(found.escape.map { text[$0 + 1] }, Array(#"""/ux"#.utf8))
  }

  /// Vectorscan's literal database against a plain search, on random text at every buffer
  /// alignment: keywords (found and recorded positions) and the trigger literals.
  func testAgreesWithNaiveSearchAtEveryAlignment() throws {
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array(#"abAB_:/%2\"u0x"#.utf8)
    for round in 0..<120 {
      let lengths = round % 2 == 0 ? 1...4 : 3...6
      let words = Array(
        Set(
          (0..<6).map { _ in
            String(
              decoding: (0..<Int.random(in: lengths, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! },
              as: UTF8.self
            ).lowercased()
          }))
      let record = words.map { _ in Bool.random(using: &rng) }
      let text = (0..<Int.random(in: 0...600, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
      let lower = text.map(ASCII.lowercase)
      var positions: [[Int]] = []
      var present: [Bool] = []
      for (id, word) in words.enumerated() {
        let w = Array(word.utf8)
        let ends =
          lower.count < w.count
          ? [] : (0...(lower.count - w.count)).filter { Array(lower[$0..<($0 + w.count)]) == w }.map { $0 + w.count }
        present.append(!ends.isEmpty)
        if record[id] { positions += ends.map { [id, $0] } }
      }
      positions.sort { $0[1] != $1[1] ? $0[1] < $1[1] : words[$0[0]].utf8.count > words[$1[0]].utf8.count }
      func starts(_ literals: [[UInt8]]) -> [Int] {
        text.indices.filter { i in
          literals.contains { i + $0.count <= text.count && Array(text[i..<(i + $0.count)]) == $0 }
        }
      }
      for shift in 0..<64 {
        var buffer = [UInt8](repeating: 0, count: text.count + 64)
        buffer.replaceSubrange(shift..<(shift + text.count), with: text)
        let matcher = try KeywordMatcher(keywords: words.map { Array($0.utf8) }, record: record)
        let scratch = try matcher.makeScratch()
        var hits = KeywordHits()
        try buffer.withUnsafeBytes { raw in
          try matcher.scan(
            UnsafeRawBufferPointer(rebasing: raw[shift..<(shift + text.count)]), scratch: scratch, into: &hits)
        }
        XCTAssertEqual(hits.found, present, "\(words) shift \(shift)")
        XCTAssertEqual(hits.positions.map { [Int($0.keyword), Int($0.end)] }, positions, "\(words) shift \(shift)")
        XCTAssertEqual(hits.percent, starts(KeywordMatcher.percentTriggers), "shift \(shift)")
        XCTAssertEqual(hits.escape, starts(KeywordMatcher.escapeTriggers), "shift \(shift)")
      }
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
          let onSecret = hits.filter {
            ($0.position.byteOffset..<($0.position.byteOffset + $0.position.byteLength)).overlaps(secret)
          }
          let found =
            onSecret.contains { $0.ruleIndex == index }
            || ((rule.fallback || onSecret.contains { rules[$0.ruleIndex].family == rule.family }) && !onSecret.isEmpty)
          XCTAssertTrue(found, "\(rule.id) missed at shift \(shift): \(example)")
        }
      }
    }
  }
}

/// Rules run when one of their keywords occurs, and rules without keywords always: the rules a
/// scan visits come from the keywords found (`RuleSet.rulesByKeyword`), in rule order.
final class RuleGatingTests: XCTestCase {
  func testKeywordRulesRunOnTheirKeywordsAndUngatedRulesAlways() throws {
    let rules = [
      Rule(id: "t.a", name: "a", pattern: #"alpha_(?<secret>[A-Za-z0-9]{20})"#, keywords: ["alpha_", "shared_"]),
      Rule(id: "t.free", name: "free", pattern: #"free=(?<secret>[A-Za-z0-9]{20})"#, keywords: []),
      Rule(id: "t.b", name: "b", pattern: #"shared_(?<secret>[A-Za-z0-9]{20})"#, keywords: ["shared_"]),
    ]
    let worker = try ScanWorker(ruleSet: try RuleSet(rules: rules))
    func ids(_ text: String) -> [String] {
      worker.scan(Array(text.utf8), path: nil).hits.map { rules[$0.ruleIndex].id }.sorted()
    }
    let a = "alpha_Q9wE8rT7yU6iO5pA4sD3", b = "shared_Z1xC2vB3nM4qW5eR6tY7", free = "free=L0kJ9hG8fD7sA6pO5iU4"
    XCTAssertEqual(ids(a), ["t.a"])
    XCTAssertEqual(ids(b), ["t.b"], "shared_ gates both rules; only t.b's pattern matches")
    XCTAssertEqual(ids(free), ["t.free"], "no keyword: runs on everything")
    XCTAssertEqual(ids([b, a, free].joined(separator: "\n")), ["t.a", "t.b", "t.free"])
    XCTAssertEqual(ids("nothing here"), [])
  }

  /// The rule set makes its keyword matcher at the first worker, not before (a replayed rescan
  /// scans nothing), and every worker, on any thread, shares that one.
  func testTheKeywordMatcherIsMadeByTheFirstWorkerAndShared() throws {
    let set = try RuleSet(rules: try BuiltinRules.rules())
    XCTAssertFalse(set.hasKeywordMatcher, "no keyword matcher before a worker")
    // The databases themselves are kept: a freed one's address could be another's.
    let databases = Mutex<[MultiPatternDatabase]>([])
    DispatchQueue.concurrentPerform(iterations: 4) { _ in
      guard let matcher = try? set.keywordMatcher(), let database = matcher.database else { return }
      _ = try? ScanWorker(ruleSet: set)
      databases.withLock { $0.append(database) }
    }
    XCTAssertTrue(set.hasKeywordMatcher)
    let seen = databases.withLock { $0.map(ObjectIdentifier.init) }
    XCTAssertEqual(seen.count, 4)
    XCTAssertEqual(Set(seen).count, 1, "one matcher for every worker")
    let key = "AKIA" + "Z7VRSQ5TJN2XMBLE"
    XCTAssertFalse(
      try ScanWorker(ruleSet: set).resolvedHits(Array("aws_access_key_id = \(key)\n".utf8), path: "a.ini").isEmpty)
  }
}
