import FairEmulator
import FairScanTestSupport
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// `fairscan revoke` against the FAIR emulator over real HTTP on 127.0.0.1.
final class RevokeTests: XCTestCase {
  let ciKey = "Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0"
  let prodKey = "Hn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPi"
  let bobKey = "Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0Rb5Vm8"
  let password = "Tq8#vL2m-Xw9"

  func start(_ faults: FaultConfiguration = .none, hashes: KeyHashMode = .sha256) async throws -> FairEmulator {
    let alice = SeedUser(
      username: "alice", password: password,
      keys: [
        SeedKey(id: "k-ci", name: "ci", key: ciKey, created: "2026-01-01T00:00:00", expiresAt: "2027-01-01T00:00:00"),
        SeedKey(id: "k-prod", name: "prod", key: prodKey, created: "2026-02-01T00:00:00"),
      ])
    let bob = SeedUser(username: "bob", password: "bob-Pw-77x!", keys: [SeedKey(id: "k-bob", name: "bob", key: bobKey)])
    return try await FairEmulator.start(
      FairEmulatorConfiguration(port: 0, users: [alice, bob], keyHashMode: hashes, faults: faults))
  }

  func environment(_ emulator: FairEmulator, apiKey: String = "") -> [String: String] {
    guard !apiKey.isEmpty else { return Fairscan.login(emulator.baseURL, password: password) }
    return ["FAIR_BASE_URL": emulator.baseURL, "FAIR_CREDENTIALS_FILE": "/nonexistent", "FAIR_API_KEY": apiKey]
  }

  /// A repository holding alice's two keys and bob's.
  func leakyRepository() throws -> GitFixture {
    let repo = try GitFixture()
    try repo.write("deploy/ci.env", "FAIR_API_KEY=\(ciKey)\n")
    try repo.write("deploy/prod.env", "FAIR_API_KEY=\(prodKey)\n")
    try repo.write("vendor/bob.env", "FAIR_API_KEY=\(bobKey)\n")
    try repo.commitAll("keys")
    return repo
  }

  func methods(_ emulator: FairEmulator) -> [String] { emulator.requestLog().map(\.method) }

  func deletes(_ emulator: FairEmulator) -> [String] {
    emulator.requestLog().filter { $0.method == "DELETE" }.map(\.path)
  }

  func assertNoSecretLeft(
    _ emulator: FairEmulator, _ texts: [String], file: StaticString = #filePath, line: UInt = #line
  ) {
    let log = emulator.requestLog().map(\.description).joined(separator: "\n")
    for key in [ciKey, prodKey, bobKey] {
      XCTAssertFalse(log.contains(key), "a found key reached the FAIR host", file: file, line: line)
      for text in texts { XCTAssertFalse(text.contains(key), "key material in output", file: file, line: line) }
    }
  }

  func testDryRunPrintsThePlanAndSendsNoMutatingRequest() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let log = repo.root + "/audit.jsonl"
    let result = try Fairscan.run(
      ["revoke", "--repo", repo.path, "--audit-log", log], environment: environment(emulator))
    XCTAssertEqual(result.status, 8, result.stderrText + result.stdoutText)
    XCTAssertTrue(result.stdoutText.contains("plan (dry run): 2 live keys"), result.stdoutText)
    XCTAssertTrue(result.stdoutText.contains("revoke k-ci (ci)"), result.stdoutText)
    XCTAssertTrue(result.stdoutText.contains("deploy/ci.env:1"), result.stdoutText)
    XCTAssertTrue(result.stdoutText.contains("1 not-in-inventory"), result.stdoutText)
    XCTAssertTrue(result.stdoutText.contains("nothing was changed"), result.stdoutText)
    XCTAssertEqual(Set(methods(emulator)), ["POST", "GET"])
    XCTAssertEqual(emulator.requestLog().filter { $0.method == "POST" }.map(\.path), ["/api/auth/login"])
    XCTAssertEqual(Set(emulator.keys(of: "alice").map(\.id)), ["k-ci", "k-prod"])
    XCTAssertFalse(FileManager.default.fileExists(atPath: log), "no action, no audit line")
    assertNoSecretLeft(emulator, [result.stdoutText, result.stderrText])
  }

  func testOnATerminalItAsksAndTheDefaultIsNo() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let command = [Fairscan.binary, "revoke", "--repo", repo.path, "--audit-log", repo.root + "/audit.jsonl"].joined(
      separator: " ")
    var env = environment(emulator)
    env["FAIRSCAN_CACHE_DIR"] = try TemporaryFolder.make().path
    // script(1) gives fairscan a pseudo-terminal; what we write is typed at the prompt.
    for answer in ["", "n", "whatever"] {
      let declined = try Run.process(
        "/usr/bin/script", ["-qec", command, "/dev/null"], environment: env, input: Array((answer + "\n").utf8))
      XCTAssertEqual(declined.status, 8, declined.stdoutText)
      XCTAssertTrue(declined.stdoutText.contains("Revoke 2 keys now? [y/N]"), declined.stdoutText)
      XCTAssertTrue(declined.stdoutText.contains("not confirmed: nothing was changed"), declined.stdoutText)
    }
    XCTAssertEqual(deletes(emulator), [])
    let accepted = try Run.process(
      "/usr/bin/script", ["-qec", command, "/dev/null"], environment: env, input: Array("y\n".utf8))
    XCTAssertEqual(accepted.status, 0, accepted.stdoutText)
    XCTAssertEqual(emulator.keys(of: "alice"), [])
    assertNoSecretLeft(emulator, [accepted.stdoutText])
  }

  func testAKeyFoundAThousandTimesIsRevokedOnceAndOthersKeysNever() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    for i in 0..<1_000 { try repo.write("services/s\(i)/.env", "FAIR_API_KEY=\(ciKey)\n") }
    try repo.write("vendor/bob.env", "FAIR_API_KEY=\(bobKey)\n")
    try repo.commitAll("a thousand copies")
    let scan = try Fairscan.run([
      "repo", repo.path, "--format", "json", "--output", repo.root + "/report.json", "--quiet",
    ])
    XCTAssertEqual(scan.status, 1, scan.stderrText)
    let report =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repo.root + "/report.json")))
      as! [String: Any]
    XCTAssertEqual(
      report.findings(rule: "fair.api-key").filter { ($0["path"] as? String)?.hasPrefix("services/") == true }.count,
      1_000)

    let log = repo.root + "/audit.jsonl"
    let result = try Fairscan.run(
      ["revoke", repo.root + "/report.json", "--yes", "--audit-log", log], environment: environment(emulator))
    XCTAssertEqual(result.status, 0, result.stderrText + result.stdoutText)
    XCTAssertEqual(deletes(emulator), ["/api/v1/api-keys/k-ci"], "exactly one DELETE for the key")
    XCTAssertEqual(emulator.keys(of: "alice").map(\.id), ["k-prod"])
    XCTAssertEqual(emulator.keys(of: "bob").map(\.id), ["k-bob"], "another user's key is never revoked")
    XCTAssertTrue(result.stdoutText.contains("found in 1000 findings"), result.stdoutText)
    XCTAssertTrue(result.stdoutText.contains("revoked and confirmed gone: 1 key of 1"), result.stdoutText)

    let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(lines.count, 3, "one line per step: the intent, the revoke and its confirmation")
    var records = lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    XCTAssertEqual(records.map { $0["action"] as? String }, ["intent", "revoke", "confirm"])
    let intent = records.removeFirst()
    XCTAssertEqual(intent["intended_action"] as? String, "revoke")
    XCTAssertEqual(intent["key_id"] as? String, "k-ci")
    XCTAssertEqual(
      records.map { $0["intent_id"] as? String }, [intent["intent_id"] as? String, intent["intent_id"] as? String])
    XCTAssertEqual(records[0]["outcome"] as? String, "revoked")
    XCTAssertEqual(records[0]["http_status"] as? Int, 204)
    XCTAssertEqual(records[0]["key_id"] as? String, "k-ci")
    XCTAssertEqual(records[0]["key_name"] as? String, "ci")
    XCTAssertEqual((records[0]["key_sha256_prefix"] as? String)?.count, 12)
    let reason = try XCTUnwrap(records[0]["reason"] as? [String: Any])
    XCTAssertEqual((reason["fingerprints"] as? [String])?.count, 1_000)
    XCTAssertEqual(records[1]["outcome"] as? String, "gone")
    XCTAssertNotNil(records[0]["time"] as? String)
    let text = try String(contentsOfFile: log, encoding: .utf8)
    XCTAssertFalse(text.contains(ciKey) || text.contains(String(ciKey.prefix(12))), "no key material in the audit log")
    XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: log)[.posixPermissions] as? Int, 0o600)
    assertNoSecretLeft(emulator, [result.stdoutText, result.stderrText, text])

    // Run again: nothing is live any more, nothing is sent, the log only grows when acting.
    emulator.clearRequestLog()
    let again = try Fairscan.run(
      ["revoke", repo.root + "/report.json", "--yes", "--audit-log", log], environment: environment(emulator))
    XCTAssertEqual(again.status, 0, again.stderrText + again.stdoutText)
    XCTAssertTrue(again.stdoutText.contains("0 live keys"), again.stdoutText)
    XCTAssertEqual(deletes(emulator), [])
    XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count, 3)
  }

  func testARevokeWhoseConnectionDropsIsConfirmedByAFreshListing() async throws {
    let emulator = try await start(FaultConfiguration(dropAfterRevoke: .always))
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let log = repo.root + "/audit.jsonl"
    let result = try Fairscan.run(
      ["revoke", "--repo", repo.path, "--yes", "--audit-log", log], environment: environment(emulator))
    XCTAssertEqual(result.status, 0, result.stderrText + result.stdoutText)
    XCTAssertEqual(emulator.keys(of: "alice"), [])
    // Each DELETE was applied, its answer lost; the retry met 404, and the listing confirmed.
    XCTAssertEqual(
      deletes(emulator).filter { $0.hasSuffix("/k-ci") }.count, 2,
      emulator.requestLog().map(\.description).joined(separator: "\n"))
    XCTAssertEqual(emulator.requestLog().filter { $0.method == "DELETE" }.map(\.status).sorted(), [204, 204, 404, 404])
    let records = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
    XCTAssertEqual(
      records.filter { $0["action"] as? String == "revoke" }.map { $0["outcome"] as? String },
      ["already-gone", "already-gone"])
    XCTAssertEqual(
      records.filter { $0["action"] as? String == "confirm" }.map { $0["outcome"] as? String }, ["gone", "gone"])
    assertNoSecretLeft(emulator, [result.stdoutText, result.stderrText])
  }

  func testAnUnreadableInventoryRevokesNothing() async throws {
    let emulator = try await start(FaultConfiguration(malformedListOnce: true))
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let result = try Fairscan.run(
      ["revoke", "--repo", repo.path, "--yes", "--audit-log", repo.root + "/audit.jsonl"],
      environment: environment(emulator))
    XCTAssertEqual(result.status, 4, result.stderrText)
    XCTAssertTrue(result.stderrText.contains("nothing was revoked"), result.stderrText)
    XCTAssertTrue(result.stderrText.contains("malformed"), result.stderrText)
    XCTAssertEqual(deletes(emulator), [])
    XCTAssertEqual(emulator.keys(of: "alice").count, 2)
  }

  func testTheKeyFairscanAuthenticatesWithIsNeverRevoked() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let result = try Fairscan.run(
      ["revoke", "--repo", repo.path, "--yes", "--audit-log", repo.root + "/audit.jsonl"],
      environment: environment(emulator, apiKey: prodKey))
    XCTAssertEqual(result.status, 4 | 8, result.stderrText + result.stdoutText)
    XCTAssertTrue(result.stdoutText.contains("NOT revoked: fairscan authenticates with this key"), result.stdoutText)
    XCTAssertTrue(result.stdoutText.contains("keep   k-prod"), result.stdoutText)
    XCTAssertEqual(deletes(emulator), ["/api/v1/api-keys/k-ci"])
    XCTAssertEqual(emulator.keys(of: "alice").map(\.id), ["k-prod"])
    assertNoSecretLeft(emulator, [result.stdoutText, result.stderrText])
  }

  func testReplaceCreatesTheNewKeyFirstAndWritesItOnlyToA0600File() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write("deploy/ci.env", "FAIR_API_KEY=\(ciKey)\n")
    try repo.commitAll("ci key")
    let newKeys = repo.root + "/new-keys.jsonl"
    let result = try Fairscan.run(
      [
        "revoke", "--repo", repo.path, "--yes", "--replace", "--new-keys-file", newKeys, "--audit-log",
        repo.root + "/audit.jsonl",
      ],
      environment: environment(emulator))
    XCTAssertEqual(result.status, 0, result.stderrText + result.stdoutText)
    let alice = emulator.keys(of: "alice")
    XCTAssertEqual(Set(alice.map(\.name)), ["prod", "ci-rotated-k-ci"])
    let replacement = try XCTUnwrap(alice.first { $0.name == "ci-rotated-k-ci" })
    // Same lifetime as the old key: one year (2026-01-01 to 2027-01-01 is 365 days).
    XCTAssertEqual(replacement.expiresAt.map { ($0 - replacement.created) / 86_400 }, 365)
    let order = emulator.requestLog().filter { $0.method != "GET" }.map { "\($0.method) \($0.path)" }
    XCTAssertEqual(order, ["POST /api/auth/login", "POST /api/v1/api-keys", "DELETE /api/v1/api-keys/k-ci"])
    let saved = try String(contentsOfFile: newKeys, encoding: .utf8)
    let entry = try JSONSerialization.jsonObject(with: Data(saved.utf8)) as! [String: Any]
    XCTAssertEqual(entry["key"] as? String, replacement.plaintext)
    XCTAssertEqual(entry["replaces"] as? String, "k-ci")
    XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: newKeys)[.posixPermissions] as? Int, 0o600)
    XCTAssertFalse(
      result.stdoutText.contains(replacement.plaintext) || result.stderrText.contains(replacement.plaintext))
    let audit = try String(contentsOfFile: repo.root + "/audit.jsonl", encoding: .utf8)
    XCTAssertFalse(audit.contains(replacement.plaintext), "the new key is only in the new keys file")
    XCTAssertEqual(audit.split(separator: "\n").count, 5, "intent, create-replacement, intent, revoke, confirm")
  }

  func testAFailedRevokeAfterItsReplacementIsRetriedWithoutASecondReplacement() async throws {
    // Requests: 1 login, 2 list, 3 create the replacement, 4 the DELETE (fails, not retried here).
    let emulator = try await start(FaultConfiguration(failEvery: 4, failStatuses: [503]))
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write("deploy/ci.env", "FAIR_API_KEY=\(ciKey)\n")
    _ = try repo.commitAll("ci key")
    let args = [
      "revoke", "--repo", repo.path, "--yes", "--replace", "--new-keys-file", repo.root + "/new.jsonl",
      "--audit-log", repo.root + "/audit.jsonl",
    ]
    var env = environment(emulator)
    env["FAIR_RETRY_MAX_ATTEMPTS"] = "1"
    let first = try Fairscan.run(args, environment: env)
    XCTAssertEqual(first.status, 4 | 8, first.stderrText + first.stdoutText)
    XCTAssertTrue(first.stdoutText.contains("NOT revoked (run again to retry):"), first.stdoutText)
    XCTAssertTrue(first.stdoutText.contains("key k-ci (ci)"), first.stdoutText)
    XCTAssertEqual(Set(emulator.keys(of: "alice").map(\.id)).count, 3, "the old key, prod, and the replacement")

    emulator.setFaults(.none)
    let second = try Fairscan.run(args, environment: env)
    XCTAssertEqual(second.status, 0, second.stderrText + second.stdoutText)
    XCTAssertTrue(second.stdoutText.contains("was created by an earlier run"), second.stdoutText)
    XCTAssertEqual(
      emulator.requestLog().filter { $0.method == "POST" && $0.path == "/api/v1/api-keys" }.count, 1, "one replacement")
    XCTAssertEqual(Set(emulator.keys(of: "alice").map(\.name)), ["prod", "ci-rotated-k-ci"])
    let saved = try String(contentsOfFile: repo.root + "/new.jsonl", encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(saved.count, 1)
    let actions = try String(contentsOfFile: repo.root + "/audit.jsonl", encoding: .utf8).split(separator: "\n").map {
      (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["action"] as! String
    }
    XCTAssertEqual(
      actions, ["intent", "create-replacement", "intent", "revoke", "confirm", "intent", "revoke", "confirm"])
  }

  func testANewKeysFileOthersCanReadIsRefusedBeforeAnyAction() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let newKeys = repo.root + "/new-keys.jsonl"
    FileManager.default.createFile(atPath: newKeys, contents: nil, attributes: [.posixPermissions: 0o644])
    let result = try Fairscan.run(
      [
        "revoke", "--repo", repo.path, "--yes", "--replace", "--new-keys-file", newKeys, "--audit-log",
        repo.root + "/a.jsonl",
      ],
      environment: environment(emulator))
    XCTAssertEqual(result.status, 64, result.stderrText)
    XCTAssertTrue(result.stderrText.contains("can be read by other users"), result.stderrText)
    XCTAssertEqual(Set(methods(emulator)), ["POST", "GET"])
    XCTAssertEqual(emulator.keys(of: "alice").count, 2)
  }

  func testARunKilledHalfWayCompletesTheRestWhenRunAgain() async throws {
    // Each request takes a second, so the run is surely killed with keys left to revoke.
    let emulator = try await start(FaultConfiguration(latencyMilliseconds: 1_000))
    defer { Task { await emulator.stop() } }
    let stagingKey = "Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1"
    _ = try emulator.addKey(SeedKey(id: "k-staging", name: "staging", key: stagingKey), to: "alice")
    let repo = try leakyRepository()
    try repo.write("deploy/staging.env", "FAIR_API_KEY=\(stagingKey)\n")
    _ = try repo.commitAll("staging key")
    let log = repo.root + "/audit.jsonl"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Fairscan.binary)
    process.arguments = ["revoke", "--repo", repo.path, "--yes", "--audit-log", log]
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment(emulator) { env[k] = v }
    env["FAIRSCAN_CACHE_DIR"] = try TemporaryFolder.make().path
    process.environment = env
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Kill it as soon as the server has applied the first revoke.
    let deadline = Date().addingTimeInterval(60)
    while !emulator.requestLog().contains(where: { $0.method == "DELETE" && $0.status == 204 }) && Date() < deadline {
      try await Task.sleep(nanoseconds: 5_000_000)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the run was killed before it finished")
    // A revoke already on its way when the client died is still applied by the server: let it land.
    try await Task.sleep(nanoseconds: 1_500_000_000)
    let left = emulator.keys(of: "alice").count
    XCTAssertTrue((1...2).contains(left), "killed with keys left to revoke: \(left)")

    let again = try Fairscan.run(
      ["revoke", "--repo", repo.path, "--yes", "--audit-log", log], environment: environment(emulator))
    XCTAssertEqual(again.status, 0, again.stderrText + again.stdoutText)
    XCTAssertTrue(
      again.stdoutText.contains("plan: \(left) live key"),
      again.stdoutText + again.stderrText + emulator.requestLog().map(\.description).joined(separator: "\n"))
    XCTAssertEqual(emulator.keys(of: "alice"), [])
    XCTAssertEqual(
      deletes(emulator).sorted(), ["/api/v1/api-keys/k-ci", "/api/v1/api-keys/k-prod", "/api/v1/api-keys/k-staging"],
      "each key revoked once: no double action")
  }

}
