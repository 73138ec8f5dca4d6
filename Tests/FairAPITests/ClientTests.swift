import Foundation
import Testing
@testable import FairAPI

@Suite struct ListTests {
  @Test func arrayShape() async throws {
    let t = FakeTransport([.json(200, "[\(keyJSON("k1")), \(keyJSON("k2"))]")])
    let keys = try await makeClient(t).listKeys()
    #expect(keys.map(\.id) == ["k1", "k2"])
    #expect(keys[0].name == "key k1")
    #expect(keys[0].expiresAt == nil)
    #expect(keys[0].created == "2026-03-16T11:39:32")  // read as UTC: ISODateTests (FairScanKit)
    let r = t.requests[0]
    #expect(r.method == .GET)
    #expect(r.url == "https://fair.example/api/v1/api-keys?size=100")
    #expect(r.header("Authorization") == "Bearer \(apiKeySecret)")
    #expect(r.header("User-Agent") == "fairscan/\(FairConfiguration.defaultClientVersion)")
  }

  @Test func pagedObjectFollowsEveryPage() async throws {
    let t = FakeTransport([
      .json(200, #"{"items": [\#(keyJSON("a")), \#(keyJSON("b"))], "total": 5, "page": 1, "size": 2}"#),
      .json(200, #"{"items": [\#(keyJSON("c")), \#(keyJSON("d"))], "total": 5, "page": 2, "size": 2}"#),
      .json(200, #"{"items": [\#(keyJSON("e"))], "total": 5, "page": 3, "size": 2}"#),
    ])
    let keys = try await makeClient(t, configuration: config(pageSize: 2)).listKeys()
    #expect(keys.map(\.id) == ["a", "b", "c", "d", "e"])
    #expect(
      t.requests.map(\.url) == [
        "https://fair.example/api/v1/api-keys?size=2",
        "https://fair.example/api/v1/api-keys?page=2&size=2",
        "https://fair.example/api/v1/api-keys?page=3&size=2",
      ])
    #expect(t.remaining == 0)
  }

  @Test func singlePagedObject() async throws {
    let t = FakeTransport([.json(200, #"{"items": [\#(keyJSON("a"))], "total": 1, "page": 1, "size": 100}"#)])
    #expect(try await makeClient(t).listKeys().map(\.id) == ["a"])
    #expect(t.requests.count == 1)
  }

  @Test func pagingThatIgnoresThePageIsAnError() async throws {
    let t = FakeTransport([
      .json(200, #"{"items": [\#(keyJSON("a"))], "total": 3, "page": 1, "size": 1}"#),
      .json(200, #"{"items": [\#(keyJSON("b"))], "total": 3, "page": 1, "size": 1}"#),
    ])
    let error = await apiError { _ = try await makeClient(t).listKeys() }
    guard case .malformedResponse(.listKeys, 200, _)? = error else {
      Issue.record("got \(String(describing: error))"); return
    }
  }

  @Test func numericIdsAreAccepted() async throws {
    let t = FakeTransport([
      .json(200, #"[{"id": 42, "name": "n", "key_hash": null, "created": "2026-03-16T11:39:32Z"}]"#)
    ])
    let keys = try await makeClient(t).listKeys()
    #expect(keys == [FairKey(id: "42", name: "n", keyHash: nil, created: "2026-03-16T11:39:32Z", expiresAt: nil)])
  }

  @Test func malformedJSONIsItsOwnError() async throws {
    for body in ["<html>oops</html>", "", #"{"unexpected": true}"#, #"[{"name": "no id"}]"#, "[1, 2]"] {
      let t = FakeTransport([.respond(FairHTTPResponse(status: 200, body: Array(body.utf8)))])
      let error = await apiError { _ = try await makeClient(t).listKeys() }
      guard case .malformedResponse(.listKeys, 200, let reason)? = error else {
        Issue.record("body \(body): got \(String(describing: error))")
        continue
      }
      #expect(!reason.contains("oops"))
      #expect(error!.description.contains("malformed response"))
    }
  }
}

@Suite struct AuthTests {
  @Test func logsInFirstWithForm() async throws {
    let t = FakeTransport([.login(accessTokenA), .json(200, "[]")])
    let client = try makeClient(t, credentials: passwordCredentials)
    _ = try await client.listKeys()
    let login = t.requests[0]
    #expect(login.method == .POST)
    #expect(login.url == "https://fair.example/api/auth/login")
    #expect(login.header("Content-Type") == "application/x-www-form-urlencoded")
    #expect(login.header("Accept") == "application/json")
    #expect(login.header("Authorization") == nil)
    #expect(
      String(decoding: login.body ?? [], as: UTF8.self)
        == "grant_type=password&username=alice&password=hunter2-correct-horse")
    #expect(t.requests[1].header("Authorization") == "Bearer \(accessTokenA)")
  }

  @Test func explicitLoginThenCallsReuseToken() async throws {
    let t = FakeTransport([.login(accessTokenA), .json(200, "[]"), .json(200, "[]")])
    let client = try makeClient(t, credentials: passwordCredentials)
    try await client.login()
    _ = try await client.listKeys()
    _ = try await client.listKeys()
    #expect(t.requests.count == 3)
  }

  @Test func expiredTokenReLogsInOnceAndRetries() async throws {
    let t = FakeTransport([
      .login(accessTokenA), .json(401, #"{"detail": "Token expired"}"#), .login(accessTokenB),
      .json(200, "[\(keyJSON("k"))]"),
    ])
    let keys = try await makeClient(t, credentials: passwordCredentials).listKeys()
    #expect(keys.map(\.id) == ["k"])
    #expect(t.requests.map(\.method) == [.POST, .GET, .POST, .GET])
    #expect(t.requests[3].header("Authorization") == "Bearer \(accessTokenB)")
  }

  @Test func twoUnauthorizedInARowIsAnError() async throws {
    let t = FakeTransport([
      .login(accessTokenA), .json(401, #"{"detail": "Not authenticated"}"#), .login(accessTokenB),
      .json(401, #"{"detail": "Not authenticated"}"#),
    ])
    let error = await apiError { _ = try await makeClient(t, credentials: passwordCredentials).listKeys() }
    #expect(error == .http(operation: .listKeys, status: 401, message: "Not authenticated"))
    #expect(t.requests.count == 4)
    #expect(t.remaining == 0)
  }

  @Test func refreshIsUsedWhenConfigured() async throws {
    let t = FakeTransport([
      .login(accessTokenA, refresh: "refresh-AAAAAAAAAAAA"), .status(401), .login(accessTokenB), .json(200, "[]"),
    ])
    let client = try makeClient(
      t, credentials: passwordCredentials, configuration: config(refreshPath: "/api/auth/refresh"))
    _ = try await client.listKeys()
    #expect(t.requests[2].url == "https://fair.example/api/auth/refresh")
    #expect(
      String(decoding: t.requests[2].body ?? [], as: UTF8.self)
        == "grant_type=refresh_token&refresh_token=refresh-AAAAAAAAAAAA")
  }

  @Test func refusedRefreshFallsBackToLogin() async throws {
    let t = FakeTransport([.login(accessTokenA), .status(401), .status(401), .login(accessTokenB), .json(200, "[]")])
    let client = try makeClient(
      t, credentials: passwordCredentials, configuration: config(refreshPath: "/api/auth/refresh"))
    _ = try await client.listKeys()
    #expect(
      t.requests.map(\.url).map { URL(string: $0)!.path } == [
        "/api/auth/login", "/api/v1/api-keys", "/api/auth/refresh", "/api/auth/login", "/api/v1/api-keys",
      ])
  }

  @Test func apiKeyUnauthorizedIsAnErrorWithoutLogin() async throws {
    let t = FakeTransport([.json(401, #"{"detail": "Invalid API key"}"#)])
    let error = await apiError { _ = try await makeClient(t).listKeys() }
    #expect(error?.status == 401)
    #expect(error?.isAuthenticationFailure == true)
    #expect(t.requests.count == 1)
  }

  @Test func loginRefusedIsAnError() async throws {
    let t = FakeTransport([.json(401, #"{"detail": "Incorrect username or password"}"#)])
    let error = await apiError { try await makeClient(t, credentials: passwordCredentials).login() }
    #expect(error == .http(operation: .login, status: 401, message: "Incorrect username or password"))
  }

  @Test func loginWithoutAccessTokenIsMalformed() async throws {
    let t = FakeTransport([.json(200, #"{"token_type": "bearer"}"#)])
    let error = await apiError { try await makeClient(t, credentials: passwordCredentials).login() }
    guard case .malformedResponse(.login, 200, _)? = error else { Issue.record("\(String(describing: error))"); return }
  }
}

@Suite struct RetryTests {
  @Test func retryAfterSeconds() async throws {
    let sleeper = RecordingSleeper()
    let t = FakeTransport([.status(429, headers: [("Retry-After", "7")]), .json(200, "[]")])
    _ = try await makeClient(t, sleeper: sleeper).listKeys()
    #expect(sleeper.durations == [.seconds(7)])
    #expect(t.requests.count == 2)
  }

  @Test func retryAfterHTTPDate() async throws {
    let sleeper = RecordingSleeper()
    // 1_780_000_000 = Thu, 28 May 2026 20:26:40 GMT; the server asks for 30 s later.
    let t = FakeTransport([.status(429, headers: [("Retry-After", "Thu, 28 May 2026 20:27:10 GMT")]), .json(200, "[]")])
    _ = try await makeClient(t, sleeper: sleeper, now: Date(timeIntervalSince1970: 1_780_000_000)).listKeys()
    #expect(sleeper.durations == [.seconds(30)])
  }

  @Test func retryAfterPastDateRetriesAtOnce() async throws {
    let sleeper = RecordingSleeper()
    let t = FakeTransport([.status(429, headers: [("Retry-After", "Thu, 01 Jan 2026 00:00:00 GMT")]), .json(200, "[]")])
    _ = try await makeClient(t, sleeper: sleeper).listKeys()
    #expect(sleeper.durations == [.zero])
  }

  @Test func retryAfterBeyondCapFails() async throws {
    let sleeper = RecordingSleeper()
    let t = FakeTransport([.status(429, headers: [("Retry-After", "3600")]), .json(200, "[]")])
    let error = await apiError {
      _ = try await makeClient(t, configuration: config(retryAfterCap: .seconds(60)), sleeper: sleeper).listKeys()
    }
    #expect(error == .rateLimited(operation: .listKeys, retryAfterSeconds: 3600))
    #expect(sleeper.durations.isEmpty)
    #expect(t.requests.count == 1)
  }

  @Test func rateLimitWithoutRetryAfterBacksOff() async throws {
    let sleeper = RecordingSleeper()
    let t = FakeTransport([.status(429), .status(429), .json(200, "[]")])
    _ = try await makeClient(t, sleeper: sleeper, random: 0.5).listKeys()
    // base 1 s: ceilings 1 s, 2 s; jitter 0.5.
    #expect(sleeper.durations == [.milliseconds(500), .seconds(1)])
  }

  @Test func rateLimitedOnEveryAttempt() async throws {
    let t = FakeTransport(Array(repeating: .status(429), count: 3))
    let error = await apiError { _ = try await makeClient(t, configuration: config(maxAttempts: 3)).listKeys() }
    #expect(error == .rateLimited(operation: .listKeys, retryAfterSeconds: nil))
    #expect(t.requests.count == 3)
  }

  @Test func createPostRetriedOn429Only() async throws {
    let t = FakeTransport([
      .status(429, headers: [("Retry-After", "1")]),
      .json(
        201,
        #"{"id": "n1", "name": "ci", "key_hash": "plaintext-key-value-0123456789", "created": "2026-03-16T11:39:32", "expires_at": null}"#
      ),
    ])
    let created = try await makeClient(t).createKey(name: "ci", expirationDays: 0)
    #expect(created.key.revealed == "plaintext-key-value-0123456789")
    #expect(t.requests.count == 2)
  }

  @Test func serviceUnavailableRetriedForGet() async throws {
    let sleeper = RecordingSleeper()
    let t = FakeTransport([.status(503), .status(502), .json(200, "[]")])
    _ = try await makeClient(t, sleeper: sleeper, random: 0.25).listKeys()
    #expect(t.requests.count == 3)
    #expect(sleeper.durations == [.milliseconds(250), .milliseconds(500)])
  }

  @Test func serviceUnavailableGivesUpAfterMaxAttempts() async throws {
    let t = FakeTransport(Array(repeating: .json(503, #"{"detail": "maintenance"}"#), count: 5))
    let error = await apiError { _ = try await makeClient(t, configuration: config(maxAttempts: 3)).listKeys() }
    #expect(error == .http(operation: .listKeys, status: 503, message: "maintenance"))
    #expect(t.requests.count == 3)
  }

  @Test func createPostNotRetriedOn503() async throws {
    let sleeper = RecordingSleeper()
    let t = FakeTransport([.status(503), .json(201, #"{"id": "x", "name": "n", "key_hash": "k"}"#)])
    let error = await apiError {
      _ = try await makeClient(t, sleeper: sleeper).createKey(name: "n", expirationDays: 30)
    }
    #expect(error?.status == 503)
    #expect(error?.operation == .createKey)
    #expect(t.requests.count == 1)
    #expect(sleeper.durations.isEmpty)
  }

  @Test func createPostNotRetriedOnTimeoutButGetIs() async throws {
    let t = FakeTransport([.fail(FairTransportError(.timeout, "timed out"))])
    let error = await apiError { _ = try await makeClient(t).createKey(name: "n", expirationDays: 1) }
    #expect(error == .transport(operation: .createKey, reason: "timed out", attempts: 1))
    #expect(t.requests.count == 1)

    let g = FakeTransport([
      .fail(FairTransportError(.connectionReset, "connection reset")), .fail(FairTransportError(.timeout, "timed out")),
      .status(204),
    ])
    #expect(try await makeClient(g).revokeKey(id: "k1") == .revoked)
    #expect(g.requests.count == 3)
  }

  @Test func loginRetriedOnTransientFault() async throws {
    let t = FakeTransport([.status(504), .login(accessTokenA), .json(200, "[]")])
    _ = try await makeClient(t, credentials: passwordCredentials).listKeys()
    #expect(t.requests.count == 3)
  }

  @Test func tlsFailureIsNotRetried() async throws {
    let t = FakeTransport([.fail(FairTransportError(.tls, "certificate verify failed"))])
    let error = await apiError { _ = try await makeClient(t).listKeys() }
    #expect(error == .transport(operation: .listKeys, reason: "certificate verify failed", attempts: 1))
  }

  @Test func redirectIsNotFollowed() async throws {
    let t = FakeTransport([.status(302, headers: [("Location", "https://evil.example/steal")])])
    let error = await apiError { _ = try await makeClient(t).listKeys() }
    #expect(error == .redirect(operation: .listKeys, status: 302, locationHost: "evil.example"))
    #expect(error!.description.contains("evil.example"))
    #expect(t.requests.count == 1)
  }

  @Test func fullJitterBounds() {
    let p = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(500), maxDelay: .seconds(4))
    #expect(p.ceiling(forRetry: 1) == .milliseconds(500))
    #expect(p.ceiling(forRetry: 2) == .seconds(1))
    #expect(p.ceiling(forRetry: 4) == .seconds(4))
    #expect(p.ceiling(forRetry: 10) == .seconds(4))
    #expect(p.delay(forRetry: 3, unit: 0) == .zero)
    #expect(p.delay(forRetry: 3, unit: 0.5) == .seconds(1))
  }
}

@Suite struct KeyCallTests {
  @Test func createKeySendsJSONAndReturnsPlaintext() async throws {
    let t = FakeTransport([
      .json(
        200,
        #"{"id": "n1", "name": "prod", "key_hash": "Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFiY2RlZmdoaWo", "created": "2026-03-16T11:39:32", "expires_at": "2026-04-15T11:39:32"}"#
      )
    ])
    let created = try await makeClient(t).createKey(name: "prod \"eu\"", expirationDays: 30)
    let r = t.requests[0]
    #expect(r.method == .POST)
    #expect(r.url == "https://fair.example/api/v1/api-keys")
    #expect(r.header("Content-Type") == "application/json")
    #expect(r.header("Authorization") == "Bearer \(apiKeySecret)")
    let body = try JSONSerialization.jsonObject(with: Data(r.body ?? [])) as? [String: Any]
    #expect(body?["name"] as? String == "prod \"eu\"")
    #expect(body?["expiration_days"] as? Int == 30)
    #expect(created.id == "n1")
    #expect(created.key.revealed == "Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFiY2RlZmdoaWo")
    #expect(created.expiresAt == "2026-04-15T11:39:32")  // read as UTC: ISODateTests (FairScanKit)
    #expect(!"\(created)".contains("Zm9vYmFy"))
  }

  @Test func createKeyWithBareAccessTokenSessionUsesBearer() async throws {
    let t = FakeTransport([.login(accessTokenA), .json(200, #"{"id": "1", "name": "n", "key_hash": "k"}"#)])
    _ = try await makeClient(t, credentials: passwordCredentials).createKey(name: "n", expirationDays: 0)
    #expect(t.requests[1].header("Authorization") == "Bearer \(accessTokenA)")
  }

  @Test func revoke() async throws {
    let t = FakeTransport([.status(204), .json(200, "{}"), .json(404, #"{"detail": "Not found"}"#), .status(500)])
    let client = try makeClient(t, configuration: config(maxAttempts: 1))
    #expect(try await client.revokeKey(id: "a/b c") == .revoked)
    #expect(t.requests[0].method == .DELETE)
    #expect(t.requests[0].url == "https://fair.example/api/v1/api-keys/a%2Fb%20c")
    #expect(try await client.revokeKey(id: "k") == .revoked)
    #expect(try await client.revokeKey(id: "gone") == .alreadyGone)
    let error = await apiError { try await client.revokeKey(id: "k") }
    #expect(error?.status == 500)
  }

  @Test func probe() async throws {
    let found = "found-key-0123456789abcdefghijklmnopqrstuv"
    let t = FakeTransport([.json(200, "[]"), .status(401), .status(403), .status(404)])
    // Username/password credentials: a probe must not log in or use the session.
    let client = try makeClient(t, credentials: passwordCredentials)
    #expect(try await client.probe(apiKey: found) == .live)
    #expect(try await client.probe(apiKey: found) == .dead(status: 401))
    #expect(try await client.probe(apiKey: found) == .dead(status: 403))
    #expect(try await client.probe(apiKey: found) == .inconclusive(status: 404))
    #expect(t.requests.count == 4)
    #expect(t.requests.allSatisfy { $0.header("Authorization") == "Bearer \(found)" && $0.method == .GET })
  }
}

@Suite struct SecrecyTests {
  @Test func errorTextsCarryNoSecrets() async throws {
    // A server that echoes what it was sent.
    let echo = #"{"detail": "bad token Bearer \#(accessTokenA) for user alice with password \#(passwordSecret)"}"#
    let t = FakeTransport([.login(accessTokenA), .json(403, echo)])
    let error = await apiError { _ = try await makeClient(t, credentials: passwordCredentials).listKeys() }
    let text = try #require(error).description
    #expect(text.contains("HTTP 403"))
    #expect(text.contains("list API keys"))
    #expect(!text.contains(accessTokenA))
    #expect(!text.contains(passwordSecret))
    #expect(!text.contains("c2lnbmF0dXJlQQ"))

    let k = FakeTransport([.json(400, #"{"message": "key \#(apiKeySecret) is malformed"}"#)])
    let e2 = await apiError { _ = try await makeClient(k).listKeys() }
    #expect(e2?.serverMessage == "key <redacted> is malformed")
    #expect(!(e2?.description.contains(apiKeySecret) ?? true))

    let found = "leaked-key-abcdefghijklmnopqrstuvwxyz012345"
    let p = FakeTransport([.fail(FairTransportError(.other, "failed sending Authorization: Bearer \(found)"))])
    let e3 = await apiError { _ = try await makeClient(p).probe(apiKey: found) }
    #expect(!(e3?.description.contains(found) ?? true))
    #expect(e3?.description.contains("<redacted>") == true)
  }

  @Test func secretsDoNotPrint() {
    let s = FairSecret("s3cr3t-value")
    #expect("\(s)" == "<redacted>")
    #expect(String(reflecting: s) == "<redacted>")
    var dumped = ""
    dump(s, to: &dumped)
    #expect(!dumped.contains("s3cr3t"))
    let c = FairCredentials.password(username: "alice", password: FairSecret("pw-123456"))
    var d2 = ""
    dump(c, to: &d2)
    #expect(!"\(c)".contains("pw-123456") && !d2.contains("pw-123456") && !"\(c)".contains("alice"))
  }
}
