import FairScanDigest
import Foundation

/// The user's key inventory, read once, and the local comparison with findings: secrets
/// are hashed here and compared with `key_hash`; nothing found is ever sent anywhere.
public struct KeyInventory: Sendable {
  public let keys: [InventoryKey]
  public var digest: KeyDigest
  /// False when the listing stopped early (a page failed, a malformed answer): then every
  /// FAIR finding is `indeterminate`, never `not-in-inventory`.
  public var complete: Bool
  /// What the listing contradicts itself about, by record id: a `key_hash` listed under more
  /// than one id (ambiguous: which id is the key?), or an id listed again with another
  /// `key_hash` or other fields (inconsistent: which key would a revoke of that id hit?).
  /// `revoke` refuses such keys (`refusal`); `audit` and `keys list` say so. Found once, here.
  public let contradictions: [String: String]

  public init(keys: [InventoryKey], digest: KeyDigest = .sha256, complete: Bool = true) {
    self.keys = keys; self.digest = digest; self.complete = complete
    contradictions = Self.contradictions(in: keys)
  }

  /// A salted hash (bcrypt, argon2, any `$scheme$` crypt string) cannot be compared offline.
  static func isSalted(_ hash: String) -> Bool { KeyDigest.saltedScheme(hash) != nil }

  /// Whether a listed `key_hash` has the shape `digest` writes: 64 hex digits for SHA-256, 128
  /// for SHA-512, any unsalted text for a plaintext inventory. Anything else (16 hex digits, a
  /// bcrypt string, nothing at all) is a format fairscan cannot compare: such a key might be
  /// any finding, so no finding is called `not-in-inventory` beside it.
  public func isComparable(_ hash: String) -> Bool {
    func hex(_ length: Int) -> Bool {
      hash.utf8.count == length
        && hash.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
    }
    switch digest {
    case .sha256: return hex(64)
    case .sha512: return hex(128)
    case .plain: return !hash.isEmpty && !Self.isSalted(hash)
    }
  }

  /// The `key_hash` values no finding can be compared with (see `isComparable`).
  public var uncomparableHashes: [String] { keys.map(\.keyHash).filter { !isComparable($0) } }

  /// The inventory key whose `key_hash` is this secret's; `secretSHA256` is the lowercase hex
  /// SHA-256 of the secret, `secret` its bytes when known (needed for a SHA-512 inventory).
  public func key(secretSHA256: String, secret: [UInt8]?) -> InventoryKey? {
    keys(secretSHA256: secretSHA256, secret: secret).first
  }

  /// Every listed record whose `key_hash` is this secret's (more than one is an ambiguity).
  public func keys(secretSHA256: String, secret: [UInt8]?) -> [InventoryKey] {
    switch digest {
    case .sha256:
      return keys.filter { $0.keyHash.lowercased() == secretSHA256 }
    case .plain:
      return keys.filter { SHA256.hex(Array($0.keyHash.utf8)) == secretSHA256 }
    case .sha512:
      guard let secret else { return [] }
      let hex = SHA512.hex(secret)
      return keys.filter { $0.keyHash.lowercased() == hex }
    }
  }

  /// Why the key this secret is cannot be acted on, when the listing contradicts itself about
  /// it: its `key_hash` is listed under more than one record (ambiguous: which id is it?), or
  /// its `id` is listed again with another `key_hash` (inconsistent: which key would a revoke
  /// of that id hit?). Nil when the listing is consistent about it (or does not list it).
  public func refusal(secretSHA256: String, secret: [UInt8]?) -> String? {
    keys(secretSHA256: secretSHA256, secret: secret).first.flatMap { contradictions[$0.id] }
  }

  private static func contradictions(in keys: [InventoryKey]) -> [String: String] {
    var out: [String: String] = [:]
    for records in Dictionary(grouping: keys, by: { $0.keyHash.lowercased() }).values {
      let ids = records.map(\.id).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
      guard ids.count > 1 else { continue }
      for id in ids {
        out[id] = "ambiguous: \(records.count) listed keys (ids \(ids.joined(separator: ", "))) have this key_hash"
      }
    }
    for (id, records) in Dictionary(grouping: keys, by: \.id) where records.count > 1 && out[id] == nil {
      let what = Set(records.map(\.keyHash)).count > 1 ? "different key_hash values" : "different fields"
      out[id] = "inconsistent inventory: id \(id) is listed \(records.count) times with \(what)"
    }
    return out
  }

  /// Whether a finding's secret can be compared at all (a SHA-512 inventory needs the secret
  /// itself; a key whose hash is salted or of an unknown format makes every comparison moot).
  public func canCompare(secretKnown: Bool) -> Bool {
    if !uncomparableHashes.isEmpty { return false }
    return digest != .sha512 || secretKnown
  }

  /// What `fair.inventory-match` looks for: the lowercase hex digests (SHA-256, or SHA-512 for a
  /// SHA-512 inventory) a token must have to be one of these keys. Empty when nothing can be
  /// compared (an incomplete or salted inventory).
  public var matchDigests: Set<String> {
    guard complete, canCompare(secretKnown: true) else { return [] }
    switch digest {
    case .sha256, .sha512: return Set(keys.map { $0.keyHash.lowercased() })
    case .plain: return Set(keys.map { SHA256.hex(Array($0.keyHash.utf8)) })
    }
  }

  /// The rule that finds the account's keys in any context, by hash alone
  /// (`fair.inventory-match`); nil when nothing can be compared.
  public var matchRule: Rule? {
    let digests = matchDigests
    guard !digests.isEmpty else { return nil }
    return Self.matchRule(DigestGate(algorithm: digest == .sha512 ? .sha512 : .sha256, digests: digests))
  }

  /// `fair.inventory-match` over the given digests: any token-like string whose digest is one of them.
  public static func matchRule(_ gate: DigestGate) -> Rule {
    var rule = Rule(
      id: "fair.inventory-match", name: "FAIR key from your inventory",
      description:
        "A string whose digest is the key_hash of one of your FAIR keys, whatever its context or format. Revoke it (fairscan revoke).",
      severity: .high, pattern: #"(?<![A-Za-z0-9_~+/.\-])[A-Za-z0-9_~+/.\-]{16,128}={0,2}(?![A-Za-z0-9_~+/=.\-])"#,
      keywords: [], fallback: true, sourceFile: "(your key inventory)")
    rule.digestGate = gate
    return rule
  }

  /// Sets `key_status` (and `key` for the account's keys) on every finding of a FAIR rule, and
  /// `valid`/`expired` on JWT findings from their `exp`. `secrets` maps a finding's
  /// `secret_sha256` to its bytes when the scan still has them.
  public func crossReference(_ findings: inout [Finding], secrets: [String: [UInt8]] = [:], now: Double) {
    for i in findings.indices {
      let f = findings[i]
      if let expired = f.expired, f.ruleID.hasPrefix("jwt.") || f.tokenType != nil {
        findings[i].keyStatus = expired ? .expired : .valid
        continue
      }
      guard f.isFAIR else { continue }
      guard complete, canCompare(secretKnown: secrets[f.secretSHA256] != nil) else {
        findings[i].keyStatus = .indeterminate
        continue
      }
      guard let key = key(secretSHA256: f.secretSHA256, secret: secrets[f.secretSHA256]) else {
        findings[i].keyStatus = .notInInventory
        continue
      }
      let expiry = key.expiresAt.flatMap(ISODate.parse)
      // A listing that contradicts itself about this key is never acted on (see `refusal`).
      let doubtful = refusal(secretSHA256: f.secretSHA256, secret: secrets[f.secretSHA256]) != nil
      findings[i].keyStatus = doubtful ? .indeterminate : expiry.map { $0 <= now } == true ? .expired : .live
      let firstSeen = f.locations.flatMap(\.commits).map(\.date).min()
      let start = [firstSeen.flatMap(ISODate.parse), key.created.flatMap(ISODate.parse)].compactMap { $0 }.max()
      findings[i].key = KeyReference(
        id: key.id, name: key.name, created: key.created, expiresAt: key.expiresAt, exposedSince: firstSeen,
        exposureDays: start.map { max(0, Int((now - $0) / 86_400)) })
    }
  }
}
