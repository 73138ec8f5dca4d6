import FairEmulator
import Foundation
import XCTest
import FairScanTestSupport

/// `fairscan audit` against the FAIR emulator over real HTTP on 127.0.0.1.
final class AuditTests: XCTestCase {
  let cleanKey = "Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0"
  let foreverKey = "Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0Rb5Vm8"
  let oldKey = "Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6"
  let soonKey = "Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-"
  let sharedKey = "MoPiNHn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_Tk"
  let password = "Tq8#vL2m-Xw9"
  var allKeys: [String] { [cleanKey, foreverKey, oldKey, soonKey, sharedKey] }

  /// `days` from now (negative: in the past), as FAIR writes timestamps.
  func timestamp(_ days: Int) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
    return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
  }

  /// One key per rule, plus a clean one.
  func start(_ faults: FaultConfiguration = .none, keys: [SeedKey]? = nil) async throws -> FairEmulator {
    let seed =
      keys ?? [
        SeedKey(id: "k-clean", name: "ci-production", key: cleanKey, created: timestamp(-10), expiresAt: timestamp(60)),
        SeedKey(id: "k-forever", name: "backend", key: foreverKey, created: timestamp(-10), expiresAt: nil),
        SeedKey(id: "k-old", name: "billing-worker", key: oldKey, created: timestamp(-200), expiresAt: timestamp(100)),
        SeedKey(id: "k-soon", name: "mobile-gateway", key: soonKey, created: timestamp(-5), expiresAt: timestamp(3)),
        SeedKey(
          id: "k-shared", name: "prod-and-staging", key: sharedKey, created: timestamp(-5), expiresAt: timestamp(60)),
      ]
    let user = SeedUser(username: "alice", password: password, keys: seed)
    return try await FairEmulator.start(FairEmulatorConfiguration(port: 0, users: [user], faults: faults))
  }

  func environment(_ emulator: FairEmulator) -> [String: String] {
    Fairscan.login(emulator.baseURL, password: password)
  }

  func json(_ result: Run.Result) throws -> [String: Any] { try result.jsonObject() }

  /// Issue kinds by key id.
  func kinds(_ report: [String: Any]) -> [String: [String]] {
    var result: [String: [String]] = [:]
    for key in report["keys"] as? [[String: Any]] ?? [] {
      result[key["id"] as? String ?? "?"] = (key["issues"] as? [[String: Any]] ?? []).compactMap {
        $0["kind"] as? String
      }
    }
    return result
  }

  func assertNoKeyMaterial(
    _ result: Run.Result, _ emulator: FairEmulator, file: StaticString = #filePath, line: UInt = #line
  ) {
    let output = result.stdoutText + result.stderrText
    let log = emulator.requestLog().map(\.description).joined(separator: "\n")
    for key in allKeys {
      XCTAssertFalse(output.contains(key), "a key was printed", file: file, line: line)
      XCTAssertFalse(log.contains(key), "a key was sent", file: file, line: line)
    }
    XCTAssertFalse(output.contains("key_hash"), file: file, line: line)
  }

  func testEachPracticeOnASeededInventory() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let result = try Fairscan.run(["audit", "--format", "json"], environment: environment(emulator))
    XCTAssertEqual(result.status, 1, result.stderrText)
    let report = try json(result)
    XCTAssertEqual(
      kinds(report),
      [
        "k-clean": [], "k-forever": ["never-expires"], "k-old": ["too-old"], "k-soon": ["expiring-soon"],
        "k-shared": ["shared-environments"],
      ])
    let keys = report["keys"] as? [[String: Any]] ?? []
    XCTAssertEqual(
      keys.map { $0["name"] as? String ?? "" },
      ["backend", "billing-worker", "ci-production", "mobile-gateway", "prod-and-staging"], "sorted by name")
    let old = try XCTUnwrap(keys.first { $0["id"] as? String == "k-old" }?["issues"] as? [[String: Any]]).first
    XCTAssertEqual(old?["days"] as? Int, 200)
    let shared = try XCTUnwrap(keys.first { $0["id"] as? String == "k-shared" }?["issues"] as? [[String: Any]]).first
    XCTAssertEqual(shared?["environments"] as? [String], ["production", "staging"])
    XCTAssertEqual((report["leak_check"] as? [String: Any])?["source"] as? String, "none")
    XCTAssertEqual((report["summary"] as? [String: Any])?["keys_with_issues"] as? Int, 4)
    XCTAssertEqual(emulator.requestLog().map(\.method), ["POST", "GET"], "login and one list, nothing else")
    assertNoKeyMaterial(result, emulator)

    // Thresholds move the boundaries: nothing is 200 days old under a 365-day limit; 3 days is not within 2.
    let relaxed = try Fairscan.run(
      ["audit", "--max-age-days", "365", "--expiring-within-days", "2", "--format", "json"],
      environment: environment(emulator))
    XCTAssertEqual(kinds(try json(relaxed))["k-old"], [])
    XCTAssertEqual(kinds(try json(relaxed))["k-soon"], [])

    let text = try Fairscan.run(["audit"], environment: environment(emulator))
    XCTAssertEqual(text.status, 1, text.stderrText)
    let lines = text.stdoutText.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.count, 5, text.stdoutText)
    XCTAssertTrue(lines[0].hasPrefix("backend (k-forever): never-expires: never expires; "), lines[0])
    XCTAssertEqual(
      lines.last,
      "audit: 5 keys, 4 with issues: 1 expiring-soon, 1 never-expires, 1 too-old, 1 shared-environments; leaks not checked (--repo PATH or --report FILE)"
    )
    assertNoKeyMaterial(text, emulator)
  }

  func testACleanInventoryExitsZero() async throws {
    let emulator = try await start(keys: [
      SeedKey(id: "k-1", name: "ci-production", key: cleanKey, created: timestamp(-1), expiresAt: timestamp(30))
    ])
    defer { Task { await emulator.stop() } }
    let result = try Fairscan.run(["audit"], environment: environment(emulator))
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertEqual(result.stdoutText, "audit: 1 key, no issues; leaks not checked (--repo PATH or --report FILE)\n")
  }

  func testRepoFindsALeakedLiveKeyWithoutSendingIt() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write("deploy/.env", "FAIR_API_KEY=\(cleanKey)\n")
    // Someone marked this one allowed, in test code: it is still the account's live key.
    try repo.write("Tests/fixtures.sh", "export FAIR_API_KEY=\(foreverKey)  # fairscan:allow\n")
    try repo.commitAll("config")
    try repo.remove("deploy/.env")
    try repo.commitAll("remove the key (it stays in history)")
    let result = try Fairscan.run(
      ["audit", "--repo", repo.path, "--format", "json"], environment: environment(emulator))
    XCTAssertEqual(result.status, 1 | 8, result.stderrText)
    let report = try json(result)
    let issues = kinds(report)
    XCTAssertEqual(issues["k-clean"], ["leaked"])
    XCTAssertEqual(issues["k-forever"], ["leaked", "never-expires"])
    XCTAssertEqual(issues["k-old"], ["too-old"], "a key not in the repository is not leaked")
    let clean = try XCTUnwrap((report["keys"] as? [[String: Any]])?.first { $0["id"] as? String == "k-clean" })
    let leak = try XCTUnwrap(((clean["issues"] as? [[String: Any]])?.first?["leaks"] as? [[String: Any]])?.first)
    XCTAssertEqual(leak["path"] as? String, "deploy/.env")
    XCTAssertEqual(leak["status"] as? String, "live")
    XCTAssertEqual(leak["present_at_head"] as? Bool, false)
    XCTAssertNotNil(leak["exposed_since"])
    XCTAssertEqual((report["summary"] as? [String: Any])?["live_keys_leaked"] as? Int, 2)
    let check = try XCTUnwrap(report["leak_check"] as? [String: Any])
    XCTAssertEqual(check["source"] as? String, "repo")
    XCTAssertEqual(check["incomplete"] as? [String], [])
    // The inventory was read once; the scan compared hashes locally.
    XCTAssertEqual(emulator.requestLog().map(\.method), ["POST", "GET"])
    assertNoKeyMaterial(result, emulator)

    let text = try Fairscan.run(["audit", "--repo", repo.path], environment: environment(emulator))
    XCTAssertEqual(text.status, 1 | 8, text.stderrText)
    XCTAssertTrue(
      text.stdoutText.contains(
        "ci-production (k-clean): leaked: live key found in deploy/.env:1 (history only); exposed since "),
      text.stdoutText)
    XCTAssertTrue(text.stdoutText.contains("revoke it now (fairscan keys revoke k-clean)"), text.stdoutText)
    assertNoKeyMaterial(text, emulator)
    // As the README says: audit --repo reads the whole repository each time, without the scan cache.
    XCTAssertFalse(FileManager.default.fileExists(atPath: repo.path + "/.git/fairscan/cache.sqlite"))
  }

  func testReportFindsALeakedKeyByHash() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write(".env", "FAIR_API_KEY=\(soonKey)\n")
    try repo.commitAll("key")
    let scan = try Fairscan.run(["repo", repo.path, "--format", "json", "--output", repo.root + "/report.json"])
    XCTAssertEqual(scan.status, 1, scan.stderrText)
    let result = try Fairscan.run(
      ["audit", "--report", repo.root + "/report.json", "--format", "json"], environment: environment(emulator))
    XCTAssertEqual(result.status, 1 | 8, result.stderrText)
    XCTAssertEqual(kinds(try json(result))["k-soon"], ["leaked", "expiring-soon"])
    XCTAssertEqual(emulator.requestLog().map(\.method), ["POST", "GET"])
    assertNoKeyMaterial(result, emulator)
  }

  func testAnUnreadableInventoryClaimsNothing() async throws {
    let emulator = try await start(FaultConfiguration(malformedListOnce: true))
    defer { Task { await emulator.stop() } }
    let repo = try GitFixture()
    try repo.write(".env", "FAIR_API_KEY=\(cleanKey)\n")
    try repo.commitAll("key")
    let result = try Fairscan.run(
      ["audit", "--repo", repo.path, "--format", "json"], environment: environment(emulator))
    XCTAssertEqual(result.status, 4, result.stderrText)
    XCTAssertTrue(result.stderrText.contains("could not be read"), result.stderrText)
    XCTAssertTrue(result.stderrText.contains("nothing audited"), result.stderrText)
    let report = try json(result)
    XCTAssertEqual((report["inventory"] as? [String: Any])?["complete"] as? Bool, false)
    XCTAssertEqual((report["keys"] as? [Any])?.count, 0)
    XCTAssertEqual((report["leak_check"] as? [String: Any])?["source"] as? String, "none", "no claim about leaks")
    assertNoKeyMaterial(result, emulator)
  }

  func testUsageErrorsComeBeforeAnyRequest() async throws {
    let emulator = try await start()
    defer { Task { await emulator.stop() } }
    let env = environment(emulator)
    let both = try Fairscan.run(["audit", "--repo", ".", "--report", "r.json"], environment: env)
    XCTAssertEqual(both.status, 64, both.stderrText)
    let missing = try Fairscan.run(["audit", "--report", "/nonexistent/report.json"], environment: env)
    XCTAssertEqual(missing.status, 64, missing.stderrText)
    XCTAssertTrue(missing.stderrText.contains("cannot read"), missing.stderrText)
    XCTAssertEqual(try Fairscan.run(["audit", "--max-age-days", "-1"], environment: env).status, 64)
    XCTAssertEqual(try Fairscan.run(["audit", "--repo", "/nonexistent/repo"], environment: env).status, 64)
    // audit takes --ca-file, as the README says.
    let ca = try Fairscan.run(["audit", "--ca-file", "/nonexistent/ca.pem"], environment: env)
    XCTAssertEqual(ca.status, 64, ca.stderrText)
    XCTAssertTrue(ca.stderrText.contains("--ca-file /nonexistent/ca.pem: cannot read it"), ca.stderrText)
    XCTAssertEqual(emulator.requestLog().count, 0, "nothing was asked of the API")
  }
}
