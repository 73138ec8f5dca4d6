import FairScanDigest
import Foundation

/// The inventory key a finding's secret is, and how long it has been exposed.
public struct KeyReference: Sendable, Equatable, Codable {
  public var id: String
  public var name: String
  public var created: String?
  public var expiresAt: String?
  /// The date of the first commit holding the secret (nil when only in the working tree).
  public var exposedSince: String?
  /// Whole days from the later of `created` and `exposedSince` to the scan.
  public var exposureDays: Int?

  enum CodingKeys: String, CodingKey {
    case id, name, created, expiresAt = "expires_at", exposedSince = "exposed_since", exposureDays = "exposure_days"
  }
}
