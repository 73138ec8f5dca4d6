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
    #expect(throws: FairConfigurationError.self) { try FairConfiguration.fromEnvironment(["FAIR_BASE_URL": "http://example.org"]) }
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

@Suite struct DigestTests {
  @Test func knownVectors() {
    #expect(KeyDigest.sha256.digest(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(KeyDigest.sha256.digest(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(KeyDigest.sha256.digest(of: String(repeating: "a", count: 1000))
      == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    #expect(KeyDigest.sha512.digest(of: "abc")
      == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
    #expect(KeyDigest.sha512.digest(of: String(repeating: "a", count: 1000))
      == "67ba5535a46e3f86dbfbed8cbbaf0125c76ed549ff8b0b9e03e0c88cf90fa634fa7b12b47d77b694de488ace8d9a65967dc96df599727d3292a8d9d447709c97")
  }

  func key(_ hash: String?) -> FairKey {
    FairKey(id: "1", name: "n", keyHash: hash, created: nil, expiresAt: nil)
  }

  @Test func matching() {
    let secret = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"
    let s256 = KeyDigest.sha256.digest(of: secret)
    let s512 = KeyDigest.sha512.digest(of: secret)
    #expect(key(s256).matches(secret: secret) == .match)
    #expect(key(s256.uppercased()).matches(secret: secret, digest: .sha256) == .match)
    #expect(key(s256).matches(secret: secret + "x") == .noMatch)
    #expect(key(s256).matches(secret: secret, digest: .sha512) == .noMatch)
    #expect(key(s512).matches(secret: secret, digest: .sha512) == .match)
    #expect(key(secret).matches(secret: secret, digest: .plain) == .match)
    #expect(key(secret).matches(secret: secret.lowercased(), digest: .plain) == .noMatch)
    #expect(key(secret).matches(secret: secret, digest: .sha256) == .noMatch)
    #expect(key("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW").matches(secret: secret)
      == .cannotMatchOffline(scheme: "bcrypt"))
    #expect(key("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA").matches(secret: secret, digest: .plain)
      == .cannotMatchOffline(scheme: "argon2id"))
    #expect(key(nil).matches(secret: secret) == .noHash)
    #expect(KeyMatch.cannotMatchOffline(scheme: "bcrypt").description.contains("cannot match offline"))
  }

  @Test func settingNames() {
    #expect(KeyDigest(setting: "SHA256") == .sha256)
    #expect(KeyDigest(setting: "sha-512") == .sha512)
    #expect(KeyDigest(setting: "plaintext") == .plain)
    #expect(KeyDigest(setting: "bcrypt") == nil)
  }
}

@Suite struct DateTests {
  @Test func formats() {
    let base = Date(timeIntervalSince1970: 1_773_661_172)
    #expect(FairDate.parse("2026-03-16T11:39:32") == base)
    #expect(FairDate.parse("2026-03-16 11:39:32") == base)
    #expect(FairDate.parse("2026-03-16T11:39:32Z") == base)
    #expect(FairDate.parse("2026-03-16T12:39:32+01:00") == base)
    #expect(FairDate.parse("2026-03-16T06:39:32-0500") == base)
    #expect(FairDate.parse("2026-03-16T11:39:32.250") == base.addingTimeInterval(0.25))
    #expect(FairDate.parse("2026-03-16T11:39:32.123456+00:00")!.timeIntervalSince(base) > 0.1234)
    #expect(FairDate.parse("2026-03-16") == Date(timeIntervalSince1970: 1_773_619_200))
    #expect(FairDate.parse("2024-02-29T00:00:00") != nil)
    for bad in ["", "2026-02-30T00:00:00", "2026-13-01T00:00:00", "yesterday", "2026-03-16T11:39:32 UTC", "1773661172"] {
      #expect(FairDate.parse(bad) == nil, "\(bad)")
    }
  }

  @Test func expiry() {
    let k = FairKey(id: "1", name: "n", keyHash: nil, created: nil, expiresAt: "2026-03-16T11:39:32")
    #expect(k.isExpired(at: Date(timeIntervalSince1970: 1_773_661_173)))
    #expect(!k.isExpired(at: Date(timeIntervalSince1970: 1_773_661_171)))
    #expect(!FairKey(id: "1", name: "n", keyHash: nil, created: nil, expiresAt: nil).isExpired())
  }
}
