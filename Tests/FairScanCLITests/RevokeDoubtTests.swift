import FairEmulator
import FairScanTestSupport
import Foundation
import XCTest

#if canImport(Glibc)
  import Glibc
#endif

/// `fairscan revoke` never acts on doubt, and every FAIR call of a run ends: the binary against
/// the emulator's list faults over real HTTP on 127.0.0.1.
final class RevokeDoubtTests: XCTestCase {
  let ciKey = "Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0"
  let prodKey = "Hn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPi"
  let password = "Tq8#vL2m-Xw9"

  func start(_ faults: FaultConfiguration = .none, shape: ListShape = .array, hashes: KeyHashMode = .sha256)
    async throws -> FairEmulator
  {
    let alice = SeedUser(
      username: "alice", password: password,
      keys: [
        SeedKey(id: "k-ci", name: "ci", key: ciKey, created: "2026-01-01T00:00:00"),
        SeedKey(id: "k-prod", name: "prod", key: prodKey, created: "2026-02-01T00:00:00"),
      ])
    return try await FairEmulator.start(
      FairEmulatorConfiguration(port: 0, users: [alice], keyHashMode: hashes, listShape: shape, faults: faults))
  }

  func environment(_ emulator: FairEmulator, _ extra: [String: String] = [:]) -> [String: String] {
    Fairscan.login(emulator.baseURL, password: password)
      .merging(["FAIR_RETRY_BASE_DELAY": "0.05", "FAIR_RETRY_MAX_DELAY": "0.2"]) { $1 }.merging(extra) { $1 }
  }

  func leakyRepository() throws -> GitFixture {
    let repo = try GitFixture()
    try repo.write("deploy/ci.env", "FAIR_API_KEY=\(ciKey)\n")
    try repo.write("deploy/prod.env", "FAIR_API_KEY=\(prodKey)\n")
    try repo.commitAll("keys")
    return repo
  }

  func deletes(_ emulator: FairEmulator) -> [String] {
    emulator.requestLog().filter { $0.method == "DELETE" }.map(\.path)
  }

  func revoke(_ emulator: FairEmulator, _ repo: GitFixture, _ extra: [String: String] = [:]) throws -> Run.Result {
    try Fairscan.run(
      ["revoke", "--repo", repo.path, "--yes", "--audit-log", repo.root + "/audit.jsonl"],
      timeout: 90, environment: environment(emulator, extra))
  }

  func assertNoKeyIn(_ texts: [String], file: StaticString = #filePath, line: UInt = #line) {
    for text in texts {
      XCTAssertFalse(text.contains(ciKey) || text.contains(prodKey), "key material in output", file: file, line: line)
    }
  }

  // MARK: - Revoke never acts on doubt

  func testAnIdListedTwiceWithDifferentHashesIsRefusedAndTheOthersRevoked() async throws {
    var faults = FaultConfiguration()
    faults.duplicateID = true
    let emulator = try await start(faults)
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let result = try revoke(emulator, repo)
    XCTAssertEqual(result.status & 4, 4, "an action not taken: " + result.stdoutText + result.stderrText)
    XCTAssertNotEqual(result.status, 0)
    XCTAssertEqual(deletes(emulator), ["/api/v1/api-keys/k-prod"], "k-ci is listed twice: never acted on")
    XCTAssertTrue(result.stdoutText.contains("refuse k-ci (ci)"), result.stdoutText)
    XCTAssertTrue(result.stdoutText.contains("id k-ci is listed 2 times with different key_hash"), result.stdoutText)
    XCTAssertEqual(emulator.keys(of: "alice").map(\.id), ["k-ci"])
    assertNoKeyIn([result.stdoutText, result.stderrText])
  }

  func testAuditAndKeysListSayTheListingContradictsItself() async throws {
    var faults = FaultConfiguration()
    faults.duplicateID = true
    let emulator = try await start(faults)
    defer { Task { await emulator.stop() } }
    let audit = try Fairscan.run(["audit", "--format", "json"], timeout: 90, environment: environment(emulator))
    XCTAssertEqual(audit.status & 2, 2, "not vouched for: incomplete: " + audit.stderrText)
    let keys = try XCTUnwrap(try audit.jsonObject()["keys"] as? [[String: Any]])
    let doubted = keys.filter {
      (($0["not_checked"] as? [String]) ?? []).contains { $0.hasPrefix("inventory: inconsistent inventory: id k-ci") }
    }
    XCTAssertEqual(doubted.count, 2, "both k-ci records: \(keys)")
    let list = try Fairscan.run(["keys", "list"], timeout: 90, environment: environment(emulator))
    XCTAssertEqual(list.status, 2, list.stderrText)
    XCTAssertTrue(
      list.stderrText.contains("fairscan: inconsistent inventory: id k-ci is listed 2 times"), list.stderrText)
    assertNoKeyIn([audit.stdoutText, audit.stderrText, list.stdoutText, list.stderrText])
  }

  func testTwoKeysSharingAKeyHashAreRefusedAsAmbiguous() async throws {
    var faults = FaultConfiguration()
    faults.duplicateKeyHash = true
    let emulator = try await start(faults)
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let result = try revoke(emulator, repo)
    XCTAssertEqual(result.status & 4, 4, result.stdoutText + result.stderrText)
    XCTAssertEqual(deletes(emulator), [], result.stdoutText)
    XCTAssertTrue(result.stdoutText.contains("ambiguous: 2 listed keys (ids k-ci, k-prod)"), result.stdoutText)
    XCTAssertEqual(emulator.keys(of: "alice").count, 2)
  }

  func testPagesThatNeverAddUpRevokeNothing() async throws {
    // total: a lie, negative, not an integer, a string; and pages repeating the first.
    var cases: [(String, FaultConfiguration)] = []
    for total in ["1000000000", "-1", "2.5", #""2""#] {
      var f = FaultConfiguration()
      f.listTotal = total
      cases.append(("total \(total)", f))
    }
    var repeating = FaultConfiguration()
    repeating.repeatFirstPage = true
    cases.append(("a repeated page", repeating))
    for (name, faults) in cases {
      let emulator = try await start(faults, shape: .paged)
      let repo = try leakyRepository()
      let result = try revoke(emulator, repo, ["FAIR_PAGE_SIZE": "1"])
      XCTAssertEqual(result.status, 4, "\(name): " + result.stdoutText + result.stderrText)
      XCTAssertTrue(result.stderrText.contains("nothing was revoked"), "\(name): " + result.stderrText)
      XCTAssertEqual(deletes(emulator), [], name)
      XCTAssertEqual(emulator.keys(of: "alice").count, 2, name)

      let scan = try Fairscan.run(
        ["repo", repo.path, "--verify", "--format", "json"], timeout: 90,
        environment: environment(emulator, ["FAIR_PAGE_SIZE": "1"]))
      XCTAssertEqual(scan.status & 2, 2, "\(name): the scan is incomplete")
      let statuses = try scan.jsonObject().findings(rule: "fair.api-key").map { $0["key_status"] as? String }
      XCTAssertEqual(statuses, ["indeterminate", "indeterminate"], name)
      await emulator.stop()
    }
  }

  func testAKeyHashOfUnknownFormatLeavesFindingsIndeterminateNeverClean() async throws {
    let emulator = try await start(hashes: .truncated)
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write("deploy/ci.env", "FAIR_API_KEY=\(ciKey)\n")
    try repo.commitAll("ci key")
    let scan = try Fairscan.run(
      ["repo", repo.path, "--verify", "--format", "json"], timeout: 90, environment: environment(emulator))
    let findings = try scan.jsonObject().findings(rule: "fair.api-key")
    XCTAssertEqual(
      findings.map { $0["key_status"] as? String }, ["indeterminate"], "a live key is never not-in-inventory")
    XCTAssertEqual(scan.status & 2, 2, "an indeterminate finding never passes as complete: \(scan.stderrText)")

    let result = try revoke(emulator, repo)
    XCTAssertNotEqual(result.status, 0, result.stdoutText + result.stderrText)
    XCTAssertEqual(result.status & 2, 2, result.stdoutText + result.stderrText)
    XCTAssertEqual(deletes(emulator), [])
  }

  func testADeleteAnswered404ForALiveKeyIsNotClaimedAsRevoked() async throws {
    var faults = FaultConfiguration()
    faults.deleteAnswers404 = true
    let emulator = try await start(faults)
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let result = try revoke(emulator, repo)
    XCTAssertEqual(result.status, 4 | 8, result.stdoutText + result.stderrText)
    XCTAssertTrue(result.stdoutText.contains("still listed by the server after the revoke"), result.stdoutText)
    let records = try AuditRecords.read(repo.root + "/audit.jsonl")
    XCTAssertEqual(
      Set(records.filter { $0["action"] as? String == "confirm" }.map { $0["outcome"] as? String }), ["still-listed"])
    XCTAssertEqual(AuditRecords.appliedRevocations(records), [], "no revocation claimed")
    XCTAssertEqual(emulator.keys(of: "alice").count, 2)
  }

  func testAKeyThatFlickersBetweenListingsIsRevokedOnce() async throws {
    // The key flickers: listed in the 1st and 3rd listings, not the 2nd. A verify that reads
    // the 2nd says it is not in the inventory (the server said so); a revoke that reads the 3rd
    // acts on it once.
    var faults = FaultConfiguration()
    faults.flickerKeyID = "k-ci"
    let emulator = try await start(faults)
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let first = try Fairscan.run(
      ["repo", repo.path, "--verify", "--format", "json"], timeout: 90, environment: environment(emulator))
    XCTAssertEqual(
      Set(try first.jsonObject().findings(rule: "fair.api-key").map { $0["key_status"] as? String }), ["live"])
    _ = try Fairscan.run(
      ["repo", repo.path, "--verify", "--format", "json"], timeout: 90, environment: environment(emulator))
    let result = try revoke(emulator, repo)
    XCTAssertEqual(result.status, 0, result.stdoutText + result.stderrText)
    XCTAssertEqual(deletes(emulator).sorted(), ["/api/v1/api-keys/k-ci", "/api/v1/api-keys/k-prod"])
    XCTAssertEqual(emulator.keys(of: "alice"), [])
  }

  // MARK: - Every network wait has an end

  func testAListThatNeverAnswersEndsWithinTheBudgetAndKeepsEveryFinding() async throws {
    var faults = FaultConfiguration()
    faults.listStallSeconds = 3_600
    let emulator = try await start(faults)
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let started = Date()
    let scan = try Fairscan.run(
      ["repo", repo.path, "--verify", "--format", "json"], timeout: 60,
      environment: environment(emulator, ["FAIR_RUN_BUDGET": "3"]))
    XCTAssertLessThan(Date().timeIntervalSince(started), 40, "a 3 s budget ends the run")
    XCTAssertEqual(scan.status & (1 | 2), 1 | 2, scan.stderrText)
    let findings = try scan.jsonObject().findings(rule: "fair.api-key")
    XCTAssertEqual(findings.count, 2, "every rule finding is printed")
    XCTAssertEqual(Set(findings.map { $0["key_status"] as? String }), ["indeterminate"])
    XCTAssertTrue(scan.stderrText.contains("budget"), scan.stderrText)
  }

  func testABodyTrickledSlowlyIsCutAtTheRequestDeadline() async throws {
    var faults = FaultConfiguration()
    faults.listTrickleMilliseconds = 1_000
    let emulator = try await start(faults)
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let started = Date()
    let scan = try Fairscan.run(
      ["repo", repo.path, "--verify", "--format", "json"], timeout: 60,
      environment: environment(emulator, ["FAIR_REQUEST_TIMEOUT": "2", "FAIR_RUN_BUDGET": "8"]))
    XCTAssertLessThan(Date().timeIntervalSince(started), 45)
    XCTAssertEqual(scan.status & 2, 2, scan.stderrText)
    XCTAssertEqual(
      Set(try scan.jsonObject().findings(rule: "fair.api-key").map { $0["key_status"] as? String }), ["indeterminate"])

    let result = try revoke(emulator, repo, ["FAIR_REQUEST_TIMEOUT": "2", "FAIR_RUN_BUDGET": "8"])
    XCTAssertEqual(result.status, 4, result.stderrText)
    XCTAssertEqual(deletes(emulator), [])
  }

  // MARK: - The credential in the environment

  /// `/proc/PID/environ` of a running fairscan while the emulator holds its first request.
  func environOfARunHeldByTheServer(_ extra: [String: String]) async throws -> (environ: String, status: Int32) {
    var faults = FaultConfiguration()
    faults.listStallSeconds = 3_600
    let emulator = try await start(faults)
    defer { Task { await emulator.stop() } }
    let repo = try leakyRepository()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Fairscan.binary)
    process.arguments = ["repo", repo.path, "--verify", "--format", "json", "--quiet"]
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment(emulator, ["FAIR_RUN_BUDGET": "20"].merging(extra) { $1 }) { env[k] = v }
    env["FAIRSCAN_CACHE_DIR"] = try TemporaryFolder.make().path
    process.environment = env
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    // The list request (the one the emulator holds) has arrived: the run is waiting on the API.
    let listing = extra["FAIR_API_KEY"] != nil ? 1 : 2
    while emulator.requestsReceived < listing && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
    XCTAssertGreaterThanOrEqual(emulator.requestsReceived, listing, "the run reached the API")
    let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(process.processIdentifier)/environ"))) ?? Data()
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return (String(decoding: environ.map { $0 == 0 ? 0x0A : $0 }, as: UTF8.self), process.terminationStatus)
  }

  func testTheAPIKeyIsGoneFromProcEnvironBeforeTheFirstRequest() async throws {
    let (environ, _) = try await environOfARunHeldByTheServer([
      "FAIR_API_KEY": ciKey, "FAIR_USERNAME": "", "FAIR_PASSWORD": "",
    ])
    XCTAssertTrue(environ.contains("FAIR_BASE_URL="), "the environ was read")
    XCTAssertFalse(environ.contains("FAIR_API_KEY="), "the variable is gone")
    XCTAssertFalse(environ.contains(ciKey), "the key is gone")
  }

  func testThePasswordIsGoneFromProcEnvironBeforeTheFirstRequest() async throws {
    let (environ, _) = try await environOfARunHeldByTheServer([:])
    XCTAssertTrue(environ.contains("FAIR_USERNAME=alice"), "the environ was read")
    XCTAssertFalse(environ.contains("FAIR_PASSWORD="), "the variable is gone")
    XCTAssertFalse(environ.contains(password), "the password is gone")
  }
}

/// The audit log's JSON lines, and what they claim.
enum AuditRecords {
  static func read(_ path: String) throws -> [[String: Any]] {
    guard FileManager.default.fileExists(atPath: path) else { return [] }
    return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
  }

  /// Key ids the log says were revoked: a revoke answered 2xx, a confirmation that the key is
  /// gone, or a reconciled intent whose key is gone.
  static func appliedRevocations(_ records: [[String: Any]]) -> Set<String> {
    Set(
      records.compactMap { r -> String? in
        let action = r["action"] as? String, outcome = r["outcome"] as? String
        let applied =
          (action == "revoke" && outcome == "revoked") || (action == "confirm" && outcome == "gone")
          || (action == "reconcile" && outcome == "gone")
        return applied ? r["key_id"] as? String : nil
      })
  }
}
