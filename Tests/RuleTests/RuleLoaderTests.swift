import Foundation
import XCTest

@testable import FairScanKit

final class RuleLoaderTests: XCTestCase {
  let full = """
    rules:
      - id: test.full-rule
        name: Full rule
        description: Every field.
        severity: high
        pattern: 'token=(?<secret>[a-z0-9]{20})'
        keywords: [token, tok_]
        min_entropy: 3.5
        allow:
          - example
          - regex: '^\\$\\{.*\\}$'
          - regex: 'test'
            target: line
          - regex: 'x{4}'
            target: match
        paths:
          include: ['src/**']
          exclude: ['**/*.min.js', vendor/]
        fallback: true
        secret_format: jwt
        test_vectors: true
        max_size: 16KiB
        window: 512
        starts_at_keyword: true
        examples:
          - 'token=⟦abcdefghij0123456789⟧'
          - |
            a: 1
            token=⟦zyxwvutsrq9876543210⟧
        negative_examples: ['token=${TOKEN}']
        references: [https://example.org/a, https://example.org/b]
      - id: test.minimal
        name: Minimal
        pattern: 'x'
        keywords: [x]
    """

  func testRoundTripOfEveryField() throws {
    let rules = try RuleLoader.load(yaml: full, file: "rules/test.yml")
    XCTAssertEqual(rules.count, 2)
    let expected = Rule(
      id: "test.full-rule", name: "Full rule", description: "Every field.", severity: .high,
      pattern: "token=(?<secret>[a-z0-9]{20})", keywords: ["token", "tok_"], minEntropy: 3.5,
      allow: [
        .stopword("example"), .regex(#"^\$\{.*\}$"#, target: .secret), .regex("test", target: .line),
        .regex("x{4}", target: .match),
      ],
      paths: PathFilter(include: ["src/**"], exclude: ["**/*.min.js", "vendor/"]),
      examples: ["token=⟦abcdefghij0123456789⟧", "a: 1\ntoken=⟦zyxwvutsrq9876543210⟧\n"],
      negativeExamples: ["token=${TOKEN}"],
      references: ["https://example.org/a", "https://example.org/b"],
      fallback: true, secretFormat: .jwt, testVectors: true, maxSize: 16 * 1024, window: 512, startsAtKeyword: true,
      sourceFile: "rules/test.yml")
    XCTAssertEqual(rules[0], expected)
    XCTAssertEqual(
      rules[1],
      Rule(id: "test.minimal", name: "Minimal", pattern: "x", keywords: ["x"], sourceFile: "rules/test.yml"))
    XCTAssertEqual(rules[1].severity, .medium)
    XCTAssertNil(rules[1].paths)
  }

  func testNewKeysRejectBadValues() {
    for (key, value, message) in [
      ("fallback", "yes", "'fallback' must be true or false"), ("secret_format", "xml", "unknown secret_format 'xml'"),
      ("max_size", "big", "'max_size' must be a size"), ("window", "0", "'window' must be a number of bytes"),
      ("starts_at_keyword", "1", "'starts_at_keyword' must be true or false"),
    ] {
      let yaml = "rules:\n  - id: t.x\n    name: x\n    pattern: x\n    keywords: [x]\n    \(key): \(value)\n"
      XCTAssertThrowsError(try RuleLoader.load(yaml: yaml, file: "r.yml"), key) {
        XCTAssertTrue("\($0)".contains(message), "\($0)")
      }
    }
  }

  func testSyntaxErrorGivesTheLine() {
    let yaml = """
      rules:
        - id: test.a
          name: a: b
          pattern: x
      """
    XCTAssertEqual(
      loadError(yaml)?.description,
      "rules/test.yml:3: invalid yaml: mapping values are not allowed in this context")
    guard case .syntax(_, 3, _)? = loadError(yaml) else { return XCTFail("expected a syntax error on line 3") }
  }

  func testUnterminatedQuoteIsASyntaxError() {
    let yaml = "rules:\n  - id: test.a\n    pattern: 'abc\n"
    guard case .syntax(file: "rules/test.yml", _, _)? = loadError(yaml) else {
      return XCTFail("expected a syntax error, got \(String(describing: loadError(yaml)))")
    }
  }

  func testMissingPattern() {
    let yaml = """
      rules:
        - id: test.a
          name: A
          keywords: [a]
      """
    XCTAssertEqual(
      loadError(yaml), .invalid(file: "rules/test.yml", ruleID: "test.a", line: 2, message: "missing 'pattern'"))
    XCTAssertEqual(loadError(yaml)?.description, "rules/test.yml:2: rule 'test.a': missing 'pattern'")
  }

  func testMissingID() {
    let yaml = "rules:\n  - name: A\n    pattern: a\n    keywords: [a]\n"
    XCTAssertEqual(loadError(yaml)?.description, "rules/test.yml:2: missing 'id'")
  }

  func testUnknownSeverity() {
    let yaml = """
      rules:
        - id: fair.api-key
          name: A
          severity: urgent
          pattern: a
          keywords: [a]
      """
    XCTAssertEqual(loadError(yaml)?.description, "rules/test.yml:4: rule 'fair.api-key': unknown severity 'urgent'")
  }

  func testBadIDs() {
    for id in ["Fair.key", "fair", "fair.", ".fair", "fair..key", "fair-x.key", "fair.key_1", "fair key.x"] {
      let yaml = "rules:\n  - id: '\(id)'\n    name: A\n    pattern: a\n    keywords: [a]\n"
      XCTAssertEqual(
        loadError(yaml)?.description,
        "rules/test.yml:2: invalid id '\(id)': expected lowercase words joined by dots, like 'fair.api-key'", id)
    }
    for id in ["fair.api-key", "a1.b", "x.y.z-9", "aws.access-key-id"] {
      XCTAssertTrue(RuleDecoder.isWellFormedID(id), id)
    }
  }

  func testDuplicateIDInOneFile() {
    let yaml = """
      rules:
        - id: test.a
          name: A
          pattern: a
          keywords: [a]
        - id: test.a
          name: B
          pattern: b
          keywords: [b]
      """
    XCTAssertEqual(
      loadError(yaml)?.description, "rules/test.yml:6: rule 'test.a': duplicate id (first defined at line 2)")
  }

  func testDuplicateIDAcrossFiles() throws {
    let folder = try temporaryFolder(self)
    let rule = "rules:\n  - id: test.same\n    name: A\n    pattern: a\n    keywords: [a]\n"
    try rule.write(to: folder.appendingPathComponent("a.yml"), atomically: true, encoding: .utf8)
    try rule.write(to: folder.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
    try "not rules".write(to: folder.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
    do {
      _ = try RuleLoader.load(path: folder.path)
      XCTFail("expected a duplicate id error")
    } catch {
      XCTAssertEqual(
        error.description,
        "\(folder.path)/b.yaml: rule 'test.same': duplicate id (first defined in \(folder.path)/a.yml)")
    }
    XCTAssertThrowsError(
      try RuleLoader.checkUniqueIDs([
        Rule(id: "x.y", name: "1", pattern: "a", keywords: ["a"], sourceFile: "one.yml"),
        Rule(id: "x.y", name: "2", pattern: "b", keywords: ["b"], sourceFile: "two.yml"),
      ]))
  }

  func testLoadFolderSortsAndRecordsFiles() throws {
    let folder = try temporaryFolder(self)
    for name in ["b.yml", "a.yaml"] {
      let yaml = "rules:\n  - id: test.\(name.prefix(1))\n    name: A\n    pattern: a\n    keywords: [a]\n"
      try yaml.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    let rules = try RuleLoader.load(path: folder.path)
    XCTAssertEqual(rules.map(\.id), ["test.a", "test.b"])
    XCTAssertEqual(rules.map(\.sourceFile), [folder.path + "/a.yaml", folder.path + "/b.yml"])
    let single = try RuleLoader.load(path: folder.path + "/b.yml")
    XCTAssertEqual(single.map(\.sourceFile), [folder.path + "/b.yml"])
  }

  func testUnreadable() {
    do {
      _ = try RuleLoader.load(path: "/nonexistent/rules.yml")
      XCTFail("expected an error")
    } catch {
      XCTAssertEqual(error.description, "/nonexistent/rules.yml: cannot read: no such file or folder")
    }
  }

  func testUnknownKeyInRule() {
    let yaml = """
      rules:
        - id: test.a
          name: A
          pattern: a
          keywords: [a]
          sevrity: high
      """
    XCTAssertEqual(
      loadError(yaml)?.description, "rules/test.yml:6: rule 'test.a': unknown key 'sevrity' (did you mean 'severity'?)")
  }

  func testUnknownKeysElsewhere() {
    XCTAssertEqual(
      loadError("rule:\n  - id: a.b\n")?.description, "rules/test.yml:1: unknown key 'rule' (did you mean 'rules'?)")
    let allow =
      "rules:\n  - id: a.b\n    name: A\n    pattern: a\n    keywords: [a]\n    allow:\n      - regex: x\n        taget: line\n"
    XCTAssertEqual(
      loadError(allow)?.description, "rules/test.yml:8: rule 'a.b': unknown key 'taget' (did you mean 'target'?)")
    let paths = "rules:\n  - id: a.b\n    name: A\n    pattern: a\n    keywords: [a]\n    paths: {includes: [x]}\n"
    XCTAssertEqual(
      loadError(paths)?.description, "rules/test.yml:6: rule 'a.b': unknown key 'includes' (did you mean 'include'?)")
    let far = "rules:\n  - id: a.b\n    name: A\n    pattern: a\n    keywords: [a]\n    colour: red\n"
    XCTAssertEqual(loadError(far)?.description, "rules/test.yml:6: rule 'a.b': unknown key 'colour'")
  }

  func testValueErrors() {
    let base = "rules:\n  - id: a.b\n    name: A\n    pattern: a\n"
    XCTAssertEqual(
      loadError(base + "    keywords: AKIA\n")?.description,
      "rules/test.yml:5: rule 'a.b': 'keywords' must be a list of strings")
    XCTAssertEqual(
      loadError(base + "    keywords: [AKIA]\n")?.description,
      "rules/test.yml:5: rule 'a.b': keyword 'AKIA' must be lowercase")
    XCTAssertEqual(
      loadError(base + "    keywords: []\n")?.description,
      "rules/test.yml:2: rule 'a.b': 'keywords: []' needs 'paths: include' and a 'max_size' of at most 4096 bytes")
    XCTAssertEqual(
      loadError(base + "    keywords: []\n    paths: {include: ['**/master.key']}\n    max_size: 1MiB\n")?.description,
      "rules/test.yml:2: rule 'a.b': 'keywords: []' needs 'paths: include' and a 'max_size' of at most 4096 bytes")
    XCTAssertNil(loadError(base + "    keywords: []\n    paths: {include: ['**/master.key']}\n    max_size: 64\n"))
    XCTAssertEqual(
      loadError(base + "    keywords: [a]\n    min_entropy: high\n")?.description,
      "rules/test.yml:6: rule 'a.b': 'min_entropy' must be a number from 0 to 8, not 'high'")
    XCTAssertEqual(
      loadError(base + "    keywords: [a]\n    allow:\n      - regex: x\n        target: file\n")?.description,
      "rules/test.yml:8: rule 'a.b': unknown allow target 'file' (expected secret, match or line)")
    XCTAssertEqual(
      loadError(base + "    keywords: [a]\n    examples:\n      - 'no marker'\n")?.description,
      "rules/test.yml:7: rule 'a.b': example must mark its secret with one ⟦ and one ⟧ after it")
    XCTAssertEqual(
      loadError(base + "    keywords: [a]\n    examples: ['⟧x⟦']\n")?.description,
      "rules/test.yml:6: rule 'a.b': example must mark its secret with one ⟦ and one ⟧ after it")
    XCTAssertEqual(
      loadError("rules:\n  - id: a.b\n    name: A\n    pattern: ''\n    keywords: [a]\n")?.description,
      "rules/test.yml:4: rule 'a.b': 'pattern' must not be empty")
    XCTAssertEqual(loadError("")?.description, "rules/test.yml:1: expected a mapping with a 'rules' list")
    XCTAssertEqual(loadError("rules: {}\n")?.description, "rules/test.yml:1: 'rules' must be a list")
  }

  func testEmptyRuleListLoads() throws {
    XCTAssertEqual(try RuleLoader.load(yaml: "rules: []\n", file: "x.yml"), [])
  }
}

extension RuleLoaderTests {
  /// YAML anchors let rules of one file share an allow list.
  func testAnchorsAndAliases() throws {
    let yaml = """
      rules:
        - id: test.a
          name: A
          pattern: a
          keywords: [a]
          allow: &placeholders [example, {regex: '^\\$'}]
        - id: test.b
          name: B
          pattern: b
          keywords: [b]
          allow: *placeholders
      """
    let rules = try RuleLoader.load(yaml: yaml, file: "x.yml")
    XCTAssertEqual(rules[1].allow, [.stopword("example"), .regex("^\\$", target: .secret)])
    XCTAssertEqual(rules[0].allow, rules[1].allow)
  }
}
