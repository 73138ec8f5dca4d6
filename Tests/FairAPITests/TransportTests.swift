import Foundation
import Testing
@testable import FairAPI

/// The real async-http-client transport against a tiny loopback server
/// (Python's standard library). Skipped where python3 is missing.
private let serverScript = #"""
  import http.server, json, sys, time
  class H(http.server.BaseHTTPRequestHandler):
      def log_message(self, *a): pass
      def reply(self, status, body=b"", headers=()):
          self.send_response(status)
          for k, v in headers: self.send_header(k, v)
          self.send_header("Content-Length", str(len(body)))
          self.end_headers()
          self.wfile.write(body)
      def do_GET(self):
          if self.path.startswith("/redirect"):
              return self.reply(302, headers=[("Location", "http://other.example/api/v1/api-keys")])
          if self.path.startswith("/slow"):
              time.sleep(3)
              return self.reply(200, b"[]")
          if self.headers.get("Authorization") != "Bearer good-key-0123456789":
              return self.reply(401, json.dumps({"detail": "Not authenticated"}).encode(), [("Content-Type", "application/json")])
          echo = {"id": "1", "name": self.headers.get("User-Agent"), "key_hash": self.path, "created": "2026-03-16T11:39:32", "expires_at": None}
          return self.reply(200, json.dumps([echo]).encode(), [("Content-Type", "application/json")])
      def do_DELETE(self):
          return self.reply(404 if self.path.endswith("/gone") else 204)
      def do_POST(self):
          n = int(self.headers.get("Content-Length", "0"))
          body = json.loads(self.rfile.read(n))
          out = {"id": "9", "name": body["name"], "key_hash": "plain-" + str(body["expiration_days"]), "created": "2026-03-16T11:39:32", "expires_at": None}
          return self.reply(201, json.dumps(out).encode(), [("Content-Type", "application/json")])
  s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
  print(s.server_address[1], flush=True)
  s.serve_forever()
  """#

private func python3() -> String? {
  for p in ["/usr/bin/python3", "/usr/local/bin/python3"] where FileManager.default.isExecutableFile(atPath: p) {
    return p
  }
  let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
  for dir in path.split(separator: ":") {
    let candidate = "\(dir)/python3"
    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
  }
  return nil
}

@Suite(.serialized, .enabled(if: python3() != nil, "python3 not found"))
struct LoopbackTransportTests {
  @Test func realTransportAgainstLoopbackServer() async throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python3()!)
    process.arguments = ["-c", serverScript]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    // First line: the port.
    var line = Data()
    while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
      line.append(byte)
    }
    let port = try #require(Int(String(decoding: line, as: UTF8.self)))

    var configuration = try FairConfiguration(
      baseURL: "http://127.0.0.1:\(port)", clientVersion: "1.2.3", requestTimeout: .seconds(1),
      retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20)))
    let transport = try AsyncHTTPClientTransport(configuration: configuration)
    do {
      let client = FairClient(
        configuration: configuration, credentials: .apiKey(FairSecret("good-key-0123456789")), transport: transport)
      let keys = try await client.listKeys()
      #expect(keys.first?.name == "fairscan/1.2.3")
      #expect(keys.first?.keyHash == "/api/v1/api-keys?size=100")
      #expect(try await client.revokeKey(id: "k1") == .revoked)
      #expect(try await client.revokeKey(id: "gone") == .alreadyGone)
      let created = try await client.createKey(name: "ci", expirationDays: 7)
      #expect(created.key.revealed == "plain-7" && created.name == "ci")
      #expect(try await client.probe(apiKey: "good-key-0123456789") == .live)
      #expect(try await client.probe(apiKey: "leaked-but-dead") == .dead(status: 401))

      let bad = FairClient(
        configuration: configuration, credentials: .apiKey(FairSecret("wrong-key-000")), transport: transport)
      let e401 = await apiError { _ = try await bad.listKeys() }
      #expect(e401 == .http(operation: .listKeys, status: 401, message: "Not authenticated"))

      configuration.keysPath = "/redirect"
      let redirected = FairClient(
        configuration: configuration, credentials: .apiKey(FairSecret("good-key-0123456789")), transport: transport)
      let e302 = await apiError { _ = try await redirected.listKeys() }
      #expect(e302 == .redirect(operation: .listKeys, status: 302, locationHost: "other.example"))

      configuration.keysPath = "/slow"
      let slow = FairClient(
        configuration: configuration, credentials: .apiKey(FairSecret("good-key-0123456789")), transport: transport)
      let eSlow = await apiError { _ = try await slow.listKeys() }
      guard case .transport(.listKeys, _, let attempts)? = eSlow else {
        Issue.record("expected a timeout, got \(String(describing: eSlow))")
        try await transport.shutdown()
        return
      }
      #expect(attempts == 2)
    } catch {
      try await transport.shutdown()
      throw error
    }
    try await transport.shutdown()
  }

  @Test func connectionRefusedIsClassifiedAndRetried() async throws {
    // Port 9 on loopback: nothing listens there in a sandbox.
    let configuration = try FairConfiguration(
      baseURL: "http://127.0.0.1:9", connectTimeout: .seconds(1),
      retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)))
    let transport = try AsyncHTTPClientTransport(configuration: configuration)
    let client = FairClient(
      configuration: configuration, credentials: .apiKey(FairSecret("k-0123456789")), transport: transport)
    let error = await apiError { _ = try await client.listKeys() }
    try await transport.shutdown()
    guard case .transport(.listKeys, let reason, 2)? = error else {
      Issue.record("got \(String(describing: error))")
      return
    }
    #expect(!reason.contains("k-0123456789"))
  }
}
