/// How a FAIR deployment stores `key_hash` in a key listing (the API contract, part B), and
/// which listed values cannot be compared offline at all. The one definition: the FAIR
/// client reads the setting, the key inventory compares with it.
public enum KeyDigest: String, Sendable, CaseIterable, CustomStringConvertible {
  /// Lowercase hex SHA-256 of the key's UTF-8 bytes (the contract's assumption).
  case sha256
  /// Lowercase hex SHA-512 of the key's UTF-8 bytes: compared only when the scan still holds the secret.
  case sha512
  /// The plaintext key itself: compared through its SHA-256, so a report's `secret_sha256` suffices.
  case plain

  /// Parses a setting value: `sha256`/`sha-256`, `sha512`/`sha-512`, `plain`/`plaintext`/`none` (any case).
  public init?(setting: String) {
    switch Self.trimmed(setting).lowercased() {
    case "sha256", "sha-256": self = .sha256
    case "sha512", "sha-512": self = .sha512
    case "plain", "plaintext", "none": self = .plain
    default: return nil
    }
  }

  public var description: String { rawValue }

  /// The value a listing would carry for `secret` under this digest.
  public func digest(of secret: String) -> String {
    switch self {
    case .sha256: return SHA256.hex(Array(secret.utf8))
    case .sha512: return SHA512.hex(Array(secret.utf8))
    case .plain: return secret
    }
  }

  /// The scheme of a salted hash (bcrypt `$2a$` `$2b$` `$2x$` `$2y$`, `$argon2…`, scrypt,
  /// pbkdf2, any other `$scheme$…` crypt string), nil when `keyHash` is not one. A salted
  /// hash cannot be matched offline, whatever the digest setting: only a liveness probe can tell.
  public static func saltedScheme(_ keyHash: String) -> String? {
    let value = trimmed(keyHash)
    if value.hasPrefix("$2a$") || value.hasPrefix("$2b$") || value.hasPrefix("$2y$") || value.hasPrefix("$2x$") {
      return "bcrypt"
    }
    if value.hasPrefix("$argon2") { return String(value.dropFirst().prefix { $0 != "$" }) }
    if value.hasPrefix("$scrypt$") || value.hasPrefix("$7$") { return "scrypt" }
    if value.hasPrefix("pbkdf2") || value.hasPrefix("$pbkdf2") { return "pbkdf2" }
    if value.hasPrefix("$"), value.dropFirst().contains("$") { return String(value.dropFirst().prefix { $0 != "$" }) }
    return nil
  }

  /// `text` without leading and trailing spaces and tabs.
  private static func trimmed(_ text: String) -> Substring {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    let start = text.drop(while: blank)
    return start.dropLast(start.reversed().prefix(while: blank).count)
  }
}
