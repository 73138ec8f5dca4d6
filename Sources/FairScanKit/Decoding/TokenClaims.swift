import Foundation

/// What a JWT says about itself: read from its payload, signature not checked.
public struct TokenClaims: Sendable, Equatable, Codable {
  /// `exp`, seconds since 1970 (UTC).
  public var expiresAt: Double?
  /// `iat`.
  public var issuedAt: Double?
  /// `type` (FAIR: `access` or `refresh`) or else `token_use`/`typ` of the payload.
  public var type: String?
  /// `iss`.
  public var issuer: String?

  /// Parses `header.payload.signature`: both first parts base64url JSON objects, the
  /// header with `alg`. Nil when the bytes are not such a token.
  public static func parse(_ token: [UInt8]) -> TokenClaims? {
    let parts = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    guard parts.count == 3 || parts.count == 5,  // JWS, or JWE (header only readable)
      let headerBytes = Base64.decode(parts[0]),
      let header = object(headerBytes), header["alg"] != nil
    else { return nil }
    guard parts.count == 3 else { return TokenClaims() }
    guard let payloadBytes = Base64.decode(parts[1]), let payload = object(payloadBytes) else { return nil }
    var claims = TokenClaims()
    claims.expiresAt = number(payload["exp"])
    claims.issuedAt = number(payload["iat"])
    claims.type = (payload["type"] as? String) ?? (payload["token_use"] as? String) ?? (payload["typ"] as? String)
    claims.issuer = payload["iss"] as? String
    return claims
  }

  private static func object(_ bytes: [UInt8]) -> [String: Any]? {
    guard bytes.first == UInt8(ascii: "{") else { return nil }
    return (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
  }

  private static func number(_ value: Any?) -> Double? {
    if let n = value as? Int { return Double(n) }
    if let n = value as? Double { return n }
    if let s = value as? String, let d = Double(s) { return d }
    return nil
  }

  /// `exp` as ISO-8601 UTC (`2026-03-16T11:39:32Z`).
  public var expiresAtText: String? { expiresAt.map(ISODate.utc) }
}
