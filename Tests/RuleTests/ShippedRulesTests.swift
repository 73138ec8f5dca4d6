import Foundation
import XCTest

@testable import FairScanKit

/// Checks on every rule in rules/ that need no regex engine. The examples themselves
/// are run through PCRE2 by the engine's tests (and scripts/check-rules-pcre2.py).
final class ShippedRulesTests: XCTestCase {
  func loadShipped() throws -> [Rule] {
    try RuleLoader.load(path: rulesFolder)
  }

  func testEveryFileLoadsAndIDsAreUnique() throws {
    let rules = try loadShipped()
    XCTAssertGreaterThanOrEqual(rules.count, 6)
    XCTAssertEqual(Set(rules.map(\.id)).count, rules.count)
    for rule in rules { XCTAssertTrue(RuleDecoder.isWellFormedID(rule.id), rule.id) }
    let files = Set(rules.map { URL(fileURLWithPath: $0.sourceFile).lastPathComponent })
    XCTAssertEqual(files, ["aws.yml", "fair.yml", "generic.yml", "github.yml", "jwt.yml", "private-key.yml"])
  }

  func testStarterSetCoversTheBrief() throws {
    let ids = Set(try loadShipped().map(\.id))
    for id in [
      "fair.api-key", "fair.bearer-token", "fair.created-key", "jwt.token", "crypto.private-key",
      "aws.access-key-id", "github.token", "github.fine-grained-token", "generic.url-password",
      "generic.password-assignment",
    ] {
      XCTAssertTrue(ids.contains(id), "missing \(id)")
    }
  }

  func testEachRuleCarriesItsProof() throws {
    for rule in try loadShipped() {
      XCTAssertGreaterThanOrEqual(rule.examples.count, 2, "\(rule.id): needs at least 2 examples")
      XCTAssertGreaterThanOrEqual(rule.negativeExamples.count, 1, "\(rule.id): needs a negative example")
      XCTAssertFalse(rule.description.isEmpty, "\(rule.id): needs a description")
      XCTAssertFalse(rule.references.isEmpty, "\(rule.id): needs a reference")
      XCTAssertTrue(rule.pattern.contains("(?<secret>"), "\(rule.id): needs a secret group")
      for keyword in rule.keywords { XCTAssertEqual(keyword, keyword.lowercased(), rule.id) }
    }
  }

  func testExamplesAreMarkedAndContainAKeyword() throws {
    for rule in try loadShipped() {
      for example in rule.examples {
        XCTAssertEqual(example.filter { $0 == "⟦" }.count, 1, "\(rule.id): \(example)")
        XCTAssertEqual(example.filter { $0 == "⟧" }.count, 1, "\(rule.id): \(example)")
        let (text, secret) = unmark(example)
        XCTAssertFalse(secret.isEmpty, "\(rule.id): empty secret in \(example)")
        let lower = text.lowercased()
        XCTAssertTrue(rule.keywords.contains { lower.contains($0) }, "\(rule.id): no keyword in \(example)")
      }
    }
  }

  /// The marked secrets must survive the rule's own entropy floor and stopwords,
  /// or the example could never match.
  func testMarkedSecretsPassEntropyAndStopwords() throws {
    for rule in try loadShipped() {
      for example in rule.examples {
        let secret = unmark(example).secret
        if let floor = rule.minEntropy {
          XCTAssertGreaterThanOrEqual(shannonEntropy(secret), floor, "\(rule.id): \(secret)")
        }
        for case let .stopword(word) in rule.allow {
          XCTAssertFalse(secret.lowercased().contains(word.lowercased()), "\(rule.id): '\(word)' vetoes \(secret)")
        }
      }
    }
  }

  func testBuiltinRulesEqualTheRulesFolder() throws {
    let builtin = try BuiltinRules.rules()
    let fromDisk = try loadShipped()
    XCTAssertEqual(builtin.count, fromDisk.count)
    for (a, b) in zip(builtin, fromDisk) {
      var a = a
      XCTAssertEqual(a.sourceFile, "builtin:rules/" + URL(fileURLWithPath: b.sourceFile).lastPathComponent)
      a.sourceFile = b.sourceFile
      XCTAssertEqual(a, b)
    }
  }
}
