import Foundation

/// An API key as the list call shows it. `keyHash` is whatever the deployment
/// stores (a digest per `KeyDigest`, the plaintext, or a salted hash); fairscan compares
/// it with found secrets in `KeyInventory` (FairScanKit), never here.
public struct FairKey: Sendable, Equatable, Hashable {
  public var id: String
  public var name: String
  /// `key_hash` as listed; nil when the server leaves it out.
  public var keyHash: String?
  /// `created` as the server wrote it.
  public var created: String?
  /// `expires_at` as the server wrote it; nil = never expires.
  public var expiresAt: String?

  public init(id: String, name: String, keyHash: String?, created: String?, expiresAt: String?) {
    self.id = id
    self.name = name
    self.keyHash = keyHash
    self.created = created
    self.expiresAt = expiresAt
  }
}
