import FairEmulator
import Foundation
import XCTest

/// Test-side helpers: a client speaking the contract over `RawHTTP`.
struct TestClient {
  let http: RawHTTP

  init(_ emulator: FairEmulator) { http = RawHTTP(port: emulator.port) }

  func loginReply(_ username: String, _ password: String) async throws -> RawHTTP.Reply {
    let form = "grant_type=password&username=\(formEncode(username))&password=\(formEncode(password))"
    return try await http.send(
      "POST", "/api/auth/login",
      headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
      body: Data(form.utf8))
  }

  func login(_ username: String, _ password: String, file: StaticString = #filePath, line: UInt = #line)
    async throws -> String
  {
    let reply = try await loginReply(username, password)
    XCTAssertEqual(reply.status, 200, reply.text, file: file, line: line)
    let object = try XCTUnwrap(try reply.json() as? [String: Any], file: file, line: line)
    return try XCTUnwrap(object["access_token"] as? String, file: file, line: line)
  }

  func createReply(_ auth: String, name: String, days: Int) async throws -> RawHTTP.Reply {
    let body = try JSONSerialization.data(withJSONObject: ["name": name, "expiration_days": days])
    return try await http.send(
      "POST", "/api/v1/api-keys", headers: ["Authorization": auth, "Content-Type": "application/json"], body: body)
  }

  /// Creates a key with `Bearer <token>` and returns the create answer.
  func create(_ token: String, name: String, days: Int = 0, file: StaticString = #filePath, line: UInt = #line)
    async throws -> [String: Any]
  {
    let reply = try await createReply("Bearer \(token)", name: name, days: days)
    XCTAssertEqual(reply.status, 200, reply.text, file: file, line: line)
    return try XCTUnwrap(try reply.json() as? [String: Any], file: file, line: line)
  }

  func list(_ credential: String, query: String = "") async throws -> RawHTTP.Reply {
    try await http.get("/api/v1/api-keys" + query, auth: "Bearer \(credential)")
  }

  func listArray(_ credential: String, file: StaticString = #filePath, line: UInt = #line) async throws -> [[String:
    Any]]
  {
    let reply = try await list(credential)
    XCTAssertEqual(reply.status, 200, reply.text, file: file, line: line)
    return try XCTUnwrap(try reply.json() as? [[String: Any]], file: file, line: line)
  }

  func revoke(_ token: String, id: String) async throws -> RawHTTP.Reply {
    try await http.send("DELETE", "/api/v1/api-keys/\(id)", headers: ["Authorization": "Bearer \(token)"])
  }

  private func formEncode(_ s: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
  }
}

/// Base class: one emulator per test, stopped afterwards.
class EmulatorTestCase: XCTestCase {
  static let alice = SeedUser(username: "alice", password: "wonderland-Pa55word!")
  static let bob = SeedUser(username: "bob", password: "builder-s3cret")

  func withEmulator(
    _ configure: (inout FairEmulatorConfiguration) -> Void = { _ in },
    _ body: (FairEmulator, TestClient) async throws -> Void
  ) async throws {
    var configuration = FairEmulatorConfiguration(users: [Self.alice, Self.bob])
    configure(&configuration)
    let emulator = try await FairEmulator.start(configuration)
    do {
      try await body(emulator, TestClient(emulator))
    } catch {
      await emulator.stop()
      throw error
    }
    await emulator.stop()
  }
}

let iso8601NoZone = try! NSRegularExpression(pattern: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"#)

func isFairTimestamp(_ s: String) -> Bool {
  iso8601NoZone.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
}

// XCTest's assertions take synchronous autoclosures; these await their operands first.

func expectEqual<T: Equatable>(
  _ actual: @autoclosure () async throws -> T, _ expected: @autoclosure () async throws -> T,
  _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line
) async throws {
  let a = try await actual()
  let b = try await expected()
  XCTAssertEqual(a, b, message(), file: file, line: line)
}

func expectTrue(
  _ condition: @autoclosure () async throws -> Bool, _ message: @autoclosure () -> String = "",
  file: StaticString = #filePath, line: UInt = #line
) async throws {
  let c = try await condition()
  XCTAssertTrue(c, message(), file: file, line: line)
}

func expectThrowsError<T>(
  _ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async {
  do {
    _ = try await expression()
    XCTFail("expected an error", file: file, line: line)
  } catch {}
}

func expectNoThrow<T>(
  _ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async {
  do { _ = try await expression() } catch { XCTFail("unexpected error \(error)", file: file, line: line) }
}

func unwrap<T>(
  _ expression: @autoclosure () async throws -> T?, file: StaticString = #filePath, line: UInt = #line
) async throws -> T {
  let value = try await expression()
  return try XCTUnwrap(value, file: file, line: line)
}
