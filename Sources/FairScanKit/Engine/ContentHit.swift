/// A secret one rule found in one piece of content, before it is tied to paths and commits.
public struct ContentHit: Sendable, Equatable {
  public var ruleIndex: Int
  public var secret: [UInt8]
  public var secretSHA256: String
  /// Where the secret is; for a decoded secret, where its encoded form is.
  public var position: TextPosition
  public var snippet: String
  /// How the secret was encoded where it was found (`base64`, `percent`, `escape`, or
  /// several joined by `+`, outermost first); nil when it was found as is.
  public var encoding: String? = nil
  /// Its line names a variable that browsers see (`REACT_APP_`, `NEXT_PUBLIC_`, `VITE_`...).
  public var browserVariable: Bool = false
  /// Its line is over 1,000 bytes long (minified or bundled code, when the path says JavaScript).
  public var longLine: Bool = false
  /// What a JWT secret says about itself (rules with `secret_format: jwt`).
  public var claims: TokenClaims? = nil
  /// The secret already redacted, for a hit read back from the scan cache, which keeps no
  /// secret (`secret` is then empty).
  public var redacted: String? = nil
  /// The archive member the secret is in (`config/app.env`, nested ones joined with `!`), nil
  /// outside archives; the position is within the member (`ScanWorker+Archives.swift`).
  public var member: String? = nil
}
