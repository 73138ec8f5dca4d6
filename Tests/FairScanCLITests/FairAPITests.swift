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
    let user = SeedUser(username: "alice", password: password, keys: [
      SeedKey(id: "k-live", name: "ci", key: liveKey, created: "2026-01-01T00:00:00"),
    ])
    return try await FairEmulator.start(FairEmulatorConfiguration(port: 0, users: [user], faults: faults))
  }

  func environment(_ emulator: FairEmulator) -> [String: String] {
    ["FAIR_BASE_URL": emulator.baseURL, "FAIR_USERNAME": "alice", "FAIR_PASSWORD": password,
     "FAIR_CREDENTIALS_FILE": "/nonexistent", "FAIR_API_KEY": ""]
  }

  func json(_ result: Run.Result) throws -> [String: Any] {
    try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any], result.stderrText)
  }

  func testVerifyTiesAFindingToTheLiveKeyAndSetsBit8() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write("deploy/.env", "FAIR_API_KEY=\(liveKey)\n")
    try repo.write("old/.env", "FAIR_API_KEY=\(foreignKey)\n")
    try repo.write("notes.txt", "curl -d payload=\(liveKey) http://localhost:9/x\n")
    try repo.commitAll("keys")
    let result = try Fairscan.run(["repo", repo.path, "--verify", "--format", "json"], environment: environment(emulator))
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
    let result = try Fairscan.run(["verify", repo.root + "/report.json", "--format", "json"], environment: environment(emulator))
    XCTAssertEqual(result.status, 1 | 8, result.stderrText)
    XCTAssertEqual(try json(result).findings(rule: "fair.api-key").first?["key_status"] as? String, "live")
  }

  func testAnUnreadableInventoryIsIndeterminateNeverGuessed() async throws {
    let emulator = try await start(FaultConfiguration(malformedListOnce: true))
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write(".env", "FAIR_API_KEY=\(liveKey)\n")
    try repo.commitAll("key")
    let result = try Fairscan.run(["repo", repo.path, "--verify", "--format", "json"], environment: environment(emulator))
    XCTAssertEqual(result.status, 1 | 2, result.stderrText)
    XCTAssertTrue(result.stderrText.contains("could not be read"), result.stderrText)
    XCTAssertEqual(try json(result).findings(rule: "fair.api-key").first?["key_status"] as? String, "indeterminate")
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

  func testCredentialsAreNeverFlagsAndHTTPIsLoopbackOnly() throws {
    let remote = try Fairscan.run(
      ["keys", "list"], environment: ["FAIR_BASE_URL": "http://fair.example.org", "FAIR_API_KEY": "x"])
    XCTAssertEqual(remote.status, 64)
    XCTAssertTrue(remote.stderrText.contains("http"), remote.stderrText)
    XCTAssertEqual(try Fairscan.run(["keys", "list", "--api-key", "abc"]).status, 64)
  }
}
