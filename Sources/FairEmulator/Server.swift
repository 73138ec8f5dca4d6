import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Per-request scratch the handlers fill in and the front door logs.
final class RequestNotes: Sendable {
  struct Values {
    var auth: AuthKind = .notApplicable
    var apiKeyID: String?
    var notes: [String] = []
  }
  let values = Mutex(Values())

  func authenticated(_ outcome: AuthOutcome) {
    values.withLock { v in
      switch outcome {
      case .missing: v.auth = .none
      case .rejected(let why):
        v.auth = .rejected
        v.notes.append(why)
      case .user(_, let kind, let keyID):
        v.auth = kind
        v.apiKeyID = keyID
      }
    }
  }

  func note(_ text: String) { values.withLock { $0.notes.append(text) } }
  func snapshot() -> Values { values.withLock { $0 } }
}

/// Request context that can reach the connection (to drop it) and carries log notes.
struct EmulatorContext: RequestContext {
  var coreContext: CoreRequestContextStorage
  let channel: any Channel
  let notes = RequestNotes()

  init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    channel = source.channel
  }
}

/// Counts, delays, injects faults and logs every request.
struct FrontDoor: RouterMiddleware {
  typealias Context = EmulatorContext
  let core: EmulatorCore

  func handle(
    _ request: Request, context: EmulatorContext,
    next: (Request, EmulatorContext) async throws -> Response
  ) async throws -> Response {
    let started = ContinuousClock.now
    let decision = core.decideFaults()
    if decision.latencyMilliseconds > 0 {
      try? await Task.sleep(for: .milliseconds(decision.latencyMilliseconds))
    }
    var response: Response
    if let injected = decision.injectedStatus {
      context.notes.note("injected-\(injected)")
      let reason = injected == 429 ? "Too Many Requests" : "Injected fault"
      response = Responses.json(injected, #"{"detail":\#(jsonString(reason))}"#)
      if injected == 429, let retryAfter = decision.retryAfter {
        response.headers[.retryAfter] = retryAfter
      }
    } else {
      do {
        response = try await next(request, context)
      } catch let error as any HTTPResponseError {
        let status = Int(error.status.code)
        response = Responses.json(status, #"{"detail":\#(jsonString(error.status.reasonPhrase))}"#)
      } catch {
        response = Responses.json(500, #"{"detail":"Internal Server Error"}"#)
      }
    }
    let elapsed = ContinuousClock.now - started
    let values = context.notes.snapshot()
    let path = request.uri.path.split(separator: "/", omittingEmptySubsequences: false)
      .map { core.isSecret(String($0)) ? "REDACTED" : String($0) }.joined(separator: "/")
    core.record(
      LoggedRequest(
        sequence: decision.sequence, method: request.method.rawValue,
        path: LoggedRequest.redact(path: path, query: request.uri.query), status: Int(response.status.code),
        auth: values.auth, apiKeyID: values.apiKeyID, notes: values.notes,
        durationMilliseconds: Int(
          elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)))
    return response
  }
}

enum Responses {
  static func json(_ status: Int, _ body: String, extraHeaders: HTTPFields = [:]) -> Response {
    var headers = extraHeaders
    headers[.contentType] = "application/json"
    return Response(
      status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
  }

  static func detail(_ status: Int, _ message: String) -> Response {
    var headers: HTTPFields = [:]
    if status == 401 { headers[.wwwAuthenticate] = "Bearer" }
    return json(status, #"{"detail":\#(jsonString(message))}"#, extraHeaders: headers)
  }

  static func keyObject(_ key: StoredKey, keyHash: String) -> String {
    let expires = key.expiresAt.map { jsonString(FairFormat.timestamp($0)) } ?? "null"
    return
      "{\"id\":\(jsonString(key.id)),\"name\":\(jsonString(key.name)),\"key_hash\":\(jsonString(keyHash)),\"created\":\(jsonString(FairFormat.timestamp(key.created))),\"expires_at\":\(expires)}"
  }
}

/// Parses `application/x-www-form-urlencoded`.
func parseForm(_ body: String) -> [String: String] {
  var out: [String: String] = [:]
  for pair in body.split(separator: "&") {
    let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
    func decode(_ s: Substring) -> String {
      String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
    }
    out[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
  }
  return out
}

func buildRouter(core: EmulatorCore) -> Router<EmulatorContext> {
  let router = Router(context: EmulatorContext.self)
  router.middlewares.add(FrontDoor(core: core))

  @Sendable func tokenAnswer(_ tokens: (access: String, refresh: String)) -> Response {
    Responses.json(
      200,
      "{\"access_token\":\(jsonString(tokens.access)),\"token_type\":\"bearer\",\"refresh_token\":\(jsonString(tokens.refresh)),\"accepted_terms_of_service\":true}"
    )
  }

  router.post("/api/auth/login") { request, context -> Response in
    let buffer = try await request.body.collect(upTo: 64 * 1024)
    let form = parseForm(String(buffer: buffer))
    if let grant = form["grant_type"], !grant.isEmpty, grant != "password" {
      return Responses.detail(400, "unsupported grant_type")
    }
    guard let username = form["username"], let password = form["password"], !username.isEmpty else {
      return Responses.detail(422, "username and password are required")
    }
    guard let tokens = core.login(username: username, password: password) else {
      context.notes.note("bad-credentials")
      return Responses.detail(401, "Incorrect username or password")
    }
    return tokenAnswer(tokens)
  }

  // Not in the documented contract: a refresh grant for clients configured to refresh.
  router.post("/api/auth/refresh") { request, context -> Response in
    let buffer = try await request.body.collect(upTo: 64 * 1024)
    let text = String(buffer: buffer)
    var token = parseForm(text)["refresh_token"]
    if token == nil, let data = text.data(using: .utf8),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    {
      token = object["refresh_token"] as? String
    }
    guard let token, !token.isEmpty else { return Responses.detail(422, "refresh_token is required") }
    guard let tokens = core.refresh(token: token) else {
      context.notes.note("bad-refresh-token")
      return Responses.detail(401, "Could not validate credentials")
    }
    return tokenAnswer(tokens)
  }

  @Sendable func authenticate(_ request: Request, _ context: EmulatorContext) -> String? {
    let outcome = core.authenticate(request.headers[.authorization])
    context.notes.authenticated(outcome)
    if case .user(let name, _, _) = outcome { return name }
    return nil
  }

  @Sendable func unauthorized(_ request: Request) -> Response {
    request.headers[.authorization] == nil
      ? Responses.detail(401, "Not authenticated") : Responses.detail(401, "Could not validate credentials")
  }

  router.get("/api/v1/api-keys") { request, context -> Response in
    guard let owner = authenticate(request, context) else { return unauthorized(request) }
    let faults = core.faults()
    if faults.listStallSeconds > 0 {
      context.notes.note("stalled")
      try? await Task.sleep(for: .seconds(faults.listStallSeconds))
    }
    let (shape, mode) = core.listSettings()
    var keys = core.keys(of: owner)
    if core.takeListing(), let hidden = faults.flickerKeyID {
      keys.removeAll { $0.id == hidden }
      context.notes.note("flicker")
    }
    var listed = keys.map { (key: $0, hash: $0.listedHash(mode)) }
    if faults.duplicateKeyHash, listed.count >= 2 {
      listed[1].hash = listed[0].hash
      context.notes.note("duplicate-key-hash")
    }
    if faults.duplicateID, let first = listed.first {
      var twin = first.key
      twin.plaintext = FairFormat.newAPIKey()
      listed.append((twin, twin.listedHash(mode)))
      context.notes.note("duplicate-id")
    }
    let objects = listed.map { Responses.keyObject($0.key, keyHash: $0.hash) }
    let body: String
    switch shape {
    case .array:
      body = "[" + objects.joined(separator: ",") + "]"
    case .paged:
      let query = request.uri.queryParameters
      var page = 1
      var size = core.defaultPageSize
      if let raw = query["page"] {
        guard let p = Int(raw), p >= 1 else { return Responses.detail(422, "page must be an integer >= 1") }
        page = p
      }
      if let raw = query["size"] {
        guard let s = Int(raw), s >= 1 else { return Responses.detail(422, "size must be an integer >= 1") }
        size = min(s, core.maxPageSize)
      }
      let served = faults.repeatFirstPage ? 1 : page
      let start = min(objects.count, (served - 1) * size)
      let end = min(objects.count, start + size)
      let total = faults.listTotal ?? String(objects.count)
      body =
        "{\"items\":[\(objects[start..<end].joined(separator: ","))],\"total\":\(total),\"page\":\(page),\"size\":\(size)}"
    }
    if core.takeMalformedList() {
      context.notes.note("malformed-json")
      // Cut the document mid-way and leave a dangling token: no JSON parser accepts it.
      return Responses.json(200, String(body.prefix(max(1, body.count / 2))) + "{\"id\":")
    }
    if faults.listTrickleMilliseconds > 0 {
      context.notes.note("trickled")
      let bytes = Array(body.utf8)
      let pause = faults.listTrickleMilliseconds
      var headers: HTTPFields = [:]
      headers[.contentType] = "application/json"
      return Response(
        status: .ok, headers: headers,
        body: ResponseBody(contentLength: bytes.count) { writer in
          for byte in bytes {
            try await writer.write(ByteBuffer(bytes: [byte]))
            try await Task.sleep(for: .milliseconds(pause))
          }
          try await writer.finish(nil)
        })
    }
    return Responses.json(200, body)
  }

  router.post("/api/v1/api-keys") { request, context -> Response in
    guard let owner = authenticate(request, context) else { return unauthorized(request) }
    let buffer = try await request.body.collect(upTo: 64 * 1024)
    struct CreateBody: Decodable {
      var name: String?
      var expirationDays: Int?
      enum CodingKeys: String, CodingKey {
        case name
        case expirationDays = "expiration_days"
      }
    }
    guard let parsed = try? JSONDecoder().decode(CreateBody.self, from: Data(buffer: buffer)) else {
      return Responses.detail(422, "body must be a JSON object {name: string, expiration_days: integer}")
    }
    guard let name = parsed.name, !name.isEmpty, name.count <= 255 else {
      return Responses.detail(422, "name must be a non-empty string")
    }
    guard let days = parsed.expirationDays, days >= 0, days <= 36_500 else {
      return Responses.detail(422, "expiration_days must be an integer >= 0")
    }
    let key = core.createKey(owner: owner, name: name, expirationDays: days)
    context.notes.note("created-key-id=\(key.id)")
    return Responses.json(200, Responses.keyObject(key, keyHash: key.plaintext))
  }

  router.delete("/api/v1/api-keys/:id") { request, context -> Response in
    guard let owner = authenticate(request, context) else { return unauthorized(request) }
    let faults = core.faults()
    if faults.deleteAnswers404 {
      context.notes.note("lied-404")
      return Responses.detail(404, "API key not found")
    }
    guard let id = context.parameters.get("id"), core.revoke(id: id, owner: owner) else {
      return Responses.detail(404, "API key not found")
    }
    if faults.revokeAnswerDelayMilliseconds > 0 {
      context.notes.note("answer-held")
      try? await Task.sleep(for: .milliseconds(faults.revokeAnswerDelayMilliseconds))
    }
    if core.takeDropAfterRevoke() {
      context.notes.note("dropped-connection")
      try? await context.channel.close()
    }
    return Response(status: .noContent)
  }

  return router
}

extension Data {
  init(buffer: ByteBuffer) {
    self = buffer.withUnsafeReadableBytes { Data($0) }
  }
}
