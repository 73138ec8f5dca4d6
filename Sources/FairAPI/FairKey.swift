import Foundation

/// An API key as the list call shows it. `keyHash` is whatever the deployment
/// stores (a digest per `KeyDigest`, the plaintext, or a salted hash).
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

  /// `created` parsed (no zone = UTC); nil if absent or unparseable.
  public var createdDate: Date? { created.flatMap(FairDate.parse) }
  /// `expires_at` parsed (no zone = UTC); nil if absent (never expires) or unparseable.
  public var expiresAtDate: Date? { expiresAt.flatMap(FairDate.parse) }

  /// Whether the key had expired at `date` (false for a key that never expires).
  public func isExpired(at date: Date = Date()) -> Bool {
    guard let e = expiresAtDate else { return false }
    return e <= date
  }

  /// Hashes `secret` locally and compares it with `keyHash` under `digest`
  /// (the deployment's `key_digest` setting). Salted hashes (bcrypt `$2a$`,
  /// `$2b$`, `$2y$`; `$argon2…`; other `$scheme$` values) cannot be matched
  /// offline: only a liveness probe can tell then.
  public func matches(secret: String, digest: KeyDigest = .sha256) -> KeyMatch {
    guard let stored = keyHash?.trimmingCharacters(in: .whitespaces), !stored.isEmpty else { return .noHash }
    if let scheme = Self.saltedScheme(stored) { return .cannotMatchOffline(scheme: scheme) }
    switch digest {
    case .plain:
      return constantTimeEquals(stored, secret) ? .match : .noMatch
    case .sha256, .sha512:
      return constantTimeEquals(stored.lowercased(), digest.digest(of: secret)) ? .match : .noMatch
    }
  }

  /// The name of a salted hash scheme, if `value` is one.
  static func saltedScheme(_ value: String) -> String? {
    if value.hasPrefix("$2a$") || value.hasPrefix("$2b$") || value.hasPrefix("$2y$") || value.hasPrefix("$2x$") {
      return "bcrypt"
    }
    if value.hasPrefix("$argon2") {
      let name = value.dropFirst().prefix { $0 != "$" }
      return String(name)
    }
    if value.hasPrefix("$scrypt$") || value.hasPrefix("$7$") { return "scrypt" }
    if value.hasPrefix("pbkdf2") || value.hasPrefix("$pbkdf2") { return "pbkdf2" }
    if value.hasPrefix("$"), value.dropFirst().contains("$") {
      return String(value.dropFirst().prefix { $0 != "$" })
    }
    return nil
  }
}

/// The outcome of `FairKey.matches(secret:digest:)`.
public enum KeyMatch: Sendable, Equatable, CustomStringConvertible {
  case match
  case noMatch
  /// The listing stores a salted hash: matching needs the server (a probe).
  case cannotMatchOffline(scheme: String)
  /// The listing has no `key_hash`.
  case noHash

  public var description: String {
    switch self {
    case .match: "match"
    case .noMatch: "no match"
    case .cannotMatchOffline(let scheme): "cannot match offline (\(scheme) hash)"
    case .noHash: "no key_hash listed"
    }
  }
}

/// A key just created: the only time FAIR shows the plaintext (in `key_hash`).
public struct CreatedKey: Sendable, CustomStringConvertible {
  public let id: String
  public let name: String
  /// The plaintext API key. Shown once by the server; never printed by this type.
  public let key: FairSecret
  public let created: String?
  public let expiresAt: String?

  public var createdDate: Date? { created.flatMap(FairDate.parse) }
  public var expiresAtDate: Date? { expiresAt.flatMap(FairDate.parse) }

  public var description: String {
    "CreatedKey(id: \(id), name: \(name), key: <redacted>, created: \(created ?? "-"), expires_at: \(expiresAt ?? "never"))"
  }
}

/// What `revokeKey(id:)` found.
public enum RevokeResult: Sendable, Equatable {
  /// 200 / 204: revoked now.
  case revoked
  /// 404: unknown or already revoked (counts as revoked).
  case alreadyGone
}

/// What a liveness probe of a found key said.
public enum ProbeResult: Sendable, Equatable, CustomStringConvertible {
  /// 200: the key works.
  case live
  /// 401 / 403: the key is refused.
  case dead(status: Int)
  /// Any other answer: the probe cannot tell.
  case inconclusive(status: Int)

  public var description: String {
    switch self {
    case .live: "live"
    case .dead(let s): "dead (HTTP \(s))"
    case .inconclusive(let s): "inconclusive (HTTP \(s))"
    }
  }
}

/// ISO-8601 timestamps as FAIR writes them: `2026-03-16T11:39:32` (UTC when no
/// zone), tolerating a space for `T`, fractional seconds, `Z`, and offsets
/// `±HH:MM`, `±HHMM`, `±HH`. A bare date is midnight UTC.
public enum FairDate {
  public static func parse(_ text: String) -> Date? {
    let s = Array(text.trimmingCharacters(in: .whitespaces).utf8)
    var i = 0
    func digits(_ n: Int) -> Int? {
      guard i + n <= s.count else { return nil }
      var v = 0
      for k in 0..<n {
        let c = s[i + k]
        guard c >= 48 && c <= 57 else { return nil }
        v = v * 10 + Int(c - 48)
      }
      i += n
      return v
    }
    func expect(_ c: UInt8) -> Bool {
      guard i < s.count, s[i] == c else { return false }
      i += 1
      return true
    }
    guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2) else {
      return nil
    }
    guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
    var hour = 0, minute = 0, second = 0
    var fraction = 0.0
    var offsetSeconds = 0
    if i < s.count {
      guard s[i] == 0x54 || s[i] == 0x74 || s[i] == 0x20 else { return nil }  // T, t, space
      i += 1
      guard let h = digits(2), expect(0x3A), let m = digits(2) else { return nil }
      hour = h
      minute = m
      if expect(0x3A) {
        guard let sec = digits(2) else { return nil }
        second = sec
        if i < s.count, s[i] == 0x2E || s[i] == 0x2C {  // . or ,
          i += 1
          var scale = 0.1
          var any = false
          while i < s.count, s[i] >= 48, s[i] <= 57 {
            fraction += Double(s[i] - 48) * scale
            scale /= 10
            i += 1
            any = true
          }
          guard any else { return nil }
        }
      }
      guard hour <= 24, minute <= 59, second <= 60 else { return nil }
      if i < s.count {
        if s[i] == 0x5A || s[i] == 0x7A {  // Z
          i += 1
        } else if s[i] == 0x2B || s[i] == 0x2D {  // + -
          let sign = s[i] == 0x2D ? -1 : 1
          i += 1
          guard let oh = digits(2) else { return nil }
          var om = 0
          if i < s.count {
            _ = expect(0x3A)
            guard let m = digits(2) else { return nil }
            om = m
          }
          guard oh <= 23, om <= 59 else { return nil }
          offsetSeconds = sign * (oh * 3600 + om * 60)
        } else {
          return nil
        }
      }
    }
    guard i == s.count else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let total = Double(days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
    return Date(timeIntervalSince1970: total)
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 (Howard Hinnant's algorithm).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }
}
