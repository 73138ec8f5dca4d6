import FairScanDigest
import Foundation

/// Retries for calls without side effects, and for `429`: full-jitter
/// exponential backoff. Retry `n` (1-based) waits a uniformly random time in
/// `[0, min(maxDelay, baseDelay * 2^(n-1))]`.
public struct RetryPolicy: Sendable, Equatable {
  /// Attempts in all, the first one included (1 = never retry).
  public var maxAttempts: Int
  public var baseDelay: Duration
  public var maxDelay: Duration

  public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30)) {
    self.maxAttempts = max(1, maxAttempts)
    self.baseDelay = max(.zero, baseDelay)
    self.maxDelay = max(.zero, maxDelay)
  }

  /// The ceiling of the wait before retry `retry` (1-based).
  public func ceiling(forRetry retry: Int) -> Duration {
    let exponent = min(max(0, retry - 1), 30)
    let base = baseDelay.seconds * pow(2, Double(exponent))
    return .seconds(min(maxDelay.seconds, base))
  }

  /// The wait before retry `retry`, with `unit` a random number in `[0, 1)`.
  public func delay(forRetry retry: Int, unit: Double) -> Duration {
    let u = min(max(unit, 0), 1)
    return .seconds(ceiling(forRetry: retry).seconds * u)
  }
}

/// A bad setting: the text says which one and what is accepted.
public enum FairConfigurationError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
  case invalidBaseURL(String, reason: String)
  case invalidSetting(name: String, value: String, expected: String)
  case caFileUnreadable(path: String, reason: String)

  public var description: String {
    switch self {
    case .invalidBaseURL(let url, let reason):
      return "invalid FAIR base URL \(url): \(reason)"
    case .invalidSetting(let name, let value, let expected):
      return "invalid FAIR setting \(name)=\(value): expected \(expected)"
    case .caFileUnreadable(let path, let reason):
      return "cannot use CA file \(path): \(reason)"
    }
  }

  public var errorDescription: String? { description }
}

/// Everything the client needs that is not a credential. Every Part B
/// assumption of the contract is a field here, so a deployment that differs
/// is a setting, not a code change.
///
/// Settings by name (`FairConfiguration(settings:)`, e.g. from a config file)
/// and by environment (`fromEnvironment`, the same names upper-cased with a
/// `FAIR_` prefix: `base_url` ↔ `FAIR_BASE_URL`):
///
/// | setting | default |
/// | --- | --- |
/// | `base_url` | `https://fair-dev.gradiant.org` |
/// | `connect_timeout` (s) | 10 |
/// | `request_timeout` (s) | 30 (the whole request: connect, headers and body) |
/// | `run_budget` (s) | 60 (every FAIR call of one run, retries and their waits included) |
/// | `retry_max_attempts` | 4 |
/// | `retry_base_delay` (s) | 0.5 |
/// | `retry_max_delay` (s) | 30 |
/// | `retry_after_cap` (s) | 60 |
/// | `ca_file` | none (system roots) |
/// | `key_digest` | `sha256` (`sha512`, `plain`) |
/// | `page_size` | 100 |
/// | `login_path` | `/api/auth/login` |
/// | `keys_path` | `/api/v1/api-keys` |
/// | `refresh_path` | none (re-login on 401) |
/// | `max_pages` | 1000 |
/// | `probe_interval` (s) | 1 (`--probe`: the least time between two liveness probes) |
/// | `probe_max` | 25 (`--probe`: at most this many distinct keys probed per run) |
public struct FairConfiguration: Sendable, Equatable {
  public static let defaultBaseURL = "https://fair-dev.gradiant.org"
  /// The version in the default user agent.
  public static let defaultClientVersion = "0.1.0"

  /// The validated base URL, without a trailing slash (it may carry a path prefix).
  public private(set) var baseURL: String
  /// The base URL's host (no brackets for IPv6), for messages.
  public private(set) var baseHost: String
  public var connectTimeout: Duration
  /// The whole of one request: connect, headers and the last byte of the body.
  public var requestTimeout: Duration
  /// All FAIR calls of one client (one run) together, retries and their waits included: a
  /// call that cannot finish within what is left fails with `FairAPIError.budgetExhausted`.
  public var runBudget: Duration = .seconds(60)
  public var retry: RetryPolicy
  /// The longest `Retry-After` the client will wait; a longer one fails the
  /// call with `FairAPIError.rateLimited`.
  public var retryAfterCap: Duration
  /// A PEM file of CA certificates that replaces the system trust roots (for a
  /// deployment behind a private CA). Verification is never turned off.
  public var caFile: String?
  public var keyDigest: KeyDigest
  /// `size` asked of a paged list.
  public var pageSize: Int
  /// A guard against a server whose paging never ends.
  public var maxPages: Int
  public var loginPath: String
  public var keysPath: String
  /// If set, a `401` first tries `POST refresh_path` with
  /// `grant_type=refresh_token&refresh_token=…` before logging in again.
  public var refreshPath: String?
  /// `fairscan/<version>`.
  public var userAgent: String
  /// `--probe`: the least time between two liveness probes of found keys.
  public var probeInterval: Duration = .seconds(1)
  /// `--probe`: at most this many distinct found keys are probed in one run.
  public var probeLimit: Int = 25

  public init(
    baseURL: String = FairConfiguration.defaultBaseURL,
    clientVersion: String = FairConfiguration.defaultClientVersion,
    connectTimeout: Duration = .seconds(10),
    requestTimeout: Duration = .seconds(30),
    retry: RetryPolicy = RetryPolicy(),
    retryAfterCap: Duration = .seconds(60),
    caFile: String? = nil,
    keyDigest: KeyDigest = .sha256,
    pageSize: Int = 100,
    maxPages: Int = 1000,
    loginPath: String = "/api/auth/login",
    keysPath: String = "/api/v1/api-keys",
    refreshPath: String? = nil
  ) throws {
    let (url, host) = try Self.validateBaseURL(baseURL)
    self.baseURL = url
    self.baseHost = host
    self.connectTimeout = connectTimeout
    self.requestTimeout = requestTimeout
    self.retry = retry
    self.retryAfterCap = retryAfterCap
    self.caFile = caFile
    self.keyDigest = keyDigest
    self.pageSize = max(1, pageSize)
    self.maxPages = max(1, maxPages)
    self.loginPath = Self.normalizePath(loginPath)
    self.keysPath = Self.normalizePath(keysPath)
    self.refreshPath = refreshPath.map(Self.normalizePath)
    self.userAgent = "fairscan/\(clientVersion)"
  }

  /// Replaces the base URL, with the same rules as `init`.
  public mutating func setBaseURL(_ url: String) throws {
    (baseURL, baseHost) = try Self.validateBaseURL(url)
  }

  /// Builds a configuration from named settings (see the table above); names
  /// not in the table are ignored, so one config file can hold other sections.
  public init(settings: [String: String], clientVersion: String = FairConfiguration.defaultClientVersion) throws {
    func value(_ name: String) -> String? {
      guard let v = settings[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
      return v
    }
    func seconds(_ name: String, _ fallback: Duration) throws -> Duration {
      guard let v = value(name) else { return fallback }
      guard let d = Double(v), d >= 0, d.isFinite else {
        throw FairConfigurationError.invalidSetting(name: name, value: v, expected: "a number of seconds ≥ 0")
      }
      return .seconds(d)
    }
    func integer(_ name: String, _ fallback: Int, minimum: Int) throws -> Int {
      guard let v = value(name) else { return fallback }
      guard let n = Int(v), n >= minimum else {
        throw FairConfigurationError.invalidSetting(name: name, value: v, expected: "an integer ≥ \(minimum)")
      }
      return n
    }
    var digest = KeyDigest.sha256
    if let v = value("key_digest") {
      guard let d = KeyDigest(setting: v) else {
        throw FairConfigurationError.invalidSetting(name: "key_digest", value: v, expected: "sha256, sha512 or plain")
      }
      digest = d
    }
    let defaults = RetryPolicy()
    try self.init(
      baseURL: value("base_url") ?? Self.defaultBaseURL,
      clientVersion: clientVersion,
      connectTimeout: try seconds("connect_timeout", .seconds(10)),
      requestTimeout: try seconds("request_timeout", .seconds(30)),
      retry: RetryPolicy(
        maxAttempts: try integer("retry_max_attempts", defaults.maxAttempts, minimum: 1),
        baseDelay: try seconds("retry_base_delay", defaults.baseDelay),
        maxDelay: try seconds("retry_max_delay", defaults.maxDelay)),
      retryAfterCap: try seconds("retry_after_cap", .seconds(60)),
      caFile: value("ca_file"),
      keyDigest: digest,
      pageSize: try integer("page_size", 100, minimum: 1),
      maxPages: try integer("max_pages", 1000, minimum: 1),
      loginPath: value("login_path") ?? "/api/auth/login",
      keysPath: value("keys_path") ?? "/api/v1/api-keys",
      refreshPath: value("refresh_path"))
    probeInterval = try seconds("probe_interval", .seconds(1))
    runBudget = try seconds("run_budget", .seconds(60))
    guard runBudget > .zero else {
      throw FairConfigurationError.invalidSetting(
        name: "run_budget", value: value("run_budget") ?? "0", expected: "a number of seconds > 0")
    }
    probeLimit = try integer("probe_max", 25, minimum: 0)
  }

  /// The setting names `init(settings:)` reads.
  public static let settingNames = [
    "base_url", "connect_timeout", "request_timeout", "retry_max_attempts", "retry_base_delay",
    "retry_max_delay", "retry_after_cap", "ca_file", "key_digest", "page_size", "max_pages",
    "login_path", "keys_path", "refresh_path", "probe_interval", "probe_max", "run_budget",
  ]

  /// `settings` overlaid with the environment: `FAIR_BASE_URL`, `FAIR_CONNECT_TIMEOUT`, …
  /// (environment wins, as it is the more specific source).
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment,
    settings: [String: String] = [:],
    clientVersion: String = FairConfiguration.defaultClientVersion
  ) throws -> FairConfiguration {
    var merged = settings
    for name in settingNames {
      if let v = environment["FAIR_" + name.uppercased()], !v.isEmpty { merged[name] = v }
    }
    return try FairConfiguration(settings: merged, clientVersion: clientVersion)
  }

  /// Hosts where plain `http://` is allowed (the local emulator).
  public static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1"]

  /// Checks the rules: absolute `https://` URL with a host, or `http://` to a
  /// loopback host; no user info, query or fragment. Returns the URL without a
  /// trailing slash and its host.
  static func validateBaseURL(_ raw: String) throws -> (String, String) {
    let text = raw.trimmingCharacters(in: .whitespaces)
    func fail(_ reason: String) -> FairConfigurationError { .invalidBaseURL(text, reason: reason) }
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
      throw fail("not an absolute URL (expected https://host)")
    }
    guard var host = components.host, !host.isEmpty else { throw fail("no host (expected https://host)") }
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    host = host.lowercased()
    guard components.user == nil, components.password == nil else {
      throw fail("credentials in the URL are not allowed (use FAIR_API_KEY or the credentials file)")
    }
    guard components.query == nil, components.fragment == nil else {
      throw fail("a query or fragment is not allowed")
    }
    switch scheme {
    case "https": break
    case "http":
      guard loopbackHosts.contains(host) else {
        throw fail("plain http:// is allowed only to a loopback address (127.0.0.1, localhost, [::1]); use https://")
      }
    default:
      throw fail("scheme \(scheme):// is not supported; use https://")
    }
    var normalized = text
    while normalized.hasSuffix("/") { normalized.removeLast() }
    return (normalized, host)
  }

  static func normalizePath(_ path: String) -> String {
    var p = path.trimmingCharacters(in: .whitespaces)
    if !p.hasPrefix("/") { p = "/" + p }
    while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
    return p
  }
}

extension Duration {
  /// This duration in seconds, as a Double.
  var seconds: Double {
    let c = components
    return Double(c.seconds) + Double(c.attoseconds) / 1e18
  }
}
