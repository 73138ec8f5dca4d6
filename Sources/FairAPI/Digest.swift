import FairScanDigest
import Foundation

/// How a deployment stores `key_hash` in a key listing (contract Part B).
public enum KeyDigest: String, Sendable, CaseIterable, CustomStringConvertible {
  /// Lowercase hex SHA-256 of the key's UTF-8 bytes (the assumed default).
  case sha256
  /// Lowercase hex SHA-512 of the key's UTF-8 bytes.
  case sha512
  /// The plaintext key itself.
  case plain

  /// Parses a setting value: `sha256`/`sha-256`, `sha512`/`sha-512`, `plain`/`plaintext`/`none` (any case).
  public init?(setting: String) {
    switch setting.trimmingCharacters(in: .whitespaces).lowercased() {
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
}

/// Compares two strings in time that depends on their lengths only.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
  let x = Array(a.utf8), y = Array(b.utf8)
  var diff: UInt8 = x.count == y.count ? 0 : 1
  let n = max(x.count, y.count)
  for i in 0..<n {
    let p = i < x.count ? x[i] : 0
    let q = i < y.count ? y[i] : 0
    diff |= p ^ q
  }
  return diff == 0
}
