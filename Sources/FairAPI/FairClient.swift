import Foundation

/// The FAIR API client. It knows keys, tokens and HTTP; nothing of scan findings.
///
/// - Authentication: with an API key every call carries `Authorization: Bearer <key>`.
///   With a username and password the client logs in first (`POST login_path`,
///   form-encoded) and sends `Bearer <access token>`; on a `401` it
///   re-authenticates (refresh when `refresh_path` is set and a refresh
///   token was issued, else logs in again) and retries the call once; a token
///   that expires again while that call waits out retries is renewed again (at
///   most `maxRenewals` times per call), a fresh token refused at once is an error.
/// - Retries: `429` honours `Retry-After` (seconds or HTTP date) up to
///   `retryAfterCap`, else full-jitter backoff. `500/502/503/504`, connection
///   failures, resets and timeouts are retried with backoff for GET, DELETE
///   and login only; a create POST is never retried after it may have reached
///   the server (it is retried only on `429`, which says it was not processed).
/// - Redirects are never followed (`FairAPIError.redirect`).
public actor FairClient {
  public nonisolated let configuration: FairConfiguration
  private let credentials: FairCredentials
  private let transport: any FairTransport
  private let sleeper: any FairSleeper
  private let now: @Sendable () -> Date
  private let random: @Sendable () -> Double

  private var accessToken: FairSecret?
  private var refreshToken: FairSecret?
  /// Bumped on every new access token, so concurrent 401s renew only once.
  private var tokenGeneration = 0
  private var authInFlight: Task<Void, Error>?
  /// When the run's budget (`runBudget`, counted from the client's creation) is spent.
  private let budgetEnd: ContinuousClock.Instant

  /// - Parameters:
  ///   - sleeper: waits between retries (inject one that returns at once in tests).
  ///   - now: the clock that `Retry-After` HTTP dates are measured against.
  ///   - random: a number in `[0, 1)` for backoff jitter.
  public init(
    configuration: FairConfiguration,
    credentials: FairCredentials,
    transport: any FairTransport,
    sleeper: any FairSleeper = TaskSleeper(),
    now: @escaping @Sendable () -> Date = { Date() },
    random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
  ) {
    self.configuration = configuration
    self.credentials = credentials
    self.transport = transport
    self.sleeper = sleeper
    self.now = now
    self.random = random
    self.budgetEnd = ContinuousClock.now + configuration.runBudget
  }

  // MARK: - Public calls

  /// Logs in with the username and password (a no-op with an API key, which
  /// needs no login). Other calls log in on their own when needed.
  public func login() async throws {
    guard case .password = credentials.kind else { return }
    try await renewSession(stale: nil, force: true)
  }

  /// Every key of the account, as listed. Accepts a JSON array (complete by itself), or a
  /// paged object `{"items", "total", "page", "size"}` whose pages are followed until they
  /// account for `total`. A listing that cannot be shown whole throws
  /// `FairAPIError.malformedResponse`: a `total` that is missing, negative or not an integer,
  /// pages that run out (or stop adding records) before `total`, more records than `total`.
  /// A record repeated whole (a page answered twice) counts once; records that share an `id`
  /// but differ are all returned, for the caller to refuse (`FairKey` equality).
  public func listKeys() async throws -> [FairKey] {
    let base = url(configuration.keysPath)
    var keys: [FairKey] = []
    var seen = Set<FairKey>()
    var requestedPage: Int? = nil
    var size = configuration.pageSize
    var pages = 0
    while true {
      pages += 1
      var query = "size=\(size)"
      if let requestedPage { query = "page=\(requestedPage)&" + query }
      let target = base + "?" + query
      let response = try await authorizedExchange(.listKeys, idempotent: true) { bearer in
        self.request(.GET, target, bearer: bearer)
      }
      guard (200..<300).contains(response.status) else { throw apiError(.listKeys, response) }
      func incomplete(_ reason: String) -> FairAPIError {
        .malformedResponse(operation: .listKeys, status: response.status, reason: reason)
      }
      let json = try parseJSON(.listKeys, response)
      if case .array(let items) = json {
        guard requestedPage == nil else { throw incomplete("page \(requestedPage!) answered with a bare array") }
        return try items.map { try decodeKey($0, status: response.status) }
      }
      guard case .array(let items)? = json["items"] else {
        throw incomplete("expected a JSON array of keys or an object with an `items` array")
      }
      let page = json["page"]?.int
      if let requestedPage, let page, page != requestedPage {
        throw incomplete("asked for page \(requestedPage), the server answered page \(page)")
      }
      guard let totalValue = json["total"] else {
        throw incomplete("a paged list without `total`: there is no telling whether every key was read")
      }
      guard let total = totalValue.count else { throw incomplete("`total` is not a whole number ≥ 0") }
      var added = 0
      for item in items {
        let key = try decodeKey(item, status: response.status)
        if seen.insert(key).inserted {
          keys.append(key)
          added += 1
        }
      }
      if let s = json["size"]?.int, s > 0 { size = s }
      if keys.count == total { break }
      if keys.count > total { throw incomplete("\(keys.count) keys listed, more than `total` \(total)") }
      if items.isEmpty { throw incomplete("the pages ended after \(keys.count) of `total` \(total) keys") }
      if added == 0 {
        throw incomplete(
          "page \(page ?? requestedPage ?? 1) added no key the earlier pages had not listed (\(keys.count) of `total` \(total))"
        )
      }
      guard pages < configuration.maxPages else {
        throw incomplete(
          "more than \(configuration.maxPages) pages (max_pages) and still \(keys.count) of `total` \(total) keys")
      }
      requestedPage = (page ?? requestedPage ?? 1) + 1
    }
    return keys
  }

  /// Creates a key; `expirationDays` 0 = never expires. The answer's `key_hash`
  /// is the plaintext key, returned as `CreatedKey.key`. Never retried after
  /// the request may have reached the server.
  public func createKey(name: String, expirationDays: Int) async throws -> CreatedKey {
    let body = "{\"name\":\(jsonString(name)),\"expiration_days\":\(expirationDays)}"
    let target = url(configuration.keysPath)
    let response = try await authorizedExchange(.createKey, idempotent: false) { bearer in
      self.request(.POST, target, bearer: bearer, contentType: "application/json", body: Array(body.utf8))
    }
    guard (200..<300).contains(response.status) else { throw apiError(.createKey, response) }
    let json = try parseJSON(.createKey, response)
    guard let id = json["id"]?.stringOrNumber else {
      throw FairAPIError.malformedResponse(operation: .createKey, status: response.status, reason: "no `id`")
    }
    guard let key = json["key_hash"]?.string, !key.isEmpty else {
      throw FairAPIError.malformedResponse(
        operation: .createKey, status: response.status, reason: "no `key_hash` (the plaintext key) in the answer")
    }
    return CreatedKey(
      id: id, name: json["name"]?.string ?? name, key: FairSecret(key),
      created: json["created"]?.string, expiresAt: json["expires_at"]?.string)
  }

  /// Revokes key `id`: `200`/`204` → `.revoked`; `404` (or `410`) → `.alreadyGone`.
  @discardableResult
  public func revokeKey(id: String) async throws -> RevokeResult {
    try await revokeKeyWithStatus(id: id).result
  }

  /// `revokeKey(id:)`, with the HTTP status of the answer that decided it (for audit logs).
  public func revokeKeyWithStatus(id: String) async throws -> (result: RevokeResult, status: Int) {
    let target = url(configuration.keysPath + "/" + Self.escapePathSegment(id))
    let response = try await authorizedExchange(.revokeKey, idempotent: true) { bearer in
      self.request(.DELETE, target, bearer: bearer)
    }
    switch response.status {
    case 200..<300: return (.revoked, response.status)
    case 404, 410: return (.alreadyGone, response.status)
    default: throw apiError(.revokeKey, response)
    }
  }

  /// Liveness probe of a *found* key: `GET keys_path` with the found key as the
  /// bearer. `200` → live, `401`/`403` → dead, anything else → inconclusive.
  /// Opt-in only: it uses a leaked credential against its account. The
  /// client's own session is not touched.
  public func probe(apiKey: String) async throws -> ProbeResult {
    let target = url(configuration.keysPath) + "?size=1"
    let secret = FairSecret(apiKey)
    let response = try await exchange(.probe, idempotent: true, extraSecrets: [apiKey]) {
      self.request(.GET, target, bearer: secret)
    }
    switch response.status {
    case 200..<300: return .live
    case 401, 403: return .dead(status: response.status)
    default: return .inconclusive(status: response.status)
    }
  }

  // MARK: - Sessions

  private func sessionBearer() async throws -> (FairSecret, Int) {
    switch credentials.kind {
    case .apiKey(let key):
      return (key, 0)
    case .password:
      if accessToken == nil { try await renewSession(stale: nil, force: false) }
      guard let token = accessToken else { throw FairAPIError.loginNotPossible(operation: .login) }
      return (token, tokenGeneration)
    }
  }

  /// Gets a new access token, once for any number of concurrent callers.
  /// `stale`: the generation that got a 401 (nil: first login).
  private func renewSession(stale: Int?, force: Bool) async throws {
    if let task = authInFlight {
      try await task.value
      return
    }
    if !force {
      if let stale, stale != tokenGeneration { return }  // someone renewed already
      if stale == nil, accessToken != nil { return }
    }
    let allowRefresh = stale != nil
    let task = Task { try await self.authenticate(allowRefresh: allowRefresh) }
    authInFlight = task
    defer { authInFlight = nil }
    try await task.value
  }

  private func authenticate(allowRefresh: Bool) async throws {
    guard case .password(let username, let password) = credentials.kind else {
      throw FairAPIError.loginNotPossible(operation: .login)
    }
    if allowRefresh, let path = configuration.refreshPath, let token = refreshToken {
      do {
        try await tokenRequest(
          .refresh, path: path, form: [("grant_type", "refresh_token"), ("refresh_token", token.revealed)])
        return
      } catch let error as CancellationError {
        throw error
      } catch {
        // A refused or failed refresh: fall back to logging in again.
      }
    }
    try await tokenRequest(
      .login, path: configuration.loginPath,
      form: [("grant_type", "password"), ("username", username.revealed), ("password", password.revealed)])
  }

  private func tokenRequest(_ op: FairOperation, path: String, form: [(String, String)]) async throws {
    let body = Array(Self.formEncode(form).utf8)
    let target = url(path)
    let response = try await exchange(op, idempotent: true) {
      self.request(.POST, target, bearer: nil, contentType: "application/x-www-form-urlencoded", body: body)
    }
    guard (200..<300).contains(response.status) else { throw apiError(op, response) }
    let json = try parseJSON(op, response)
    guard let access = json["access_token"]?.string, !access.isEmpty else {
      throw FairAPIError.malformedResponse(operation: op, status: response.status, reason: "no `access_token`")
    }
    accessToken = FairSecret(access)
    if let refresh = json["refresh_token"]?.string, !refresh.isEmpty {
      refreshToken = FairSecret(refresh)
    }
    tokenGeneration += 1
  }

  // MARK: - Exchanges

  /// Sends with the session's bearer; on a 401 with a username/password,
  /// re-authenticates and sends once more. A fresh token refused at once is an error; one
  /// that expired while the call waited out retries (`429`, `5xx`) is renewed again, at most
  /// `maxRenewals` times per call.
  private func authorizedExchange(
    _ op: FairOperation, idempotent: Bool, build: @Sendable (FairSecret) -> FairHTTPRequest
  ) async throws -> FairHTTPResponse {
    var renewals = 0
    while true {
      let (token, generation) = try await sessionBearer()
      let (response, attempts) = try await exchangeCounting(op, idempotent: idempotent) { build(token) }
      if response.status == 401, case .password = credentials.kind,
        renewals == 0 || (attempts > 1 && renewals < Self.maxRenewals)
      {
        renewals += 1
        try await renewSession(stale: generation, force: false)
        continue
      }
      return response
    }
  }

  /// The most re-authentications one call makes (each after its token expired mid-call).
  static let maxRenewals = 3

  /// One call with its retries: `429` always (per `Retry-After` or backoff);
  /// 5xx and transient transport faults only when `idempotent`. 3xx throws.
  /// Each attempt ends by `requestTimeout` (connect, headers and body), and no attempt or
  /// wait goes past the run's budget.
  private func exchange(
    _ op: FairOperation, idempotent: Bool, extraSecrets: [String] = [],
    build: @Sendable () -> FairHTTPRequest
  ) async throws -> FairHTTPResponse {
    try await exchangeCounting(op, idempotent: idempotent, extraSecrets: extraSecrets, build: build).response
  }

  /// `exchange`, with the number of attempts the answer took.
  private func exchangeCounting(
    _ op: FairOperation, idempotent: Bool, extraSecrets: [String] = [],
    build: @Sendable () -> FairHTTPRequest
  ) async throws -> (response: FairHTTPResponse, attempts: Int) {
    let maxAttempts = configuration.retry.maxAttempts
    var attempt = 0
    while true {
      attempt += 1
      try Task.checkCancellation()
      let response: FairHTTPResponse
      do {
        response = try await send(build(), op)
      } catch let error as CancellationError {
        throw error
      } catch let error as FairAPIError {
        throw error
      } catch {
        let failure = (error as? FairTransportError) ?? FairTransportError(.other, String(describing: error))
        if idempotent && failure.isTransient && attempt < maxAttempts {
          try await pause(backoff(retry: attempt), op)
          continue
        }
        throw FairAPIError.transport(
          operation: op, reason: redactor(extraSecrets).redact(failure.reason), attempts: attempt)
      }
      switch response.status {
      case 429:
        if let wait = retryAfter(response) {
          if wait > configuration.retryAfterCap {
            throw FairAPIError.rateLimited(operation: op, retryAfterSeconds: Int(wait.seconds.rounded(.up)))
          }
          guard attempt < maxAttempts else { throw FairAPIError.rateLimited(operation: op, retryAfterSeconds: nil) }
          try await pause(wait, op)
        } else {
          guard attempt < maxAttempts else { throw FairAPIError.rateLimited(operation: op, retryAfterSeconds: nil) }
          try await pause(backoff(retry: attempt), op)
        }
        continue
      case 500, 502, 503, 504:
        if idempotent && attempt < maxAttempts {
          try await pause(backoff(retry: attempt), op)
          continue
        }
        return (response, attempt)
      case 300..<400:
        throw FairAPIError.redirect(operation: op, status: response.status, locationHost: locationHost(response))
      default:
        return (response, attempt)
      }
    }
  }

  /// One attempt, ended by `requestTimeout` or by what is left of the budget, whichever
  /// comes first (a budget cut is `budgetExhausted`, not a retryable timeout).
  private func send(_ request: FairHTTPRequest, _ op: FairOperation) async throws -> FairHTTPResponse {
    let left = budgetEnd - ContinuousClock.now
    guard left > .zero else { throw budgetExhausted(op) }
    let perRequest = configuration.requestTimeout > .zero ? configuration.requestTimeout : left
    let limit = min(perRequest, left)
    let transport = self.transport
    do {
      return try await FairDeadline.run(timeout: limit, what: "\(op)") { try await transport.send(request) }
    } catch let error as FairTransportError where error.kind == .timeout && limit < perRequest {
      throw budgetExhausted(op)
    }
  }

  /// Waits `duration` before a retry, unless the wait would outlast the budget.
  private func pause(_ duration: Duration, _ op: FairOperation) async throws {
    guard duration < budgetEnd - ContinuousClock.now else { throw budgetExhausted(op) }
    try await sleeper.sleep(for: duration)
  }

  private func budgetExhausted(_ op: FairOperation) -> FairAPIError {
    .budgetExhausted(operation: op, budgetSeconds: configuration.runBudget.seconds)
  }

  private func backoff(retry: Int) -> Duration {
    configuration.retry.delay(forRetry: retry, unit: random())
  }

  /// `Retry-After` as a wait: delay-seconds or an HTTP date (from `now`).
  func retryAfter(_ response: FairHTTPResponse) -> Duration? {
    guard let raw = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
      return nil
    }
    if let seconds = Double(raw), seconds.isFinite {
      return .seconds(max(0, seconds))
    }
    guard let date = HTTPDate.parse(raw) else { return nil }
    return .seconds(max(0, date.timeIntervalSince(now())))
  }

  private func locationHost(_ response: FairHTTPResponse) -> String? {
    guard let location = response.header("Location") else { return nil }
    if let host = URLComponents(string: location)?.host, !host.isEmpty { return host }
    return configuration.baseHost
  }

  // MARK: - Helpers

  private func url(_ path: String) -> String { configuration.baseURL + path }

  private nonisolated func request(
    _ method: FairHTTPRequest.Method, _ url: String, bearer: FairSecret?, contentType: String? = nil,
    body: [UInt8]? = nil
  ) -> FairHTTPRequest {
    var headers: [(name: String, value: String)] = [
      ("User-Agent", configuration.userAgent),
      ("Accept", "application/json"),
    ]
    if let bearer { headers.append(("Authorization", "Bearer " + bearer.revealed)) }
    if let contentType { headers.append(("Content-Type", contentType)) }
    return FairHTTPRequest(method: method, url: url, headers: headers, body: body)
  }

  private func redactor(_ extra: [String] = []) -> Redactor {
    var secrets = extra
    switch credentials.kind {
    case .apiKey(let key): secrets.append(key.revealed)
    case .password(let user, let password):
      secrets.append(password.revealed)
      if user.revealed.count >= 6 { secrets.append(user.revealed) }
    }
    if let accessToken { secrets.append(accessToken.revealed) }
    if let refreshToken { secrets.append(refreshToken.revealed) }
    return Redactor(secrets: secrets)
  }

  /// The server's `detail` / `message` / `error`, redacted.
  private func apiError(_ op: FairOperation, _ response: FairHTTPResponse) -> FairAPIError {
    var message: String? = nil
    if let json = JSONValue.parse(response.body) {
      message = Self.serverMessage(json)
    }
    return .http(operation: op, status: response.status, message: message.map { redactor().redact($0) })
  }

  static func serverMessage(_ json: JSONValue) -> String? {
    for field in ["detail", "message", "error_description", "error"] {
      guard let value = json[field] else { continue }
      switch value {
      case .string(let s): return s
      case .array(let items):
        // FastAPI validation errors: [{"loc": [...], "msg": "...", ...}]
        let texts = items.compactMap { $0["msg"]?.string ?? $0.string }
        if !texts.isEmpty { return texts.joined(separator: "; ") }
      case .object:
        if let inner = serverMessage(value) { return inner }
      default: continue
      }
    }
    return nil
  }

  private func parseJSON(_ op: FairOperation, _ response: FairHTTPResponse) throws -> JSONValue {
    guard let json = JSONValue.parse(response.body) else {
      let what = response.body.isEmpty ? "an empty body" : "a body that is not JSON (\(response.body.count) bytes)"
      throw FairAPIError.malformedResponse(
        operation: op, status: response.status, reason: "expected JSON, got \(what)")
    }
    return json
  }

  private func decodeKey(_ value: JSONValue, status: Int) throws -> FairKey {
    guard case .object = value else {
      throw FairAPIError.malformedResponse(operation: .listKeys, status: status, reason: "a key is not a JSON object")
    }
    guard let id = value["id"]?.stringOrNumber else {
      throw FairAPIError.malformedResponse(operation: .listKeys, status: status, reason: "a key has no `id`")
    }
    return FairKey(
      id: id, name: value["name"]?.string ?? "", keyHash: value["key_hash"]?.string,
      created: value["created"]?.string, expiresAt: value["expires_at"]?.string)
  }

  private nonisolated func jsonString(_ s: String) -> String {
    let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  static func formEncode(_ pairs: [(String, String)]) -> String {
    pairs.map { "\(formEscape($0.0))=\(formEscape($0.1))" }.joined(separator: "&")
  }

  /// application/x-www-form-urlencoded: unreserved characters as is, the rest percent-encoded.
  static func formEscape(_ s: String) -> String {
    var out = ""
    for byte in s.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
        UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        out += String(format: "%%%02X", byte)
      }
    }
    return out
  }

  static func escapePathSegment(_ s: String) -> String { formEscape(s) }
}
