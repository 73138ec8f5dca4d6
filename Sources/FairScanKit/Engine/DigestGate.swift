import FairScanDigest

/// A set of secret digests a rule's match must hit to count: the rule then finds given
/// secrets by hash alone, whatever their context (`fair.inventory-match` finds the account's
/// own keys this way). The secrets themselves are never known to the rule.
public struct DigestGate: Sendable, Equatable, Codable {
  public enum Algorithm: String, Sendable, Equatable, Codable {
    case sha256, sha512
  }

  public var algorithm: Algorithm
  /// Lowercase hex digests.
  public var digests: Set<String>

  public init(algorithm: Algorithm, digests: Set<String>) {
    self.algorithm = algorithm
    self.digests = Set(digests.map { $0.lowercased() })
  }

  /// Whether `secret`'s digest is one of the set.
  func admits(_ secret: [UInt8]) -> Bool {
    digests.contains(algorithm == .sha512 ? SHA512.hex(secret) : SHA256.hex(secret))
  }
}
