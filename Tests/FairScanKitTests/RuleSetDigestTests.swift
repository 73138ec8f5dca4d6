import XCTest
@testable import FairScanKit

/// `RuleSet.digest`, part of the scan cache's key: the same for the same rules, different when
/// anything a scan's results depend on differs.
final class RuleSetDigestTests: XCTestCase {
  func rule(_ change: (inout Rule) -> Void = { _ in }) -> Rule {
    var rule = Rule(
      id: "t.token", name: "Token", pattern: "tok_(?<secret>[a-z0-9]{16})", keywords: ["tok_"], minEntropy: 2.5,
      allow: [.stopword("example"), .regex("^tok_0+$", target: .secret)], paths: PathFilter(include: ["src/**"]))
    change(&rule)
    return rule
  }

  func digest(_ rules: [Rule]) throws -> String { try RuleSet(rules: rules).digest }

  func testEqualRulesGiveEqualDigests() throws {
    XCTAssertEqual(try digest([rule()]), try digest([rule()]))
    XCTAssertEqual(try digest([rule()]).count, 64)
  }

  func testEveryFieldAScanDependsOnChangesTheDigest() throws {
    let base = try digest([rule()])
    let changes: [(String, (inout Rule) -> Void)] = [
      ("pattern", { $0.pattern = "tok_(?<secret>[a-z0-9]{17})" }),
      ("keywords", { $0.keywords = ["tok_", "token"] }),
      ("other keyword", { $0.keywords = ["tok"] }),
      ("stopword", { $0.allow = [.stopword("sample"), .regex("^tok_0+$", target: .secret)] }),
      ("allow kind", { $0.allow = [.regex("example", target: .secret), .regex("^tok_0+$", target: .secret)] }),
      ("allow target", { $0.allow = [.stopword("example"), .regex("^tok_0+$", target: .line)] }),
      ("no allow", { $0.allow = [] }),
      ("entropy", { $0.minEntropy = nil }),
      ("include", { $0.paths = PathFilter(include: ["lib/**"]) }),
      ("include to exclude", { $0.paths = PathFilter(exclude: ["src/**"]) }),
      ("empty filter", { $0.paths = PathFilter() }),
      ("no filter", { $0.paths = nil }),
      ("fallback", { $0.fallback = true }),
      ("format", { $0.secretFormat = .jwt }),
      ("test vectors", { $0.testVectors = true }),
      ("max size", { $0.maxSize = 100 }),
      ("window", { $0.window = 64 }),
      ("starts at keyword", { $0.startsAtKeyword = true }),
      ("gate", { $0.digestGate = DigestGate(algorithm: .sha256, digests: ["ab"]) }),
    ]
    var seen: [String: String] = [base: "base"]
    for (name, change) in changes {
      let value = try digest([rule(change)])
      XCTAssertNil(seen[value], "\(name) gives the digest of \(seen[value] ?? "")")
      seen[value] = name
    }
    let gated = try digest([rule { $0.digestGate = DigestGate(algorithm: .sha512, digests: ["ab"]) }])
    XCTAssertNil(seen[gated], "gate algorithm")
  }
}
