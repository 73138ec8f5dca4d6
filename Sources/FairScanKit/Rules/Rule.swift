/// One detection rule, as written in `rules/*.yml`.
///
/// A rule is data: its pattern is a PCRE2 regular expression whose named group
/// `secret` marks the secret (else the whole match is the secret).
public struct Rule: Sendable, Equatable, Codable {
  public var id: String
  public var name: String
  public var description: String
  public var severity: Severity
  public var pattern: String
  /// Lowercase literals; the rule runs on content only if one occurs in it (case-insensitively).
  public var keywords: [String]
  /// Minimum Shannon entropy (bits per byte) of the secret.
  public var minEntropy: Double?
  /// Vetoes: a match whose secret is caught by one of these is dropped.
  public var allow: [AllowEntry]
  /// Path globs. Content without a path (stdin without `--name`, commit messages) is never excluded.
  public var paths: PathFilter?
  /// Texts that must match; the expected secret is marked `⟦` … `⟧` inside each.
  public var examples: [String]
  /// Texts that must not match.
  public var negativeExamples: [String]
  public var references: [String]
  /// A fallback rule (broad, like generic passwords or any JWT) yields: its match is dropped
  /// where a specific rule found a secret overlapping it.
  public var fallback: Bool
  /// What the secret must be, checked and decoded after the match (`jwt`: three base64url
  /// parts whose header and payload are JSON; the payload's `exp` goes into the finding).
  public var secretFormat: SecretFormat?
  /// Credentials of this kind are common as test vectors (private keys in crypto libraries'
  /// tests, sample JWTs, fixture passwords): found only in test, example or documentation
  /// paths, they are reported at `info` severity with the tag `test-fixture`.
  public var testVectors: Bool
  /// The rule runs only on content up to this many bytes (small files: credentials files).
  public var maxSize: Int?
  /// The rule's pattern runs only near its keywords: from the start of the line `window` bytes
  /// before a keyword to the end of the line `window` bytes after it. For patterns whose
  /// keywords are common words, or that start with a character class: PCRE2 skips the rest.
  public var window: Int?
  /// Every match starts where one of the rule's keywords starts: the pattern is tried only
  /// there (anchored), never scanned over the content. For rules whose keywords are common
  /// words (generic rules), the cheapest way to run them.
  public var startsAtKeyword: Bool
  /// The file the rule came from (for error messages); not part of the rule's identity.
  public var sourceFile: String
  /// A match counts only if its secret's digest is one of these (rules made at run time, such
  /// as `fair.inventory-match` from the account's key inventory; never in rule files).
  public var digestGate: DigestGate? = nil

  public init(
    id: String, name: String, description: String = "", severity: Severity = .medium,
    pattern: String, keywords: [String], minEntropy: Double? = nil, allow: [AllowEntry] = [],
    paths: PathFilter? = nil, examples: [String] = [], negativeExamples: [String] = [],
    references: [String] = [], fallback: Bool = false, secretFormat: SecretFormat? = nil, testVectors: Bool = false,
    maxSize: Int? = nil, window: Int? = nil, startsAtKeyword: Bool = false,
    sourceFile: String = ""
  ) {
    self.id = id; self.name = name; self.description = description; self.severity = severity
    self.pattern = pattern; self.keywords = keywords; self.minEntropy = minEntropy
    self.allow = allow; self.paths = paths; self.examples = examples
    self.negativeExamples = negativeExamples; self.references = references
    self.fallback = fallback; self.secretFormat = secretFormat; self.testVectors = testVectors
    self.maxSize = maxSize; self.window = window; self.startsAtKeyword = startsAtKeyword
    self.sourceFile = sourceFile
  }
}

/// A structure a rule's secret must have.
public enum SecretFormat: String, Sendable, Equatable, Codable, CaseIterable {
  /// A JSON Web Token: `header.payload.signature`, base64url, header and payload JSON objects.
  case jwt
}

/// The rule family: the id's first dot-separated word (`fair` for `fair.api-key`).
extension Rule {
  public var family: String { String(id.prefix { $0 != "." }) }
}

/// A veto on a match: a literal stopword (case-insensitive substring of the secret)
/// or a regular expression run on the secret, the whole match, or the match's line.
public enum AllowEntry: Sendable, Equatable, Codable {
  case stopword(String)
  case regex(String, target: AllowTarget)
}

public enum AllowTarget: String, Sendable, Equatable, Codable {
  case secret, match, line
}
