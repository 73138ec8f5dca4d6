import Foundation

/// How `GET /api/v1/api-keys` renders `key_hash`.
public enum KeyHashMode: String, Sendable, CaseIterable, Codable {
  /// Lowercase hex SHA-256 of the key's UTF-8 bytes (the contract's assumption).
  case sha256
  /// Lowercase hex SHA-512 of the key's UTF-8 bytes.
  case sha512
  /// The plaintext key itself.
  case plain
  /// A bcrypt-looking salted string (`$2b$12$...`) that cannot be matched offline.
  case salted
  /// A format the contract does not know: the first 16 hex digits of the SHA-256.
  case truncated
}

/// How `GET /api/v1/api-keys` is shaped.
public enum ListShape: String, Sendable, CaseIterable, Codable {
  /// A bare JSON array of all keys.
  case array
  /// `{"items": [...], "total": N, "page": P, "size": S}` honouring `?page=&size=` (1-based).
  case paged
}

/// When a revoke drops the connection after the key has been revoked.
public enum DropAfterRevoke: String, Sendable, CaseIterable, Codable {
  case never
  /// Only the first successful revoke; later ones answer normally.
  case once
  /// Every successful revoke.
  case always
}

/// How a `429` carries `Retry-After`.
public enum RetryAfterStyle: String, Sendable, CaseIterable, Codable {
  /// `Retry-After: N` (delta seconds).
  case seconds
  /// `Retry-After: <IMF-fixdate>` N seconds ahead of the emulator clock.
  case httpDate = "http-date"
  /// No `Retry-After` header at all.
  case none
}

/// Fault injection. Request numbers count every request the emulator receives
/// (login included), starting at 1 when the emulator starts or the faults are replaced.
public struct FaultConfiguration: Sendable, Equatable {
  /// Every N-th request answers `429` (0 = off).
  public var rateLimitEvery: Int
  /// `Retry-After` value in seconds for injected `429`s.
  public var retryAfterSeconds: Int
  /// How `Retry-After` is written.
  public var retryAfterStyle: RetryAfterStyle
  /// Every N-th request answers one of `failStatuses` (0 = off). A request that is
  /// both a rate-limit and a failure turn answers `429`.
  public var failEvery: Int
  /// Statuses used in turn for injected failures (e.g. `[500, 503]` alternates).
  public var failStatuses: [Int]
  /// Latency added to every request, in milliseconds.
  public var latencyMilliseconds: Int
  /// Drop the connection after applying a revoke.
  public var dropAfterRevoke: DropAfterRevoke
  /// The next successful key-list answer carries malformed JSON (then disarms).
  public var malformedListOnce: Bool
  /// Key-list requests wait this many seconds before answering (0 = off): a list that never answers.
  public var listStallSeconds: Int = 0
  /// Key-list bodies are sent one byte every this many milliseconds (0 = off).
  public var listTrickleMilliseconds: Int = 0
  /// Lists carry one more record: the first key's `id` with another `key_hash`.
  public var duplicateID: Bool = false
  /// The second listed key carries the first listed key's `key_hash`.
  public var duplicateKeyHash: Bool = false
  /// Paged lists write this JSON text as `total` (e.g. `1000000000`, `-1`, `2.5`, `"3"`); nil = the true count.
  public var listTotal: String? = nil
  /// Paged lists answer every page after the first with the first page's items.
  public var repeatFirstPage: Bool = false
  /// `DELETE` answers `404` and revokes nothing.
  public var deleteAnswers404: Bool = false
  /// After applying a revoke, wait this many milliseconds before answering.
  public var revokeAnswerDelayMilliseconds: Int = 0
  /// This key id is left out of every other listing (the 2nd, 4th, ...) without being revoked.
  public var flickerKeyID: String? = nil

  public init(
    rateLimitEvery: Int = 0, retryAfterSeconds: Int = 1, retryAfterStyle: RetryAfterStyle = .seconds,
    failEvery: Int = 0, failStatuses: [Int] = [503], latencyMilliseconds: Int = 0,
    dropAfterRevoke: DropAfterRevoke = .never, malformedListOnce: Bool = false
  ) {
    self.rateLimitEvery = rateLimitEvery
    self.retryAfterSeconds = retryAfterSeconds
    self.retryAfterStyle = retryAfterStyle
    self.failEvery = failEvery
    self.failStatuses = failStatuses
    self.latencyMilliseconds = latencyMilliseconds
    self.dropAfterRevoke = dropAfterRevoke
    self.malformedListOnce = malformedListOnce
  }

  /// No faults.
  public static let none = FaultConfiguration()
}

/// PEM files for serving HTTPS (drills of `--ca-file` against a private CA).
public struct TLSFiles: Sendable, Equatable {
  /// The server's certificate chain (leaf first).
  public var certificateChain: String
  /// The server's private key.
  public var privateKey: String

  public init(certificateChain: String, privateKey: String) {
    self.certificateChain = certificateChain
    self.privateKey = privateKey
  }
}

/// Everything the emulator can be told at start.
public struct FairEmulatorConfiguration: Sendable {
  /// Serve HTTPS with these files instead of plain HTTP.
  public var tls: TLSFiles? = nil
  /// Address to bind (loopback by default: the client accepts plain http only on loopback).
  public var host: String
  /// Port to bind; 0 picks a free port.
  public var port: Int
  /// Users (and their keys) present at start.
  public var users: [SeedUser]
  /// How lists render `key_hash`.
  public var keyHashMode: KeyHashMode
  /// Array or paged list answers.
  public var listShape: ListShape
  /// Page size when `?size=` is absent (paged shape).
  public var defaultPageSize: Int
  /// Largest accepted `?size=` (larger values are clamped).
  public var maxPageSize: Int
  /// Access token lifetime in seconds (0 = already expired when issued).
  public var accessTokenLifetime: Int
  /// Refresh token lifetime in seconds.
  public var refreshTokenLifetime: Int
  /// Fault injection.
  public var faults: FaultConfiguration
  /// Called once per finished request with its redacted log entry (the executable prints it).
  public var onRequestLogged: (@Sendable (LoggedRequest) -> Void)?

  public init(
    host: String = "127.0.0.1", port: Int = 0, users: [SeedUser] = [], keyHashMode: KeyHashMode = .sha256,
    listShape: ListShape = .array, defaultPageSize: Int = 10, maxPageSize: Int = 100,
    accessTokenLifetime: Int = 900, refreshTokenLifetime: Int = 7 * 86_400, faults: FaultConfiguration = .none,
    onRequestLogged: (@Sendable (LoggedRequest) -> Void)? = nil
  ) {
    self.host = host
    self.port = port
    self.users = users
    self.keyHashMode = keyHashMode
    self.listShape = listShape
    self.defaultPageSize = defaultPageSize
    self.maxPageSize = maxPageSize
    self.accessTokenLifetime = accessTokenLifetime
    self.refreshTokenLifetime = refreshTokenLifetime
    self.faults = faults
    self.onRequestLogged = onRequestLogged
  }
}

/// A user in the seed file.
public struct SeedUser: Sendable, Codable, Equatable {
  public var username: String
  public var password: String
  public var keys: [SeedKey]

  public init(username: String, password: String, keys: [SeedKey] = []) {
    self.username = username
    self.password = password
    self.keys = keys
  }

  enum CodingKeys: String, CodingKey { case username, password, keys }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    username = try c.decode(String.self, forKey: .username)
    password = try c.decode(String.self, forKey: .password)
    keys = try c.decodeIfPresent([SeedKey].self, forKey: .keys) ?? []
  }
}

/// A key in the seed file. `id` and `created` default to a fresh UUID and "now".
public struct SeedKey: Sendable, Codable, Equatable {
  public var id: String?
  public var name: String
  /// The plaintext key.
  public var key: String
  /// `2026-03-16T11:39:32` (UTC); absent = emulator start time.
  public var created: String?
  /// `null` = never expires.
  public var expiresAt: String?

  public init(id: String? = nil, name: String, key: String, created: String? = nil, expiresAt: String? = nil) {
    self.id = id
    self.name = name
    self.key = key
    self.created = created
    self.expiresAt = expiresAt
  }

  enum CodingKeys: String, CodingKey {
    case id, name, key, created
    case expiresAt = "expires_at"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    // Seed ids may be written as strings or numbers.
    if let s = try? c.decodeIfPresent(String.self, forKey: .id) {
      id = s
    } else if let n = try? c.decodeIfPresent(Int.self, forKey: .id) {
      id = String(n)
    } else {
      id = nil
    }
    name = try c.decode(String.self, forKey: .name)
    key = try c.decode(String.self, forKey: .key)
    created = try c.decodeIfPresent(String.self, forKey: .created)
    expiresAt = try c.decodeIfPresent(String.self, forKey: .expiresAt)
  }
}

/// Errors raised while loading a seed or starting the emulator.
public enum FairEmulatorError: Error, CustomStringConvertible, Equatable {
  case badSeed(String)
  case startFailed(String)

  public var description: String {
    switch self {
    case .badSeed(let why): return "bad seed: \(why)"
    case .startFailed(let why): return "emulator failed to start: \(why)"
    }
  }
}

extension SeedUser {
  /// Reads a seed file: `[{"username","password","keys":[{"id","name","key","created","expires_at"}]}]`.
  /// Error messages never quote the file's content (it holds credentials).
  public static func load(contentsOf path: String) throws -> [SeedUser] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FairEmulatorError.badSeed("cannot read \(path)")
    }
    return try decode(data)
  }

  /// Decodes seed JSON.
  public static func decode(_ data: Data) throws -> [SeedUser] {
    let users: [SeedUser]
    do {
      users = try JSONDecoder().decode([SeedUser].self, from: data)
    } catch let DecodingError.keyNotFound(key, _) {
      throw FairEmulatorError.badSeed("missing field \"\(key.stringValue)\"")
    } catch let DecodingError.typeMismatch(_, context) {
      throw FairEmulatorError.badSeed("wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))")
    } catch {
      throw FairEmulatorError.badSeed("not a JSON array of users")
    }
    for user in users {
      for key in user.keys {
        if let created = key.created, FairFormat.parseTimestamp(created) == nil {
          throw FairEmulatorError.badSeed("key \"\(key.name)\" of \(user.username): bad created timestamp")
        }
        if let expires = key.expiresAt, FairFormat.parseTimestamp(expires) == nil {
          throw FairEmulatorError.badSeed("key \"\(key.name)\" of \(user.username): bad expires_at timestamp")
        }
      }
    }
    return users
  }
}
