import Foundation
import Synchronization

/// A key as the emulator stores it.
public struct StoredKey: Sendable, Equatable {
  public var id: String
  public var owner: String
  public var name: String
  /// The plaintext key (the emulator is the platform: it may keep it).
  public var plaintext: String
  /// Epoch seconds.
  public var created: Int64
  /// Epoch seconds; nil = never expires.
  public var expiresAt: Int64?
  public var revoked: Bool
  /// A stable bcrypt-looking string for `KeyHashMode.salted`.
  var saltedHash: String

  /// `key_hash` as a list renders it in `mode`.
  public func listedHash(_ mode: KeyHashMode) -> String {
    switch mode {
    case .sha256: return Digest.sha256Hex(plaintext)
    case .sha512: return Digest.sha512Hex(plaintext)
    case .plain: return plaintext
    case .salted: return saltedHash
    case .truncated: return String(Digest.sha256Hex(plaintext).prefix(16))
    }
  }
}

struct TokenRecord: Sendable {
  var subject: String
  var type: String  // "access" | "refresh"
  var expires: Int64
}

/// Who a request authenticated as.
enum AuthOutcome: Sendable {
  case user(String, AuthKind, keyID: String?)
  case rejected(String)
  case missing
}

/// What the fault layer decided for one request.
struct FaultDecision: Sendable {
  var sequence: Int
  var latencyMilliseconds: Int
  var injectedStatus: Int?
  var retryAfter: String?
}

/// The emulator's state: users, keys, tokens, clock, faults and the request log.
/// All access goes through one mutex; nothing here blocks or awaits.
final class EmulatorCore: Sendable {
  struct State {
    var passwords: [String: String] = [:]
    var keys: [StoredKey] = []
    var keyIndexByPlaintext: [String: Int] = [:]
    var tokens: [String: TokenRecord] = [:]
    var clockOffset: Int64 = 0
    var faults: FaultConfiguration
    var requestCounter = 0
    var failTurn = 0
    var dropsDone = 0
    var listingsServed = 0
    var log: [LoggedRequest] = []
    var keyHashMode: KeyHashMode
    var listShape: ListShape
    var accessLifetime: Int
    var refreshLifetime: Int
  }

  let state: Mutex<State>
  let signingSecret: [UInt8] = FairFormat.randomBytes(32)
  let defaultPageSize: Int
  let maxPageSize: Int
  let onRequestLogged: (@Sendable (LoggedRequest) -> Void)?

  init(_ configuration: FairEmulatorConfiguration) throws {
    state = Mutex(
      State(
        faults: configuration.faults, keyHashMode: configuration.keyHashMode, listShape: configuration.listShape,
        accessLifetime: configuration.accessTokenLifetime, refreshLifetime: configuration.refreshTokenLifetime))
    defaultPageSize = max(1, configuration.defaultPageSize)
    maxPageSize = max(1, configuration.maxPageSize)
    onRequestLogged = configuration.onRequestLogged
    for user in configuration.users { try addUser(user) }
  }

  // MARK: clock

  func now() -> Int64 {
    let offset = state.withLock { $0.clockOffset }
    return Int64(Date().timeIntervalSince1970.rounded(.down)) + offset
  }

  func advanceClock(seconds: Int64) { state.withLock { $0.clockOffset += seconds } }

  // MARK: users and keys

  func addUser(_ user: SeedUser) throws {
    let start = now()
    try state.withLock { s in
      guard !user.username.isEmpty else { throw FairEmulatorError.badSeed("empty username") }
      s.passwords[user.username] = user.password
      for key in user.keys {
        guard !key.key.isEmpty else { throw FairEmulatorError.badSeed("empty key for \(user.username)") }
        guard s.keyIndexByPlaintext[key.key] == nil else {
          throw FairEmulatorError.badSeed("duplicate key value in seed (key \"\(key.name)\")")
        }
        let id = key.id ?? UUID().uuidString.lowercased()
        guard !s.keys.contains(where: { $0.id == id }) else {
          throw FairEmulatorError.badSeed("duplicate key id \(id)")
        }
        let created = key.created.flatMap(FairFormat.parseTimestamp) ?? start
        let expires = key.expiresAt.flatMap(FairFormat.parseTimestamp)
        Self.insert(
          StoredKey(
            id: id, owner: user.username, name: key.name, plaintext: key.key, created: created, expiresAt: expires,
            revoked: false, saltedHash: Self.saltedLooking()), into: &s)
      }
    }
  }

  static func insert(_ key: StoredKey, into s: inout State) {
    s.keyIndexByPlaintext[key.plaintext] = s.keys.count
    s.keys.append(key)
  }

  static func saltedLooking() -> String {
    // bcrypt's alphabet is "./A-Za-z0-9"; base64url's is close enough for a string nobody can match.
    let body = FairFormat.base64URL(FairFormat.randomBytes(40)).replacingOccurrences(of: "-", with: ".")
      .replacingOccurrences(of: "_", with: "/")
    return "$2b$12$" + body.prefix(53)
  }

  func createKey(owner: String, name: String, expirationDays: Int) -> StoredKey {
    let created = now()
    let expires: Int64? = expirationDays == 0 ? nil : created + Int64(expirationDays) * 86_400
    let key = StoredKey(
      id: UUID().uuidString.lowercased(), owner: owner, name: name, plaintext: FairFormat.newAPIKey(), created: created,
      expiresAt: expires, revoked: false, saltedHash: Self.saltedLooking())
    state.withLock { Self.insert(key, into: &$0) }
    return key
  }

  /// Live (not revoked) keys of `owner`, oldest first; expired keys are still listed.
  func keys(of owner: String) -> [StoredKey] {
    state.withLock { s in s.keys.filter { $0.owner == owner && !$0.revoked } }
  }

  func allKeys() -> [StoredKey] { state.withLock { $0.keys } }

  /// Revokes `id` if it belongs to `owner` and is live. Returns false for unknown/revoked/foreign ids.
  func revoke(id: String, owner: String) -> Bool {
    state.withLock { s in
      guard let i = s.keys.firstIndex(where: { $0.id == id && $0.owner == owner && !$0.revoked }) else { return false }
      s.keys[i].revoked = true
      return true
    }
  }

  /// Whether this revoke should drop the connection (consumes a `.once`).
  func takeDropAfterRevoke() -> Bool {
    state.withLock { s in
      switch s.faults.dropAfterRevoke {
      case .never: return false
      case .always:
        s.dropsDone += 1
        return true
      case .once:
        guard s.dropsDone == 0 else { return false }
        s.dropsDone += 1
        return true
      }
    }
  }

  /// Counts a listing; true when `flickerKeyID` is to be left out of this one.
  func takeListing() -> Bool {
    state.withLock { s in
      s.listingsServed += 1
      return s.listingsServed % 2 == 0
    }
  }

  func takeMalformedList() -> Bool {
    state.withLock { s in
      guard s.faults.malformedListOnce else { return false }
      s.faults.malformedListOnce = false
      return true
    }
  }

  // MARK: tokens

  func login(username: String, password: String) -> (access: String, refresh: String)? {
    let ok = state.withLock { s in
      guard let stored = s.passwords[username] else { return false }
      return constantTimeEqual(stored, password)
    }
    guard ok else { return nil }
    return issueTokens(for: username)
  }

  func refresh(token: String) -> (access: String, refresh: String)? {
    let t = now()
    let subject: String? = state.withLock { s in
      guard let record = s.tokens[token], record.type == "refresh", record.expires > t else { return nil }
      s.tokens[token] = nil  // refresh tokens rotate
      return record.subject
    }
    return subject.map { issueTokens(for: $0) }
  }

  func issueTokens(for subject: String) -> (access: String, refresh: String) {
    let issued = now()
    let (accessLife, refreshLife) = state.withLock { ($0.accessLifetime, $0.refreshLifetime) }
    let access = makeJWT(subject: subject, type: "access", issued: issued, expires: issued + Int64(accessLife))
    let refresh = makeJWT(subject: subject, type: "refresh", issued: issued, expires: issued + Int64(refreshLife))
    state.withLock { s in
      s.tokens[access] = TokenRecord(subject: subject, type: "access", expires: issued + Int64(accessLife))
      s.tokens[refresh] = TokenRecord(subject: subject, type: "refresh", expires: issued + Int64(refreshLife))
    }
    return (access, refresh)
  }

  func makeJWT(subject: String, type: String, issued: Int64, expires: Int64) -> String {
    let header = #"{"alg":"HS256","typ":"JWT"}"#
    let payload =
      "{\"sub\":\(jsonString(subject)),\"exp\":\(expires),\"iat\":\(issued),\"type\":\"\(type)\",\"jti\":\"\(Digest.hex(FairFormat.randomBytes(12)))\"}"
    let signingInput = FairFormat.base64URL(Array(header.utf8)) + "." + FairFormat.base64URL(Array(payload.utf8))
    let signature = Digest.hmacSHA256(key: signingSecret, message: Array(signingInput.utf8))
    return signingInput + "." + FairFormat.base64URL(signature)
  }

  func expireAccessTokens() {
    let t = now()
    state.withLock { s in
      for (token, record) in s.tokens where record.type == "access" {
        s.tokens[token]?.expires = min(record.expires, t)
      }
    }
  }

  func setAccessTokenLifetime(_ seconds: Int) { state.withLock { $0.accessLifetime = seconds } }

  /// Resolves an Authorization header value (`Bearer X` or bare `X`).
  func authenticate(_ header: String?) -> AuthOutcome {
    guard let header else { return .missing }
    var credential = header.trimmingCharacters(in: .whitespaces)
    if credential.count > 7, credential.prefix(7).lowercased() == "bearer " {
      credential = String(credential.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }
    guard !credential.isEmpty else { return .missing }
    let t = now()
    return state.withLock { s in
      if let record = s.tokens[credential] {
        guard record.type == "access" else { return .rejected("refresh-token-used-as-access") }
        guard record.expires > t else { return .rejected("access-token-expired") }
        return .user(record.subject, .accessToken, keyID: nil)
      }
      if let i = s.keyIndexByPlaintext[credential] {
        let key = s.keys[i]
        if key.revoked { return .rejected("api-key-revoked") }
        if let e = key.expiresAt, e <= t { return .rejected("api-key-expired") }
        return .user(key.owner, .apiKey, keyID: key.id)
      }
      return .rejected("unknown-credential")
    }
  }

  /// True if `text` is (or contains) a credential the emulator knows: used to keep paths in the log clean.
  func isSecret(_ text: String) -> Bool {
    guard text.count >= 4 else { return false }
    return state.withLock { s in
      if s.keyIndexByPlaintext[text] != nil || s.tokens[text] != nil { return true }
      return s.passwords.values.contains { !$0.isEmpty && text.contains($0) }
        || s.keyIndexByPlaintext.keys.contains { text.contains($0) }
    }
  }

  // MARK: faults

  func decideFaults() -> FaultDecision {
    let t = now()
    return state.withLock { s in
      s.requestCounter += 1
      let n = s.requestCounter
      let f = s.faults
      var decision = FaultDecision(sequence: n, latencyMilliseconds: max(0, f.latencyMilliseconds))
      if f.rateLimitEvery > 0, n % f.rateLimitEvery == 0 {
        decision.injectedStatus = 429
        switch f.retryAfterStyle {
        case .seconds: decision.retryAfter = String(max(0, f.retryAfterSeconds))
        case .httpDate: decision.retryAfter = FairFormat.httpDate(t + Int64(max(0, f.retryAfterSeconds)))
        case .none: decision.retryAfter = nil
        }
      } else if f.failEvery > 0, n % f.failEvery == 0, !f.failStatuses.isEmpty {
        decision.injectedStatus = f.failStatuses[s.failTurn % f.failStatuses.count]
        s.failTurn += 1
      }
      return decision
    }
  }

  func setFaults(_ faults: FaultConfiguration) {
    state.withLock { s in
      s.faults = faults
      s.requestCounter = 0
      s.failTurn = 0
      s.dropsDone = 0
      s.listingsServed = 0
    }
  }

  func faults() -> FaultConfiguration { state.withLock { $0.faults } }

  func setListShape(_ shape: ListShape) { state.withLock { $0.listShape = shape } }
  func setKeyHashMode(_ mode: KeyHashMode) { state.withLock { $0.keyHashMode = mode } }
  func listSettings() -> (ListShape, KeyHashMode) { state.withLock { ($0.listShape, $0.keyHashMode) } }

  // MARK: log

  func record(_ entry: LoggedRequest) {
    state.withLock { $0.log.append(entry) }
    onRequestLogged?(entry)
  }

  func log() -> [LoggedRequest] { state.withLock { $0.log } }
  func clearLog() { state.withLock { $0.log.removeAll() } }
}

func constantTimeEqual(_ a: String, _ b: String) -> Bool {
  let x = Array(a.utf8), y = Array(b.utf8)
  var diff = UInt8(x.count == y.count ? 0 : 1)
  for i in 0..<min(x.count, y.count) { diff |= x[i] ^ y[i] }
  return diff == 0
}

/// A JSON string literal for `s`.
func jsonString(_ s: String) -> String {
  var out = "\""
  for scalar in s.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default:
      if scalar.value < 0x20 {
        let h = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}
