import Foundation
import Synchronization
@testable import FairAPI

/// A scripted transport: answers requests from a queue (or a handler) and
/// records every request.
final class FakeTransport: FairTransport {
  enum Step: Sendable {
    case respond(FairHTTPResponse)
    case fail(FairTransportError)
  }

  private let state: Mutex<(steps: [Step], requests: [FairHTTPRequest])>

  init(_ steps: [Step]) { state = Mutex((steps, [])) }

  var requests: [FairHTTPRequest] { state.withLock { $0.requests } }
  var remaining: Int { state.withLock { $0.steps.count } }

  func send(_ request: FairHTTPRequest) async throws -> FairHTTPResponse {
    let step: Step? = state.withLock { s in
      s.requests.append(request)
      return s.steps.isEmpty ? nil : s.steps.removeFirst()
    }
    switch step {
    case .respond(let r)?: return r
    case .fail(let e)?: throw e
    case nil:
      throw FairTransportError(.other, "fake transport: no scripted answer for \(request.method) \(request.url)")
    }
  }
}

/// Records waits instead of waiting.
final class RecordingSleeper: FairSleeper {
  private let waits = Mutex<[Duration]>([])
  var durations: [Duration] { waits.withLock { $0 } }
  func sleep(for duration: Duration) async throws { waits.withLock { $0.append(duration) } }
}

extension FakeTransport.Step {
  static func json(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> Self {
    .respond(FairHTTPResponse(status: status, headers: headers, json: body))
  }
  static func status(_ status: Int, headers: [(name: String, value: String)] = []) -> Self {
    .respond(FairHTTPResponse(status: status, headers: headers))
  }
  static func login(_ token: String, refresh: String = "refresh-token-0123456789") -> Self {
    .json(
      200,
      #"{"access_token": "\#(token)", "token_type": "bearer", "refresh_token": "\#(refresh)", "accepted_terms_of_service": true}"#
    )
  }
}

let apiKeySecret = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"
let passwordSecret = "hunter2-correct-horse"
let accessTokenA = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1IiwidHlwZSI6ImFjY2VzcyJ9.c2lnbmF0dXJlQQ"
let accessTokenB = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1IiwidHlwZSI6ImFjY2VzcyIsIm4iOjJ9.c2lnbmF0dXJlQg"

func config(
  _ base: String = "https://fair.example", maxAttempts: Int = 4, retryAfterCap: Duration = .seconds(60),
  refreshPath: String? = nil, pageSize: Int = 100
) throws -> FairConfiguration {
  try FairConfiguration(
    baseURL: base, retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .seconds(1), maxDelay: .seconds(8)),
    retryAfterCap: retryAfterCap, pageSize: pageSize, refreshPath: refreshPath)
}

func makeClient(
  _ transport: FakeTransport, credentials: FairCredentials = .apiKey(FairSecret(apiKeySecret)),
  configuration: FairConfiguration? = nil, sleeper: RecordingSleeper = RecordingSleeper(),
  now: Date = Date(timeIntervalSince1970: 1_780_000_000), random: Double = 0.5
) throws -> FairClient {
  FairClient(
    configuration: try configuration ?? config(), credentials: credentials, transport: transport,
    sleeper: sleeper, now: { now }, random: { random })
}

let passwordCredentials = FairCredentials.password(username: "alice", password: FairSecret(passwordSecret))

func keyJSON(_ id: String, hash: String = "ab") -> String {
  #"{"id": "\#(id)", "name": "key \#(id)", "key_hash": "\#(hash)", "created": "2026-03-16T11:39:32", "expires_at": null}"#
}

/// Runs `body` and returns the FairAPIError it throws (nil if none or another error).
func apiError(_ body: () async throws -> Void) async -> FairAPIError? {
  do {
    try await body()
    return nil
  } catch let e as FairAPIError {
    return e
  } catch {
    return nil
  }
}
