import Foundation
import Testing
@testable import FairAPI

@Suite struct BaseURLTests {
  @Test func defaultIsFairDev() throws {
    let c = try FairConfiguration()
    #expect(c.baseURL == "https://fair-dev.gradiant.org")
    #expect(c.keyDigest == .sha256)
    #expect(c.userAgent.hasPrefix("fairscan/"))
    let env = try FairConfiguration.fromEnvironment([:])
    #expect(env.baseURL == FairConfiguration.defaultBaseURL)
  }

  @Test(arguments: [
    "https://fair.example.org", "https://fair.example.org/", "https://fair.example.org:8443/prefix",
    "http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]:8000", "HTTP://LOCALHOST",
  ])
  func accepted(_ url: String) throws {
    let c = try FairConfiguration(baseURL: url)
    #expect(!c.baseURL.hasSuffix("/"))
  }

  @Test(arguments: [
    "http://fair.example.org", "http://10.0.0.5:8000", "http://127.0.0.1.evil.example", "http://localhost.evil.example",
    "ftp://fair.example.org", "fair.example.org", "https://", "https://user:pw@fair.example.org",
    "https://fair.example.org/?x=1", "",
  ])
  func refused(_ url: String) {
    #expect(throws: FairConfigurationError.self) { try FairConfiguration(baseURL: url) }
  }

  @Test func httpErrorSaysWhy() {
    do {
      _ = try FairConfiguration(baseURL: "http://fair.example.org")
      Issue.record("accepted")
    } catch {
      #expect("\(error)".contains("loopback"))
      #expect("\(error)".contains("https://"))
    }
  }

  @Test func environmentOverrides() throws {
    let c = try FairConfiguration.fromEnvironment(
      [
        "FAIR_BASE_URL": "http://127.0.0.1:9000/", "FAIR_KEY_DIGEST": "SHA-512", "FAIR_PAGE_SIZE": "25",
        "FAIR_RETRY_MAX_ATTEMPTS": "2", "FAIR_RETRY_AFTER_CAP": "5", "FAIR_REQUEST_TIMEOUT": "2.5",
        "FAIR_REFRESH_PATH": "api/auth/refresh",
      ], settings: ["page_size": "10", "connect_timeout": "3"], clientVersion: "9.9")
    #expect(c.baseURL == "http://127.0.0.1:9000")
    #expect(c.keyDigest == .sha512)
    #expect(c.pageSize == 25)
    #expect(c.connectTimeout == .seconds(3))
    #expect(c.requestTimeout == .milliseconds(2500))
    #expect(c.retry.maxAttempts == 2)
    #expect(c.retryAfterCap == .seconds(5))
    #expect(c.refreshPath == "/api/auth/refresh")
    #expect(c.userAgent == "fairscan/9.9")
    #expect(throws: FairConfigurationError.self) { try FairConfiguration.fromEnvironment(["FAIR_KEY_DIGEST": "md5"]) }
    #expect(throws: FairConfigurationError.self) { try FairConfiguration.fromEnvironment(["FAIR_PAGE_SIZE": "0"]) }
    #expect(throws: FairConfigurationError.self) {
      try FairConfiguration.fromEnvironment(["FAIR_BASE_URL": "http://example.org"])
    }
  }

  @Test func transportRefusesUnreadableCAFile() {
    var c = try! FairConfiguration()
    c.caFile = "/nonexistent/ca.pem"
    #expect(throws: FairConfigurationError.self) { _ = try AsyncHTTPClientTransport(configuration: c) }
  }
}

@Suite struct CredentialTests {
  func tempFile(_ text: String, mode: mode_t) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fairapi-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("credentials").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    #expect(chmod(path, mode) == 0)
    return path
  }

  @Test func apiKeyComesFirst() throws {
    let c = try FairCredentials.resolve(
      environment: ["FAIR_API_KEY": "k-123", "FAIR_USERNAME": "u", "FAIR_PASSWORD": "p"], file: "/nonexistent")
    guard case .apiKey(let key) = c.kind else { Issue.record("\(c)"); return }
    #expect(key.revealed == "k-123")
    #expect(c.source == "FAIR_API_KEY")
  }

  @Test func usernamePasswordSecond() throws {
    let file = try tempFile("api_key = from-file\n", mode: 0o600)
    let c = try FairCredentials.resolve(environment: ["FAIR_USERNAME": "u", "FAIR_PASSWORD": "p"], file: file)
    guard case .password(let u, let p) = c.kind else { Issue.record("\(c)"); return }
    #expect(u.revealed == "u" && p.revealed == "p")
    #expect(throws: FairCredentialsError.incompleteEnvironment(missing: "FAIR_PASSWORD")) {
      try FairCredentials.resolve(environment: ["FAIR_USERNAME": "u"], file: file)
    }
  }

  @Test func fileThird() throws {
    let file = try tempFile(
      """
      # fairscan credentials
      [default]
      username = alice
      password = "p#ss = word"
      """, mode: 0o600)
    let c = try FairCredentials.resolve(environment: ["FAIR_API_KEY": ""], file: file)
    guard case .password(let u, let p) = c.kind else { Issue.record("\(c)"); return }
    #expect(u.revealed == "alice" && p.revealed == "p#ss = word")
    #expect(c.source == file)
    #expect(!"\(c)".contains("p#ss"))
  }

  @Test func fileSectionsAndEnvironmentPath() throws {
    let file = try tempFile(
      """
      ; comment
      [staging]
      api_key = staging-key
      [prod]
      api_key = prod-key
      """, mode: 0o600)
    let c = try FairCredentials.resolve(environment: ["FAIR_CREDENTIALS_FILE": file, "FAIR_PROFILE": "prod"])
    guard case .apiKey(let k) = c.kind else { Issue.record("\(c)"); return }
    #expect(k.revealed == "prod-key")
    #expect(throws: FairCredentialsError.self) { try FairCredentials.resolve(environment: [:], file: file) }
  }

  @Test func defaultPathUnderHome() {
    #expect(FairCredentials.defaultFilePath(environment: ["HOME": "/home/u"]) == "/home/u/.config/fairscan/credentials")
    #expect(
      FairCredentials.defaultFilePath(environment: ["HOME": "/home/u/"]) == "/home/u/.config/fairscan/credentials")
    #expect(FairCredentials.defaultFilePath(environment: ["HOME": "/"]) == "/.config/fairscan/credentials")
  }

  /// The default environment holds the process's values of exactly the names `resolve` reads.
  @Test func theProcessEnvironmentIsTheNamesResolveReads() {
    let environment = FairCredentials.processEnvironment()
    let process = ProcessInfo.processInfo.environment
    for name in FairCredentials.environmentNames { #expect(environment[name] == process[name], "\(name)") }
    #expect(Set(environment.keys).isSubset(of: Set(FairCredentials.environmentNames)))
  }

  @Test func groupOrWorldReadableFileIsRefused() throws {
    for mode: mode_t in [0o644, 0o640, 0o604, 0o660] {
      let file = try tempFile("api_key = secret-in-file\n", mode: mode)
      do {
        _ = try FairCredentials.resolve(environment: [:], file: file)
        Issue.record("mode \(String(mode, radix: 8)) accepted")
      } catch let error as FairCredentialsError {
        let text = "\(error)"
        #expect(text.contains(file))
        #expect(text.contains("chmod 600 \(file)"))
        #expect(!text.contains("secret-in-file"))
      }
    }
    let ok = try tempFile("api_key = secret-in-file\n", mode: 0o600)
    #expect(try FairCredentials.resolve(environment: [:], file: ok).isAPIKey)
    let ownerReadOnly = try tempFile("api_key = secret-in-file\n", mode: 0o400)
    #expect(try FairCredentials.resolve(environment: [:], file: ownerReadOnly).isAPIKey)
  }

  @Test func missingEverything() {
    #expect(throws: FairCredentialsError.notFound(file: "/nonexistent/credentials")) {
      try FairCredentials.resolve(environment: [:], file: "/nonexistent/credentials")
    }
  }

  @Test func malformedFileNamesLineNotValue() throws {
    let file = try tempFile("[default]\nbare-secret-line\n", mode: 0o600)
    do {
      _ = try FairCredentials.resolve(environment: [:], file: file)
      Issue.record("accepted")
    } catch {
      #expect("\(error)".contains("line 2"))
      #expect(!"\(error)".contains("bare-secret-line"))
    }
    let half = try tempFile("username = bob\n", mode: 0o600)
    #expect(throws: FairCredentialsError.incompleteFile(file: half, reason: "username without password")) {
      try FairCredentials.resolve(environment: [:], file: half)
    }
  }
}
