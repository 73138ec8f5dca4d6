import FairScanDigest
import Foundation

/// What a finding's secret is, measured against the inventory.
public enum KeyStatus: String, Sendable, Codable, Equatable {
  /// One of the account's keys, not expired: revoke it.
  case live
  /// One of the account's keys, past its `expires_at`.
  case expired
  /// Not among the account's keys: another account's, an old revoked one, or no key at all.
  case notInInventory = "not-in-inventory"
  /// The inventory could not be read completely, or the digest cannot be compared: never guessed.
  case indeterminate
  /// A JWT whose `exp` has not passed (no call made).
  case valid
  /// `--probe`: not the account's key, and it authenticates: someone else's live key.
  case liveForeign = "live-foreign"
  /// `--probe`: the key is refused (revoked, expired, or not a key).
  case dead
}
