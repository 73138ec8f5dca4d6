import Foundation
import XCTest

@testable import FairScanKit

/// Named fragments: `fragments:` in rule files, `{{name}}` in patterns, `rules check`.
final class FragmentTests: XCTestCase {
  func table(_ fragments: [String: String]) throws -> FragmentTable {
    try FragmentTable(
      fragments.sorted { $0.key < $1.key }.map { key, value in
        let (name, parameters) = RuleFragment.parseSignature(key)!
        return RuleFragment(name: name, parameters: parameters, pattern: value, sourceFile: "t.yml")
      })
  }

  func testExpansionIsVerbatimAndNested() throws {
    let t = try table(["word": "[a-z]+", "pair": "{{word}}=(?<secret>{{word}})"])
    XCTAssertEqual(try t.expand("x{{pair}}y").pattern, "x[a-z]+=(?<secret>[a-z]+)y")
    XCTAssertEqual(try t.expand("{{pair}}").used, ["pair", "word"])
    XCTAssertEqual(try t.expand("no fragments {2}").pattern, "no fragments {2}")
  }

  func testParametersBindOtherFragments() throws {
    let t = try table([
      "digits": #"\d+"#, "letters": "[a-z]+",
      "header(value)": "auth:(?<secret>{{value}})",
      "twice(a, b)": "{{header(a)}}|{{b}}",
    ])
    XCTAssertEqual(try t.expand("{{header(digits)}}").pattern, #"auth:(?<secret>\d+)"#)
    XCTAssertEqual(try t.expand("(?:{{twice(letters, digits)}})").pattern, #"(?:auth:(?<secret>[a-z]+)|\d+)"#)
    XCTAssertThrowsError(try t.expand("{{header}}")) {
      XCTAssertEqual($0 as? FragmentError, .arguments(name: "header", expected: 1, given: 0))
    }
  }

  func testBracesThatAreNotReferencesStayPatternText() throws {
    let t = try table(["a": "A"])
    for text in [#"\{{a}}"#, "{{ a }}", "{{A}}", "x{{a", "{2}}", #"\{\{a\}\}"#] {
      XCTAssertEqual(try t.expand(text).pattern, text)
    }
    XCTAssertEqual(try t.expand(#"\\{{a}}"#).pattern, #"\\A"#, "an escaped backslash before a reference")
  }

  func testReferencesAmongOtherCharacters() throws {
    let t = try table(["a": "A", "b": "é{{a}}"])
    XCTAssertEqual(try t.expand("{{a}}").pattern, "A")
    XCTAssertEqual(try t.expand("{{{a}}}").pattern, "{A}")
    XCTAssertEqual(try t.expand("ü{{b}}日本{{a}}").pattern, "üéA日本A")
    XCTAssertEqual(try t.expand("{{a}}{{a}}x{{").pattern, "AAx{{")
    XCTAssertEqual(try t.expand("}}{{a}}{").pattern, "}}A{")
    XCTAssertEqual(FragmentReference.all(in: "é{{b}}-{{a}}").map(\.name), ["b", "a"])
  }

  func testUndefinedAndCyclicFragmentsAreErrors() throws {
    let t = try table(["a": "x{{b}}", "b": "y{{a}}", "c": "{{missing}}"])
    XCTAssertThrowsError(try t.expand("{{a}}")) { XCTAssertEqual($0 as? FragmentError, .cycle(["a", "b", "a"])) }
    XCTAssertThrowsError(try t.expand("{{c}}")) { XCTAssertEqual($0 as? FragmentError, .undefined("missing")) }
    XCTAssertEqual(FragmentError.cycle(["a", "b", "a"]).description, "fragments form a cycle: a → b → a")
  }

  func testFragmentTextMustStandAlone() {
    XCTAssertNil(FragmentSyntax.problem(in: #"(?:a|b)[ \t#]+\#\x20(?#note)\Q a|b \E(?-i:c){{x(y, z)}}"#))
    for (text, message) in [
      ("a|b", "alternatives outside a group"), ("a b", "whitespace"), ("a#b", "# outside"),
      ("(?i)ab", "sets options"), ("(ab", "unbalanced '('"), ("ab)", "unbalanced ')'"), ("[ab", "unterminated"),
    ] {
      XCTAssertTrue(
        FragmentSyntax.problem(in: text)?.contains(message) ?? false,
        "\(text): \(String(describing: FragmentSyntax.problem(in: text)))")
    }
  }

  func testLoadingAFileWithFragments() throws {
    let yaml = """
      fragments:
        value: '(?<secret>[a-z0-9]{20})'
        named(v): 'tok=(?:{{v}})'
      rules:
        - id: t.token
          name: Token
          pattern: '{{named(value)}}'
          keywords: [tok]
      """
    let document = try RuleLoader.parse(yaml: yaml, file: "t.yml")
    XCTAssertEqual(document.rules[0].pattern, "{{named(value)}}")
    XCTAssertEqual(document.fragments.map(\.signature), ["value", "named(v)"])
    let rules = try RuleLoader.load(yaml: yaml, file: "t.yml")
    XCTAssertEqual(rules[0].pattern, "tok=(?:(?<secret>[a-z0-9]{20}))")
    // A file of fragments only loads; rules of another file can't see them unless loaded together.
    XCTAssertEqual(try RuleLoader.load(yaml: "fragments:\n  a: 'x'\n", file: "f.yml"), [])
  }

  func testCustomRulesUseTheBuiltinFragments() throws {
    let yaml = "rules:\n  - id: t.k\n    name: K\n    pattern: 'mykey={{key-value}}'\n    keywords: [mykey]\n"
    let rule = try RuleLoader.load(yaml: yaml, file: "t.yml")[0]
    XCTAssertFalse(rule.pattern.contains("{{"))
    XCTAssertTrue(rule.pattern.contains("(?<secret>"))
    XCTAssertThrowsError(try RuleLoader.load(yaml: yaml, file: "t.yml", fallback: nil)) {
      XCTAssertEqual("\($0)", "t.yml:4: rule 't.k': undefined fragment 'key-value'")
    }
  }

  func testBadFragmentDefinitionsDoNotLoad() {
    for (yaml, message) in [
      ("fragments:\n  Bad_Name: 'x'\n", "t.yml:2: invalid fragment name 'Bad_Name'"),
      ("fragments:\n  f(a, a): 'x'\n", "t.yml:2: fragment 'f' names a parameter twice"),
      ("fragments:\n  f: 'a|b'\n", "t.yml:2: fragment 'f' has alternatives outside a group"),
      ("fragments:\n  f: ''\n", "'f' must not be empty"),
      ("fragments: [a]\n", "'fragments' must be a mapping"),
      ("fragment:\n  f: 'x'\n", "unknown key 'fragment' (did you mean 'fragments'?)"),
    ] {
      XCTAssertTrue(
        loadError(yaml, file: "t.yml")?.description.contains(message) ?? false,
        "\(yaml): \(String(describing: loadError(yaml, file: "t.yml")))")
    }
  }

  func testAFragmentDefinedInTwoFilesOfAFolder() throws {
    let folder = try temporaryFolder(self)
    try "fragments:\n  f: 'x'\n".write(to: folder.appendingPathComponent("a.yml"), atomically: true, encoding: .utf8)
    try "fragments:\n  f: 'y'\n".write(to: folder.appendingPathComponent("b.yml"), atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try RuleLoader.load(path: folder.path)) {
      XCTAssertTrue("\($0)".contains("fragment 'f' is defined twice (also in \(folder.path)/a.yml)"), "\($0)")
    }
  }

  // MARK: - rules check

  func checkProblems(_ yaml: String) throws -> [String] {
    let document = try RuleLoader.parse(yaml: yaml, file: "t.yml")
    let problems = RuleCheck.check(document, table: try document.fragmentTable(fallback: nil))
    return problems.map(\.description)
  }

  let rule = """
    rules:
      - id: t.tok
        name: Tok
        pattern: 'tok=(?<secret>{{value}})'
        keywords: [tok]
        examples: ['tok=⟦a1b2c3⟧', 'tok=⟦z9y8x7⟧']
        negative_examples: ['tok=']
    """

  func testCheckPassesAFileWhoseFragmentsAreAllUsed() throws {
    XCTAssertEqual(try checkProblems("fragments:\n  value: '[a-z0-9]+'\n" + rule), [])
  }

  func testCheckReportsAnUndefinedFragment() throws {
    XCTAssertEqual(try checkProblems(rule), ["t.yml: rule 't.tok': undefined fragment 'value'"])
    XCTAssertEqual(
      try checkProblems("fragments:\n  value: '{{digits}}'\n" + rule),
      ["t.yml: fragment 'value': undefined fragment 'digits'"])
  }

  func testCheckReportsAnUnusedFragment() throws {
    XCTAssertEqual(
      try checkProblems(
        "fragments:\n  value: '[a-z0-9]+'\n  spare: 'x'\n  spare-part: 'y'\n  spare-whole: '{{spare-part}}'\n" + rule),
      [
        "t.yml: fragment 'spare': unused: no rule uses it",
        "t.yml: fragment 'spare-part': unused: no rule uses it",
        "t.yml: fragment 'spare-whole': unused: no rule uses it",
      ])
  }

  func testCheckReportsACycleOnce() throws {
    XCTAssertEqual(
      try checkProblems("fragments:\n  value: '[a-z]{{more}}'\n  more: '(?:{{value}})?'\n" + rule),
      ["t.yml: fragment 'value': fragments form a cycle: value → more → value"])
  }

  func testCheckedBuiltinRulesHaveNoFragmentProblems() {
    XCTAssertEqual(FragmentCheck.problems(BuiltinRules.document, table: BuiltinRules.fragmentTable), [])
  }
}
