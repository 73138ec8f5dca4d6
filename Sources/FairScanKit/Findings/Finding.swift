import FairScanDigest
/// A secret found by a rule at a path: one finding however many commits, blobs
/// and lines hold it there (see `locations`).
public struct Finding: Codable, Sendable, Equatable {
  public var ruleID: String
  public var ruleName: String
  public var severity: Severity
  /// The secret, redacted (its first characters and its length) unless `--show-secrets`.
  public var secret: String
  /// Lowercase hex SHA-256 of the secret's bytes.
  public var secretSHA256: String
  /// Stable identity: derived from rule id, path and the secret's hash only.
  public var fingerprint: String
  public var path: String
  public var line: Int
  public var column: Int
  public var locations: [Location]
  /// Whether the secret is in the file at this path in `HEAD` (nil when not scanning a repository).
  public var presentAtHead: Bool?
  /// Whether the secret is in the working tree at this path (nil when the working tree was not scanned).
  public var inWorktree: Bool?
  /// What to do about it.
  public var hint: String
  public var tags: [String]
  /// A JWT's `exp` (ISO-8601 UTC), and whether that moment had passed when the scan ran.
  public var expiresAt: String?
  public var expired: Bool?
  /// A JWT's `type` claim (FAIR: `access` or `refresh`).
  public var tokenType: String?
  /// `fair.key-reused-across-environments`: the environments the one key is used in.
  public var environments: [String]?
  /// `fair.key-shared-between-users`: the author emails of the commits that added the key.
  public var authors: [String]?
  /// With `--verify`: what the secret is in the account's key inventory.
  public var keyStatus: KeyStatus?
  /// With `--verify`, for the account's own keys: which key, and since when it is exposed.
  public var key: KeyReference?
  /// With `--probe`: whether the key itself authenticated against the FAIR API.
  public var probe: ProbeVerdict?
  /// In the JSON report, when `path` is not valid UTF-8: base64 of its exact bytes (`path`
  /// then shows U+FFFD for the bytes that are not UTF-8). Nil otherwise.
  public var pathBytes: String? = nil

  enum CodingKeys: String, CodingKey {
    case ruleID = "rule_id", ruleName = "rule_name", severity, secret
    case secretSHA256 = "secret_sha256", fingerprint, path, line, column, locations
    case presentAtHead = "present_at_head", inWorktree = "in_worktree", hint, tags
    case expiresAt = "expires_at", expired, tokenType = "token_type", environments, authors
    case keyStatus = "key_status", key, probe
    case pathBytes = "path_bytes"
  }

  public init(
    ruleID: String, ruleName: String, severity: Severity, secret: String, secretSHA256: String,
    fingerprint: String, path: String, line: Int, column: Int, locations: [Location],
    presentAtHead: Bool? = nil, inWorktree: Bool? = nil, hint: String = "", tags: [String] = []
  ) {
    self.ruleID = ruleID; self.ruleName = ruleName; self.severity = severity; self.secret = secret
    self.secretSHA256 = secretSHA256; self.fingerprint = fingerprint; self.path = path
    self.line = line; self.column = column; self.locations = locations
    self.presentAtHead = presentAtHead; self.inWorktree = inWorktree; self.hint = hint; self.tags = tags
  }
}
