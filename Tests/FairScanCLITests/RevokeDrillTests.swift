import FairEmulator
import FairScanTestSupport
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// The fault drill: `fairscan revoke` killed (SIGKILL) after the server applied a DELETE and
/// before its answer, then run again against a server that fails every few requests, rate
/// limits, lets access tokens expire mid-run and drops the connection after every applied
/// DELETE. It must revoke exactly the leaked live keys, each once, and leave an audit log that
/// names every applied revocation, claims none that did not happen, and holds no key material.
final class RevokeDrillTests: XCTestCase {
  let password = "Tq8#vL2m-Xw9"
  let leaked = [
    "k-ci": "Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0",
    "k-prod": "Hn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPi",
    "k-staging": "Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1",
    "k-dev": "TkMoPiNHn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_",
  ]
  let unleaked = "Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4"
  let bobKey = "Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0Rb5Vm8"

  func testKilledMidRunThenRunAgainUnderFaultsRevokesEachLeakedKeyOnceWithACompleteAuditLog() async throws {
    let alice = SeedUser(
      username: "alice", password: password,
      keys: leaked.keys.sorted().map { SeedKey(id: $0, name: String($0.dropFirst(2)), key: leaked[$0]!) }
        + [SeedKey(id: "k-unleaked", name: "unleaked", key: unleaked)])
    let bob = SeedUser(username: "bob", password: "bob-Pw-77x!", keys: [SeedKey(id: "k-bob", name: "bob", key: bobKey)])
    var hold = FaultConfiguration()
    hold.revokeAnswerDelayMilliseconds = 4_000
    let emulator = try await FairEmulator.start(FairEmulatorConfiguration(port: 0, users: [alice, bob], faults: hold))
    defer { Task { await emulator.stop() } }

    let repo = try GitFixture()
    for (id, key) in leaked { try repo.write("deploy/\(id).env", "FAIR_API_KEY=\(key)\n") }
    try repo.write("vendor/bob.env", "FAIR_API_KEY=\(bobKey)\n")
    try repo.commitAll("keys")
    let log = repo.root + "/audit.jsonl"
    let args = ["revoke", "--repo", repo.path, "--yes", "--audit-log", log]
    var env = Fairscan.login(emulator.baseURL, password: password)
    env["FAIR_RETRY_BASE_DELAY"] = "0.05"
    env["FAIR_RETRY_MAX_DELAY"] = "0.2"
    env["FAIR_RETRY_MAX_ATTEMPTS"] = "6"
    env["FAIR_RUN_BUDGET"] = "100"

    // Run 1: killed once the server has applied a DELETE whose answer it holds back.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Fairscan.binary)
    process.arguments = args
    var processEnv = ProcessInfo.processInfo.environment
    for (k, v) in env { processEnv[k] = v }
    processEnv["FAIRSCAN_CACHE_DIR"] = try TemporaryFolder.make().path
    process.environment = processEnv
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    func revokedIDs() -> Set<String> { Set(emulator.allKeys().filter(\.revoked).map(\.id)) }
    while revokedIDs().isEmpty && Date() < deadline { try await Task.sleep(nanoseconds: 5_000_000) }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationReason, .uncaughtSignal)
    let killedOn = revokedIDs()
    XCTAssertEqual(killedOn.count, 1, "killed with one revoke applied and unanswered")
    let afterKill = try AuditRecords.read(log)
    let intents = afterKill.filter { $0["action"] as? String == "intent" }
    XCTAssertEqual(
      Set(intents.compactMap { $0["key_id"] as? String }), killedOn, "the intent names the key before the request left")
    XCTAssertTrue(afterKill.allSatisfy { $0["action"] as? String == "intent" }, "no outcome was claimed")
    try await Task.sleep(nanoseconds: 4_500_000_000)  // the held answer is written to a closed connection

    // Run 2: every fault at once, tokens that expire mid-run.
    var faults = FaultConfiguration(
      rateLimitEvery: 7, retryAfterSeconds: 0, failEvery: 5, failStatuses: [500, 503], latencyMilliseconds: 100,
      dropAfterRevoke: .always)
    faults.revokeAnswerDelayMilliseconds = 0
    emulator.setFaults(faults)
    emulator.setAccessTokenLifetime(3)
    // Every access token expires twice mid-run: once the listing is read, and after the second DELETE.
    let before = emulator.requestLog().count
    let expiring = Task {
      for (method, count) in [("GET", 1), ("DELETE", 2)] {
        while !Task.isCancelled
          && emulator.requestLog().dropFirst(before).filter({ $0.method == method && $0.status < 400 }).count < count
        {
          try? await Task.sleep(nanoseconds: 2_000_000)
        }
        emulator.expireAccessTokens()
      }
    }
    let again = try Fairscan.run(args, timeout: 110, environment: env)
    expiring.cancel()
    let requests = emulator.requestLog()
    let trace = requests.map(\.description).joined(separator: "\n")
    XCTAssertEqual(again.status, 0, again.stdoutText + again.stderrText + trace)
    XCTAssertTrue(again.stdoutText.contains("left open by an earlier run: gone"), again.stdoutText)
    XCTAssertTrue(
      requests.contains { $0.notes.contains("injected-503") || $0.notes.contains("injected-500") },
      "faults were injected")
    XCTAssertTrue(requests.contains { $0.status == 429 }, "rate limits were injected")
    XCTAssertTrue(requests.contains { $0.notes.contains("dropped-connection") }, "connections were dropped")
    XCTAssertTrue(requests.contains { $0.notes.contains("access-token-expired") }, "a token expired mid-run")

    // Exactly the leaked live keys of alice are revoked, each by one applied DELETE.
    XCTAssertEqual(emulator.keys(of: "alice").map(\.id), ["k-unleaked"])
    XCTAssertEqual(emulator.keys(of: "bob").map(\.id), ["k-bob"])
    let applied = requests.filter { $0.method == "DELETE" && $0.status == 204 }.map(\.path).sorted()
    XCTAssertEqual(applied, leaked.keys.sorted().map { "/api/v1/api-keys/\($0)" }, trace)
    XCTAssertFalse(
      requests.contains { $0.method == "DELETE" && ($0.path.hasSuffix("/k-unleaked") || $0.path.hasSuffix("/k-bob")) })

    // The audit log: every applied revocation named, none claimed that did not happen, no open intent.
    let records = try AuditRecords.read(log)
    XCTAssertEqual(AuditRecords.appliedRevocations(records), Set(leaked.keys), "every applied revocation is on record")
    let revoked = Set(emulator.allKeys().filter(\.revoked).map(\.id))
    XCTAssertTrue(
      AuditRecords.appliedRevocations(records).isSubset(of: revoked), "no revocation claimed that did not happen")
    let reconciled = records.filter { $0["action"] as? String == "reconcile" }
    XCTAssertEqual(reconciled.compactMap { $0["key_id"] as? String }, Array(killedOn))
    XCTAssertEqual(reconciled.map { $0["outcome"] as? String }, ["gone"])
    let answered = Set(records.filter { $0["action"] as? String != "intent" }.compactMap { $0["intent_id"] as? String })
    let opened = records.filter { $0["action"] as? String == "intent" }.compactMap { $0["intent_id"] as? String }
    XCTAssertEqual(opened.count, leaked.count, "one intent per revoke")
    XCTAssertTrue(opened.allSatisfy(answered.contains), "every intent settled")
    let text = try String(contentsOfFile: log, encoding: .utf8)
    for key in Array(leaked.values) + [unleaked, bobKey, password] {
      XCTAssertFalse(text.contains(key) || text.contains(String(key.prefix(12))), "no key material in the audit log")
      XCTAssertFalse(again.stdoutText.contains(key) || again.stderrText.contains(key))
      XCTAssertFalse(trace.contains(key))
    }
  }
}

/// Intents an earlier run left open are settled against the listing, whatever this run does.
final class AuditIntentTests: XCTestCase {
  /// A clean repository and an audit log beside it holding `text`.
  func repository(auditLog text: String) throws -> (repo: GitFixture, log: String) {
    let repo = try GitFixture()
    try repo.write("README.md", "nothing here\n")
    try repo.commitAll("clean")
    let log = repo.root + "/audit.jsonl"
    FileManager.default.createFile(atPath: log, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    return (repo, log)
  }

  /// `revoke --dry-run` on `repo`, logged in as alice on `emulator`.
  func dryRun(_ repo: GitFixture, log: String, _ emulator: FairEmulator) throws -> Run.Result {
    try Fairscan.run(
      ["revoke", "--repo", repo.path, "--dry-run", "--audit-log", log],
      environment: Fairscan.login(emulator.baseURL, password: "pw-Alice-1"))
  }

  func testAnOpenIntentWhoseKeyIsStillListedIsRecordedAsNotApplied() async throws {
    let key = "Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0"
    let emulator = try await FairEmulator.start(
      FairEmulatorConfiguration(
        port: 0,
        users: [
          SeedUser(
            username: "alice", password: "pw-Alice-1",
            keys: [
              SeedKey(id: "k-ci", name: "ci", key: key), SeedKey(id: "k-old", name: "old", key: String(key.reversed())),
            ])
        ]))
    defer { Task { await emulator.stop() } }
    let lines = [
      #"{"action":"intent","intended_action":"revoke","intent_id":"i-1","key_id":"k-ci","key_name":"ci","outcome":"pending"}"#,
      #"{"action":"intent","intended_action":"revoke","intent_id":"i-2","key_id":"k-gone","key_name":"gone","outcome":"pending"}"#,
      #"{"action":"intent","intended_action":"revoke","intent_id":"i-3","key_id":"k-old","key_name":"old","outcome":"pending"}"#,
      #"{"action":"revoke","intent_id":"i-3","key_id":"k-old","outcome":"revoked"}"#,
    ]
    let (repo, log) = try repository(auditLog: lines.joined(separator: "\n") + "\n")
    let result = try dryRun(repo, log: log, emulator)
    XCTAssertEqual(result.status, 0, result.stdoutText + result.stderrText)
    let reconciled = try AuditRecords.read(log).filter { $0["action"] as? String == "reconcile" }
    XCTAssertEqual(reconciled.map { $0["intent_id"] as? String }, ["i-1", "i-2"], "only the open intents")
    XCTAssertEqual(reconciled.map { $0["outcome"] as? String }, ["not-applied", "gone"])
    XCTAssertEqual(AuditRecords.appliedRevocations(reconciled), ["k-gone"])
    XCTAssertEqual(emulator.requestLog().filter { $0.method == "DELETE" }.count, 0)

    // Settled once: a second run adds nothing.
    let again = try dryRun(repo, log: log, emulator)
    XCTAssertEqual(again.status, 0)
    XCTAssertEqual(try AuditRecords.read(log).count, lines.count + 2)
  }

  /// A run killed in the middle of writing a record leaves a line without its end; the next run
  /// ends that line first, so its own records (the reconciliation among them) stay readable.
  func testATornLastLineDoesNotSwallowTheNextRunsRecords() async throws {
    let emulator = try await FairEmulator.start(
      FairEmulatorConfiguration(
        port: 0, users: [SeedUser(username: "alice", password: "pw-Alice-1", keys: [])]))
    defer { Task { await emulator.stop() } }
    let intact =
      #"{"action":"intent","intended_action":"revoke","intent_id":"i-1","key_id":"k-gone","key_name":"gone","outcome":"pending"}"#
    let torn = #"{"action":"intent","intended_action":"revo"#
    let (repo, log) = try repository(auditLog: intact + "\n" + torn)
    let result = try dryRun(repo, log: log, emulator)
    XCTAssertEqual(result.status, 0, result.stdoutText + result.stderrText)
    let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
    XCTAssertEqual(Array(lines.prefix(2)), [intact, torn], "what was there is kept as it was")
    let added = lines.dropFirst(2).compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    XCTAssertEqual(added.count, lines.count - 2, "every new line is a whole record: \(lines)")
    XCTAssertEqual(added.filter { $0["action"] as? String == "reconcile" }.map { $0["intent_id"] as? String }, ["i-1"])
  }

  /// An open intent to create a replacement: a key listed under the new name was created, but
  /// its value never reached the new-keys file (`created-key-lost`: the line says to revoke it);
  /// no such key listed means the create never happened (`not-applied`).
  func testAnOpenCreateIntentIsReconciledByTheNewKeysName() async throws {
    let key = "Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0"
    let emulator = try await FairEmulator.start(
      FairEmulatorConfiguration(
        port: 0,
        users: [
          SeedUser(
            username: "alice", password: "pw-Alice-1",
            keys: [
              SeedKey(id: "k-new", name: "ci-rotated", key: key)
            ])
        ]))
    defer { Task { await emulator.stop() } }
    let lines = [
      #"{"action":"intent","intended_action":"create-replacement","intent_id":"c-1","key_id":"k-ci","key_name":"ci","new_key_name":"ci-rotated","outcome":"pending"}"#,
      #"{"action":"intent","intended_action":"create-replacement","intent_id":"c-2","key_id":"k-dev","key_name":"dev","new_key_name":"dev-rotated","outcome":"pending"}"#,
    ]
    let (repo, log) = try repository(auditLog: lines.joined(separator: "\n") + "\n")
    let result = try dryRun(repo, log: log, emulator)
    XCTAssertEqual(result.status, 0, result.stdoutText + result.stderrText)
    let reconciled = try AuditRecords.read(log).filter { $0["action"] as? String == "reconcile" }
    XCTAssertEqual(reconciled.map { $0["intent_id"] as? String }, ["c-1", "c-2"])
    XCTAssertEqual(reconciled.map { $0["outcome"] as? String }, ["created-key-lost", "not-applied"])
    XCTAssertTrue((reconciled[0]["detail"] as? String)?.contains("revoke it") == true, "\(reconciled[0])")
    XCTAssertFalse(try String(contentsOfFile: log, encoding: .utf8).contains(key), "no key material")
    XCTAssertEqual(
      emulator.requestLog().filter { $0.method != "GET" && !$0.path.contains("login") }.count, 0, "nothing changed")
  }
}
