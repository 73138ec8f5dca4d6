import Foundation
import XCTest
@testable import FairScanKit

/// The engine's pieces on their own: rule checks over rules/, positions, redaction, terminal safety.
final class EngineTests: XCTestCase {
  static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }

  func testEveryShippedRuleProvesItselfWithTheRealEngine() throws {
    let rules = try RuleLoader.load(path: Self.packageRoot.appendingPathComponent("rules").path)
    XCTAssertGreaterThan(rules.count, 5)
    let problems = RuleCheck.check(rules)
    XCTAssertEqual(problems.map(\.description), [])
  }

  func testBuiltinRulesEqualTheRulesFolder() throws {
    let folder = try RuleLoader.load(path: Self.packageRoot.appendingPathComponent("rules").path)
    let builtin = try BuiltinRules.rules()
    XCTAssertEqual(folder.map(\.id), builtin.map(\.id))
    XCTAssertEqual(folder.map(\.pattern), builtin.map(\.pattern))
  }

  func testRuleCheckCatchesBrokenExamples() throws {
    let rule = Rule(
      id: "t.x", name: "x", pattern: "tok_(?<secret>[a-z0-9]{8})", keywords: ["tok_"],
      examples: ["tok_⟦q7xk2mzp⟧", "tok_⟦Q7XK2MZP⟧", "a tok_q7xk2mzp ⟦b⟧"], negativeExamples: ["tok_w9rt4bnv"],
      sourceFile: "t.yml")
    let messages = RuleCheck.check([rule]).map(\.message)
    XCTAssertEqual(messages.count, 3, "\(messages)")
    XCTAssertTrue(messages[0].contains("example 2 does not match"), messages[0])
    XCTAssertTrue(messages[1].contains("example 3 matches bytes 6..<14, expected the marked 15..<16"), messages[1])
    XCTAssertTrue(messages[2].contains("negative example 1 matches"), messages[2])
  }

  func testMatchesAreBytesWithLineAndCharacterColumns() throws {
    let set = try RuleSet(rules: [Rule(id: "t.x", name: "x", pattern: "tok_(?<secret>[a-z0-9]{8})", keywords: ["tok_"])]
    )
    let worker = try ScanWorker(ruleSet: set)
    let content: [UInt8] = Array("a\r\n".utf8) + [0xE9, 0xFF] + Array("ü tok_q7xk2mzp\n".utf8)
    let hits = worker.scan(content, path: nil).hits
    XCTAssertEqual(hits.count, 1)
    let p = try XCTUnwrap(hits.first?.position)
    XCTAssertEqual(p.line, 2)
    XCTAssertEqual(p.column, 9)  // 0xE9, 0xFF, ü, space, "tok_" = 8 characters before
    XCTAssertEqual(p.byteOffset, 3 + 2 + 2 + 1 + 4)
    XCTAssertEqual(hits.first?.secret, Array("q7xk2mzp".utf8))
  }

  func testKeywordGatesTheRule() throws {
    // The pattern can match without its keyword; the keyword must still be present.
    let set = try RuleSet(rules: [Rule(id: "t.k", name: "k", pattern: "[A-Z]{3}[0-9]{5}", keywords: ["serial"])])
    let worker = try ScanWorker(ruleSet: set)
    XCTAssertTrue(worker.scan(Array("ABC12345".utf8), path: nil).hits.isEmpty)
    XCTAssertEqual(worker.scan(Array("Serial: ABC12345".utf8), path: nil).hits.count, 1)
  }

  func testEntropyStopwordsAndAllowRegexVeto() throws {
    let rule = Rule(
      id: "t.e", name: "e", pattern: "key=(?<secret>[A-Za-z0-9]{12,})", keywords: ["key="], minEntropy: 3.0,
      allow: [.stopword("example"), .regex("^test", target: .secret), .regex("# fake", target: .line)])
    let worker = try ScanWorker(ruleSet: try RuleSet(rules: [rule]))
    func hits(_ s: String) -> Int { worker.scan(Array(s.utf8), path: nil).hits.count }
    XCTAssertEqual(hits("key=Qx7Lm2Pz9Wc4Rt"), 1)
    XCTAssertEqual(hits("key=aaaaaaaaaaaaaaaa"), 0, "low entropy")
    XCTAssertEqual(hits("key=Qx7EXAMPLE9Wc4Rt"), 0, "stopword, any case")
    XCTAssertEqual(hits("key=testQx7Lm2Pz9Wc"), 0, "allow regex on the secret")
    XCTAssertEqual(hits("key=Qx7Lm2Pz9Wc4Rt # fake"), 0, "allow regex on the line")
    XCTAssertEqual(hits("key=Qx7Lm2Pz9Wc4Rt // fairscan:allow"), 0, "inline allow")
  }

  func testPathFiltersApply() throws {
    let rule = Rule(
      id: "t.p", name: "p", pattern: "tok_[a-z0-9]{8}", keywords: ["tok_"],
      paths: PathFilter(include: ["**/*.env"], exclude: ["test/**"]))
    let worker = try ScanWorker(ruleSet: try RuleSet(rules: [rule]))
    let text = Array("tok_q7xk2mzp".utf8)
    // One worker, paths that alternate: each file's path is judged, not the one before it.
    XCTAssertEqual(worker.scan(text, path: "prod/app.txt").hits.count, 0)
    XCTAssertEqual(worker.scan(text, path: "prod/app.env").hits.count, 1)
    XCTAssertEqual(worker.scan(text, path: "test/app.env").hits.count, 0)
    XCTAssertEqual(worker.scan(text, path: "./x/y.env").hits.count, 1)
    XCTAssertEqual(worker.scan(text, path: "prod/app.txt").hits.count, 0)
  }

  func testPatternsThatWouldStallVectorscansCompileRunUnfiltered() throws {
    XCTAssertTrue(RuleSet.costlyForVectorscan(#"Private-Lines: \d+\n(?:[A-Za-z0-9+/=]{1,64}\n){1,128}"#))
    XCTAssertTrue(RuleSet.costlyForVectorscan(#"key=[a-z]{10,2000}"#))
    XCTAssertFalse(RuleSet.costlyForVectorscan(#"(?:ab){2,4}[a-z]{20,128}\{1,999\}"#))
    XCTAssertFalse(RuleSet.costlyForVectorscan(#"AKIA[0-9A-Z]{16}"#))
    // The costly rule still finds what it finds, under either prefilter.
    let putty = try XCTUnwrap(try BuiltinRules.rules().first { $0.id == "crypto.putty-private-key" })
    XCTAssertTrue(RuleSet.costlyForVectorscan(putty.pattern))
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("fairscan-hs-\(UUID().uuidString)").path
    let set = try RuleSet(rules: [putty], prefilter: .vectorscan, cacheDirectory: cache)
    XCTAssertEqual(set.unfiltered, [0])
    let example = putty.examples[0].replacingOccurrences(of: "⟦", with: "").replacingOccurrences(of: "⟧", with: "")
    XCTAssertEqual(try ScanWorker(ruleSet: set).scan(Array(example.utf8), path: "id.ppk").hits.count, 1)
  }

  func testRedactionShowsAtMostFourCharactersAndTheLength() {
    XCTAssertEqual(Redaction.redact(Array("AKIAQ3XZ7RJ2M5KW4TLN".utf8)), "AKIA…(20)")
    XCTAssertEqual(Redaction.redact(Array("hunter2".utf8)), "h…(7)")
    XCTAssertEqual(Redaction.redact(Array("abc".utf8)), "…(3)")
  }

  func testTerminalSafeEscapesControlsBidiAndInvalidUTF8() {
    XCTAssertEqual(TerminalSafe.string([0x61, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0xFF]), "a\\u{1b}[31m\\xFF")
    XCTAssertEqual(TerminalSafe.string("x\u{202E}y\u{7}"), "x\\u{202e}y\\u{7}")
    XCTAssertEqual(TerminalSafe.string("héllo"), "héllo")
  }

  func testFingerprintDependsOnRulePathAndSecretOnly() {
    let a = Fingerprint.make(ruleID: "r", path: "a.txt", secretSHA256: "00")
    XCTAssertEqual(a, Fingerprint.make(ruleID: "r", path: "a.txt", secretSHA256: "00"))
    XCTAssertNotEqual(a, Fingerprint.make(ruleID: "r", path: "b.txt", secretSHA256: "00"))
    XCTAssertNotEqual(a, Fingerprint.make(ruleID: "q", path: "a.txt", secretSHA256: "00"))
    XCTAssertNotEqual(a, Fingerprint.make(ruleID: "r", path: "a.txt", secretSHA256: "01"))
  }
}
