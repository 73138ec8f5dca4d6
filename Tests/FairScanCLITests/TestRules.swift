import Foundation
import FairScanTestSupport

/// A small rule file the CLI tests scan with (`--only-rules`), so they don't
/// depend on how the built-in rules evolve.
enum TestRules {
  static let yaml = #"""
    rules:
      - id: test.token
        name: Test token
        description: A token made up for the tests.
        severity: high
        pattern: 'tok_(?<secret>[A-Za-z0-9]{24})\b'
        keywords: [tok_]
        examples: ['x = "tok_⟦Ab3dEf6hIj9kLm2nOp5qRs8t⟧"', 'tok_⟦000000000000000000000000⟧ ']
        negative_examples: ['tok_short']
      - id: test.slow
        name: Pathological
        description: Catastrophic backtracking on purpose.
        severity: low
        pattern: '(?:a|aa)+$'
        keywords: [slowslow]
        examples: ['slowslow ⟦aa⟧']
        negative_examples: ['slowslow b']
    """#

  /// Writes the rule file into a fresh folder and returns its path.
  static func file() throws -> String {
    let url = try TemporaryFolder.make().appendingPathComponent("test-rules.yml")
    try yaml.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  static let secretA = "Ab3dEf6hIj9kLm2nOp5qRs8t"
  static let secretB = "Zz9yXw8vUt7sRq6pOn5mLk4j"
  static let secretC = "Qq1wEe2rTt3yUu4iOo5pAa6s"
  static let secretD = "Mm7nNb8vVc9xXz0aAs1dDf2g"
  static func token(_ s: String) -> String { "tok_" + s }
}
