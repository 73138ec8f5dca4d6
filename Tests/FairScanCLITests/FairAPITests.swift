import FairEmulator
import Foundation
import XCTest
import FairScanTestSupport

/// fairscan against the FAIR emulator over real HTTP on 127.0.0.1.
final class VerifyAndKeysTests: XCTestCase {
  let liveKey = "Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0"
  let foreignKey = "Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0Rb5Vm8"
  let password = "Tq8#vL2m-Xw9"

  func start(_ faults: FaultConfiguration = .none) async throws -> FairEmulator {
    let user = SeedUser(
      username: "alice", password: password,
      keys: [
        SeedKey(id: "k-live", name: "ci", key: liveKey, created: "2026-01-01T00:00:00")
      ])
    return try await FairEmulator.start(FairEmulatorConfiguration(port: 0, users: [user], faults: faults))
  }

  func environment(_ emulator: FairEmulator) -> [String: String] {
    Fairscan.login(emulator.baseURL, password: password)
  }

  func json(_ result: Run.Result) throws -> [String: Any] { try result.jsonObject() }

  func testVerifyTiesAFindingToTheLiveKeyAndSetsBit8() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write("deploy/.env", "FAIR_API_KEY=\(liveKey)\n")
    try repo.write("old/.env", "FAIR_API_KEY=\(foreignKey)\n")
    try repo.write("notes.txt", "curl -d payload=\(liveKey) http://localhost:9/x\n")
    try repo.commitAll("keys")
    let result = try Fairscan.run(
      ["repo", repo.path, "--verify", "--format", "json"], environment: environment(emulator))
    XCTAssertEqual(result.status, 1 | 8, result.stderrText)
    let report = try json(result)
    let live = try XCTUnwrap(report.findings.first { $0["path"] as? String == "deploy/.env" })
    XCTAssertEqual(live["key_status"] as? String, "live")
    let key = try XCTUnwrap(live["key"] as? [String: Any])
    XCTAssertEqual(key["id"] as? String, "k-live")
    XCTAssertEqual(key["name"] as? String, "ci")
    XCTAssertNotNil(key["exposed_since"])
    let foreign = try XCTUnwrap(report.findings.first { $0["path"] as? String == "old/.env" })
    XCTAssertEqual(foreign["key_status"] as? String, "not-in-inventory")
    // Found by its hash alone, with no name or FAIR context around it.
    let anywhere = try XCTUnwrap(report.findings(rule: "fair.inventory-match").first)
    XCTAssertEqual(anywhere["path"] as? String, "notes.txt")
    XCTAssertEqual(anywhere["key_status"] as? String, "live")
    // The inventory was read once; no request carried a found secret.
    let log = emulator.requestLog()
    XCTAssertEqual(log.map(\.method), ["POST", "GET"], log.map(\.description).joined(separator: "\n"))
    XCTAssertFalse(log.map(\.description).joined().contains(liveKey))
    XCTAssertFalse(result.stdoutText.contains(liveKey) || result.stderrText.contains(liveKey))
  }

  func testVerifyAReportFileBySecretHash() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write(".env", "FAIR_API_KEY=\(liveKey)\n")
    try repo.commitAll("key")
    let scan = try Fairscan.run(["repo", repo.path, "--format", "json", "--output", repo.root + "/report.json"])
    XCTAssertEqual(scan.status, 1, scan.stderrText)
    let result = try Fairscan.run(
      ["verify", repo.root + "/report.json", "--format", "json"], environment: environment(emulator))
    XCTAssertEqual(result.status, 1 | 8, result.stderrText)
    XCTAssertEqual(try json(result).findings(rule: "fair.api-key").first?["key_status"] as? String, "live")
  }

  func testSHA512AndPlaintextInventories() async throws {
    let user = SeedUser(username: "alice", password: password, keys: [SeedKey(id: "k-live", name: "ci", key: liveKey)])
    let repo = try GitFixture()
    try repo.write(".env", "FAIR_API_KEY=\(liveKey)\n")
    try repo.write("notes.txt", "payload=\(liveKey)\n")
    _ = try repo.commitAll("key")
    let reportPath = repo.root + "/report.json"
    XCTAssertEqual(try Fairscan.run(["repo", repo.path, "--format", "json", "--output", reportPath]).status, 1)
    for (mode, setting) in [(KeyHashMode.sha512, "sha512"), (.plain, "plain")] {
      let emulator = try await FairEmulator.start(FairEmulatorConfiguration(port: 0, users: [user], keyHashMode: mode))
      var env = environment(emulator)
      env["FAIR_KEY_DIGEST"] = setting
      let scan = try Fairscan.run(["repo", repo.path, "--verify", "--format", "json"], environment: env)
      XCTAssertEqual(scan.status, 1 | 8, "\(setting): \(scan.stderrText)")
      let report = try json(scan)
      XCTAssertEqual(report.findings(rule: "fair.api-key").first?["key_status"] as? String, "live", setting)
      XCTAssertEqual(report.findings(rule: "fair.inventory-match").first?["path"] as? String, "notes.txt", setting)
      // A report keeps only each secret's SHA-256: enough for a plaintext inventory, not for SHA-512.
      let verified = try Fairscan.run(["verify", reportPath, "--format", "json"], environment: env)
      let status = try json(verified).findings(rule: "fair.api-key").first?["key_status"] as? String
      XCTAssertEqual(status, mode == .plain ? "live" : "indeterminate", setting)
      XCTAssertFalse(emulator.requestLog().map(\.description).joined().contains(liveKey))
      await emulator.stop()
    }
  }

  func testAnUnreadableInventoryIsIndeterminateNeverGuessed() async throws {
    let emulator = try await start(FaultConfiguration(malformedListOnce: true))
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write(".env", "FAIR_API_KEY=\(liveKey)\n")
    try repo.commitAll("key")
    let result = try Fairscan.run(
      ["repo", repo.path, "--verify", "--format", "json"], environment: environment(emulator))
    XCTAssertEqual(result.status, 1 | 2, result.stderrText)
    XCTAssertTrue(result.stderrText.contains("could not be read"), result.stderrText)
    XCTAssertEqual(try json(result).findings(rule: "fair.api-key").first?["key_status"] as? String, "indeterminate")
  }

  func testScansVerifyUnaskedWhenCredentialsAreConfiguredAndNotWithNoVerify() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write("deploy/.env", "FAIR_API_KEY=\(liveKey)\n")
    try repo.write("notes.txt", "payload=\(liveKey)\n")
    try repo.commitAll("keys")
    let env = environment(emulator)
    // repo, dir and stdin compare with the inventory without --verify.
    for args in [["repo", repo.path], ["dir", repo.path]] {
      let result = try Fairscan.run(args + ["--format", "json"], environment: env)
      XCTAssertEqual(result.status, 1 | 8, "\(args): \(result.stderrText)")
      let report = try json(result)
      XCTAssertEqual(report.findings(rule: "fair.api-key").first?["key_status"] as? String, "live", "\(args)")
      XCTAssertEqual(report.findings(rule: "fair.inventory-match").first?["path"] as? String, "notes.txt", "\(args)")
    }
    let stdin = try Fairscan.run(
      ["stdin", "--name", ".env", "--format", "json"], input: "FAIR_API_KEY=\(liveKey)\n", environment: env)
    XCTAssertEqual(stdin.status, 1 | 8, stdin.stderrText)
    XCTAssertEqual(try json(stdin).findings(rule: "fair.api-key").first?["key_status"] as? String, "live")
    let requestsSoFar = emulator.requestLog().count
    // --no-verify: offline, no key_status, no request.
    let offline = try Fairscan.run(["repo", repo.path, "--no-verify", "--format", "json"], environment: env)
    XCTAssertEqual(offline.status, 1, offline.stderrText)
    XCTAssertNil(try json(offline).findings(rule: "fair.api-key").first?["key_status"])
    XCTAssertTrue(try json(offline).findings(rule: "fair.inventory-match").isEmpty)
    // The pre-commit hook's scan stays offline unless .fairscan.yml says verify: true. (A key
    // HEAD does not hold yet: a copy of a committed one is a known secret, not a finding.)
    try repo.write("later/.env", "FAIR_API_KEY=Zq7Wm2Xc8Vb4Nn6Ll1Kk3Jj5Hh9Gg0Ff-Dd_SsAaPpOo\n")
    try repo.git("add", "later/.env")
    let staged = try Fairscan.run(["staged", repo.path, "--format", "json"], environment: env)
    XCTAssertEqual(staged.status, 1, staged.stderrText)
    XCTAssertNil(try json(staged).findings(rule: "fair.api-key").first?["key_status"])
    XCTAssertEqual(emulator.requestLog().count, requestsSoFar, "neither --no-verify nor staged asked the API")
    // Without any credentials nothing is asked and the scan is complete.
    let none = try Fairscan.run(
      ["repo", repo.path, "--format", "json"],
      environment: [
        "FAIR_CREDENTIALS_FILE": repo.root + "/no-such-file", "FAIR_API_KEY": "", "FAIR_USERNAME": "",
        "FAIR_PASSWORD": "",
      ])
    XCTAssertEqual(none.status, 1, none.stderrText)
    XCTAssertEqual(try json(none).summary["incomplete"] as? [String], [])
  }

  func testAnInventoryThatCannotBeReadUnaskedHidesNoFindingAndSaysWhy() async throws {
    let repo = try GitFixture()
    try repo.write(".env", "FAIR_API_KEY=\(liveKey)\n")
    try repo.commitAll("key")
    // Credentials are configured, but nothing answers at the FAIR host.
    let env = Fairscan.login("http://127.0.0.1:9", password: password)
    let result = try Fairscan.run(
      ["repo", repo.path, "--format", "json"],
      environment: env.merging(["FAIR_RETRY_MAX_ATTEMPTS": "1", "FAIR_CONNECT_TIMEOUT": "1"]) { $1 })
    XCTAssertEqual(result.status, 1 | 2, result.stderrText)
    let report = try json(result)
    XCTAssertEqual(report.findings(rule: "fair.api-key").first?["key_status"] as? String, "indeterminate")
    let incomplete = try XCTUnwrap(report.summary["incomplete"] as? [String])
    XCTAssertTrue(
      incomplete.contains { $0.contains("FAIR key inventory could not be read") && $0.contains("(") }, "\(incomplete)")
  }

  func testProbeTellsAnotherAccountsLiveKeyFromADeadOneEachProbedOnce() async throws {
    let bobKey = "Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2"
    let deadKey = "Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9"
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    try emulator.addUser(
      SeedUser(username: "bob", password: "bob-Pw-77x!", keys: [SeedKey(id: "k-bob", name: "bob", key: bobKey)]))
    let repo = try GitFixture()
    try repo.write("a/.env", "FAIR_API_KEY=\(bobKey)\n")
    try repo.write("b/.env", "FAIR_API_KEY=\(bobKey)\n")
    try repo.write("c/.env", "FAIR_API_KEY=\(deadKey)\n")
    try repo.write("d/.env", "FAIR_API_KEY=\(liveKey)\n")
    try repo.commitAll("keys")
    var env = environment(emulator)
    env["FAIR_PROBE_INTERVAL"] = "0"

    // Without --probe no found key is ever sent.
    let quiet = try Fairscan.run(["repo", repo.path, "--verify", "--format", "json"], environment: env)
    XCTAssertEqual(quiet.status, 1 | 8, quiet.stderrText)
    XCTAssertFalse(emulator.requestLog().contains { $0.auth == .apiKey || $0.auth == .rejected })
    XCTAssertNil(try json(quiet).findings.first { $0["probe"] != nil })
    XCTAssertEqual(
      try json(quiet).findings.first { $0["path"] as? String == "a/.env" }?["key_status"] as? String, "not-in-inventory"
    )

    emulator.clearRequestLog()
    let result = try Fairscan.run(["repo", repo.path, "--verify", "--probe", "--format", "json"], environment: env)
    XCTAssertEqual(result.status, 1 | 8, result.stderrText)
    let findings = try json(result).findings(rule: "fair.api-key")
    func status(_ path: String) -> (String?, String?) {
      let f = findings.first { $0["path"] as? String == path }
      return (f?["key_status"] as? String, f?["probe"] as? String)
    }
    XCTAssertEqual(status("a/.env").0, "live-foreign")
    XCTAssertEqual(status("a/.env").1, "live")
    XCTAssertEqual(status("b/.env").0, "live-foreign")
    XCTAssertEqual(status("c/.env").0, "dead")
    XCTAssertEqual(status("d/.env").0, "live", "the account's own key is tied by hash, never probed")
    XCTAssertNil(status("d/.env").1)
    let probes = emulator.requestLog().filter { $0.auth == .apiKey || $0.auth == .rejected }
    XCTAssertEqual(probes.count, 2, "each distinct key once: \(probes.map(\.description))")
    XCTAssertEqual(probes.compactMap(\.apiKeyID), ["k-bob"])
    XCTAssertTrue(result.stderrText.contains("probed 2 FAIR keys"), result.stderrText)
    XCTAssertFalse(emulator.requestLog().map(\.description).joined().contains(bobKey))
    XCTAssertFalse(result.stdoutText.contains(bobKey) || result.stderrText.contains(bobKey))

    // The per-run limit: the rest stay not-in-inventory, and the summary says so.
    env["FAIR_PROBE_MAX"] = "1"
    emulator.clearRequestLog()
    let limited = try Fairscan.run(["repo", repo.path, "--verify", "--probe", "--format", "json"], environment: env)
    XCTAssertEqual(emulator.requestLog().filter { $0.auth == .apiKey || $0.auth == .rejected }.count, 1)
    XCTAssertTrue(limited.stderrText.contains("1 more not probed"), limited.stderrText)
    XCTAssertEqual(
      try json(limited).findings(rule: "fair.api-key").filter { $0["probe"] == nil }.count, 2,
      "a/ and b/ share the one probed key; c/ is over the limit; d/ is the account's own key")
    XCTAssertEqual(
      try Fairscan.run(["repo", repo.path, "--probe"], environment: env).status, 64, "--probe needs --verify")
  }

  func testKeysListCreateRevoke() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let env = environment(emulator)
    let list = try Fairscan.run(["keys", "list", "--format", "json"], environment: env)
    XCTAssertEqual(list.status, 0, list.stderrText)
    XCTAssertTrue(list.stdoutText.contains("k-live"))
    XCTAssertFalse(list.stdoutText.contains(liveKey), "key hashes and keys are not listed")
    let created = try Fairscan.run(["keys", "create", "staging", "--expires-days", "30"], environment: env)
    XCTAssertEqual(created.status, 0, created.stderrText)
    let newKey = created.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    XCTAssertEqual(newKey.count, 43, "the key, once, on stdout")
    XCTAssertTrue(created.stderrText.contains("shown once"), created.stderrText)
    let newID = try XCTUnwrap(emulator.keys(of: "alice").first { $0.name == "staging" }?.id)
    let revoked = try Fairscan.run(["keys", "revoke", newID], environment: env)
    XCTAssertEqual(revoked.stdoutText, "key \(newID): revoked\n", revoked.stderrText)
    let again = try Fairscan.run(["keys", "revoke", newID], environment: env)
    XCTAssertEqual(again.stdoutText, "key \(newID): already gone\n", again.stderrText)
    XCTAssertFalse(emulator.requestLog().map(\.description).joined().contains(newKey))
  }

  func testAPrivateCAIsTrustedOnlyThroughTheCAFile() async throws {
    let ca = try TestCertificateAuthority()
    let user = SeedUser(username: "alice", password: password, keys: [SeedKey(id: "k-live", name: "ci", key: liveKey)])
    var configuration = FairEmulatorConfiguration(port: 0, users: [user])
    configuration.tls = TLSFiles(certificateChain: ca.serverCertificate, privateKey: ca.serverKey)
    let emulator = try await FairEmulator.start(configuration)
    defer { Task { await emulator.stop() } }
    XCTAssertTrue(emulator.baseURL.hasPrefix("https://127.0.0.1:"))
    let env = environment(emulator)
    // TLS is always verified: a certificate from an unknown CA is refused before any credential is sent.
    var impatient = env
    impatient["FAIR_CONNECT_TIMEOUT"] = "2"  // the HTTP client retries a failed handshake until this deadline
    let refused = try Fairscan.run(["keys", "list"], environment: impatient)
    XCTAssertEqual(refused.status, 4, refused.stderrText)
    XCTAssertTrue(refused.stderrText.contains("certificate is not trusted"), refused.stderrText)
    XCTAssertTrue(refused.stderrText.contains("--ca-file"), refused.stderrText)
    XCTAssertEqual(emulator.requestLog().count, 0, "nothing reached the server")
    let trusted = try Fairscan.run(["keys", "list", "--ca-file", ca.caCertificate], environment: env)
    XCTAssertEqual(trusted.status, 0, trusted.stderrText)
    XCTAssertTrue(trusted.stdoutText.contains("k-live"), trusted.stdoutText)
    var viaEnvironment = env
    viaEnvironment["FAIR_CA_FILE"] = ca.caCertificate
    XCTAssertEqual(try Fairscan.run(["keys", "list"], environment: viaEnvironment).status, 0)
    let missing = try Fairscan.run(["keys", "list", "--ca-file", "/nonexistent/ca.pem"], environment: env)
    XCTAssertEqual(missing.status, 64)
    XCTAssertTrue(missing.stderrText.contains("/nonexistent/ca.pem"), missing.stderrText)
    // The same --ca-file (one option group) on the scans' --verify and on `verify REPORT.json`.
    let folder = try TemporaryFolder.make().path
    try "FAIR_API_KEY=\(liveKey)\n".write(toFile: folder + "/.env", atomically: true, encoding: .utf8)
    let scanned = try Fairscan.run(
      ["dir", folder, "--verify", "--ca-file", ca.caCertificate, "--format", "json"], environment: env)
    XCTAssertEqual(scanned.status, 1 | 8, scanned.stderrText)
    let report = folder + "/report.json"
    try Data(scanned.stdout).write(to: URL(fileURLWithPath: report))
    let verified = try Fairscan.run(["verify", report, "--ca-file", ca.caCertificate], environment: env)
    XCTAssertEqual(verified.status, 1 | 8, verified.stderrText)
    for args in [["dir", folder, "--verify"], ["verify", report]] {
      let unreadable = try Fairscan.run(args + ["--ca-file", "/nonexistent/ca.pem"], environment: env)
      XCTAssertEqual(unreadable.status, 64, "\(args): \(unreadable.stderrText)")
      XCTAssertTrue(unreadable.stderrText.contains("--ca-file /nonexistent/ca.pem"), unreadable.stderrText)
    }
  }

  func testCredentialsAreNeverFlagsAndHTTPIsLoopbackOnly() throws {
    let remote = try Fairscan.run(
      ["keys", "list"], environment: ["FAIR_BASE_URL": "http://fair.example.org", "FAIR_API_KEY": "x"])
    XCTAssertEqual(remote.status, 64)
    XCTAssertTrue(remote.stderrText.contains("http"), remote.stderrText)
    XCTAssertEqual(try Fairscan.run(["keys", "list", "--api-key", "abc"]).status, 64)
  }
}
