import FairScanDigest
import Foundation

/// One key of the user's FAIR inventory, as the key list returns it.
public struct InventoryKey: Sendable, Equatable, Codable {
  public var id: String
  public var name: String
  /// A digest of the key (lowercase hex SHA-256 by default), or the plaintext key.
  public var keyHash: String
  /// ISO-8601 (the API sends no zone: UTC).
  public var created: String?
  public var expiresAt: String?

  public init(id: String, name: String, keyHash: String, created: String? = nil, expiresAt: String? = nil) {
    self.id = id; self.name = name; self.keyHash = keyHash; self.created = created; self.expiresAt = expiresAt
  }
}
