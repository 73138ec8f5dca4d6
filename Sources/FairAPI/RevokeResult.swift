import Foundation

/// What `revokeKey(id:)` found.
public enum RevokeResult: Sendable, Equatable {
  /// 200 / 204: revoked now.
  case revoked
  /// 404: unknown or already revoked (counts as revoked).
  case alreadyGone
}
