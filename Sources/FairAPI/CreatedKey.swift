import Foundation

/// A key just created: the only time FAIR shows the plaintext (in `key_hash`).
public struct CreatedKey: Sendable, CustomStringConvertible {
  public let id: String
  public let name: String
  /// The plaintext API key. Shown once by the server; never printed by this type.
  public let key: FairSecret
  public let created: String?
  public let expiresAt: String?

  public var description: String {
    "CreatedKey(id: \(id), name: \(name), key: <redacted>, created: \(created ?? "-"), expires_at: \(expiresAt ?? "never"))"
  }
}
