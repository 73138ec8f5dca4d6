import Foundation
import XCTest

@testable import FairScanKit

/// Checks on every rule in rules/ that need no regex engine. The examples themselves
/// are run through PCRE2 by the engine's tests (`fairscan rules check rules`).
final class ShippedRulesTests: XCTestCase {
  /// The folder on its own: its fragments, not the compiled-in ones.
  func loadShipped() throws -> [Rule] {
    try RuleLoader.load(path: rulesFolder, fallback: nil)
  }

  func testEveryFileLoadsAndIDsAreUnique() throws {
    let rules = try loadShipped()
    XCTAssertGreaterThanOrEqual(rules.count, 6)
    XCTAssertEqual(Set(rules.map(\.id)).count, rules.count)
    for rule in rules { XCTAssertTrue(RuleDecoder.isWellFormedID(rule.id), rule.id) }
    let files = Set(rules.map { URL(fileURLWithPath: $0.sourceFile).lastPathComponent })
    XCTAssertTrue(
      files.isSuperset(of: ["aws.yml", "fair.yml", "generic.yml", "github.yml", "jwt.yml", "private-key.yml"]))
  }

  func testAtLeastEightyThirdPartyCredentialTypes() throws {
    let thirdParty = try loadShipped().filter { $0.family != "fair" && $0.family != "generic" }
    XCTAssertGreaterThanOrEqual(thirdParty.count, 80)
    XCTAssertGreaterThanOrEqual(Set(thirdParty.map(\.family)).count, 40, "providers")
  }

  func testStarterSetCoversTheBrief() throws {
    let ids = Set(try loadShipped().map(\.id))
    for id in [
      "fair.api-key", "fair.bearer-token", "fair.created-key", "fair.access-token", "fair.refresh-token",
      "fair.login-password", "fair.credentials-file", "jwt.token",
      "crypto.rsa-private-key", "crypto.ec-private-key", "crypto.openssh-private-key", "crypto.pgp-private-key",
      "crypto.pkcs8-private-key", "crypto.putty-private-key",
      "aws.access-key-id", "aws.secret-access-key", "gcp.service-account-key", "gcp.api-key",
      "azure.storage-account-key", "azure.sas-token", "github.token", "github.fine-grained-token",
      "github.oauth-token", "github.server-to-server-token", "gitlab.personal-access-token", "bitbucket.app-password",
      "npm.access-token", "pypi.upload-token", "docker.personal-access-token", "nuget.api-key", "rubygems.api-key",
      "slack.bot-token", "slack.webhook-url", "discord.bot-token", "telegram.bot-token", "sendgrid.api-key",
      "mailgun.api-key", "twilio.auth-token", "stripe.secret-key", "paypal.braintree-access-token",
      "square.access-token", "openai.project-key", "anthropic.api-key", "huggingface.access-token", "cohere.api-key",
      "postgres.connection-uri", "mysql.connection-uri", "mongodb.connection-uri", "redis.connection-uri",
      "amqp.connection-uri", "generic.url-password", "generic.password-assignment",
      "generic.high-entropy-assignment", "generic.basic-auth-header",
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
      for keyword in rule.keywords {
        XCTAssertEqual(keyword, keyword.lowercased(), rule.id)
        // Shorter keywords turn off the keyword automaton's start filter for every rule.
        XCTAssertGreaterThanOrEqual(keyword.utf8.count, 3, "\(rule.id): keyword '\(keyword)' is too short")
      }
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
        // A rule without keywords (a file known by its name) is bound to its paths and small content instead.
        XCTAssertTrue(
          rule.keywords.contains { lower.contains($0) }
            || (rule.keywords.isEmpty && rule.paths?.include.isEmpty == false),
          "\(rule.id): no keyword in \(example)")
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
}
