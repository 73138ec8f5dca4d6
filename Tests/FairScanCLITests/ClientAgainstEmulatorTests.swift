import FairEmulator
import FairScanTestSupport
import Foundation
import XCTest

/// The FAIR client inside the fairscan binary against the emulator's faults, over real HTTP on
/// 127.0.0.1: list shapes, a token expiring mid-run, rate limits and flaky servers.
final class ClientAgainstEmulatorTests: XCTestCase {
  let password = "Tq8#vL2m-Xw9"

  /// alice with `count` keys named k00, k01, …
  func start(keys count: Int, shape: ListShape = .array, faults: FaultConfiguration = .none) async throws
    -> FairEmulator
  {
    let keys = (0..<count).map { i in
      SeedKey(
        id: String(format: "k%02d", i), name: "key-\(i)",
        key: String(repeating: "Ab9-", count: 10) + String(format: "%03d", i))
    }
    return try await FairEmulator.start(
      FairEmulatorConfiguration(
        port: 0, users: [SeedUser(username: "alice", password: password, keys: keys)], listShape: shape,
        defaultPageSize: 10, maxPageSize: 10, faults: faults))
  }

  func environment(_ emulator: FairEmulator) -> [String: String] {
    Fairscan.login(emulator.baseURL, password: password).merging(
      ["FAIR_PAGE_SIZE": "10", "FAIR_RETRY_BASE_DELAY": "0.05", "FAIR_RETRY_MAX_DELAY": "0.2"]) { $1 }
  }

  func listedIDs(_ result: Run.Result) throws -> [String] {
    let items = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [[String: Any]], result.stderrText)
    return items.compactMap { $0["id"] as? String }
  }

  func testBothListShapesAreReadWhole() async throws {
    for shape in ListShape.allCases {
      let emulator = try await start(keys: 25, shape: shape)
      let result = try Fairscan.run(["keys", "list", "--format", "json"], environment: environment(emulator))
      XCTAssertEqual(result.status, 0, result.stderrText)
      XCTAssertEqual(try listedIDs(result), (0..<25).map { String(format: "k%02d", $0) }, "\(shape)")
      let gets = emulator.requestLog().filter { $0.method == "GET" }.map(\.path)
      XCTAssertEqual(gets.count, shape == .paged ? 3 : 1, "\(shape): \(gets)")
      await emulator.stop()
    }
  }

  func testAnAccessTokenThatExpiresMidRunMeansOneLoginMoreThenSuccess() async throws {
    let emulator = try await start(keys: 25, shape: .paged, faults: FaultConfiguration(latencyMilliseconds: 150))
    defer { Task { await emulator.stop() } }
    let output = try TemporaryFolder.make().path + "/out.json"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Fairscan.binary)
    process.arguments = ["keys", "list", "--format", "json"]
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment(emulator) { env[k] = v }
    process.environment = env
    FileManager.default.createFile(atPath: output, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Once the first page has been served, every access token expires.
    let deadline = Date().addingTimeInterval(30)
    while !emulator.requestLog().contains(where: { $0.method == "GET" && $0.status == 200 }) && Date() < deadline {
      try await Task.sleep(nanoseconds: 2_000_000)
    }
    emulator.expireAccessTokens()
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus, 0)
    let ids = try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [[String: Any]])
    XCTAssertEqual(ids.count, 25)
    let trace = emulator.requestLog().map { "\($0.method) \($0.status)" }
    XCTAssertEqual(trace.filter { $0 == "POST 200" }.count, 2, "one login, one re-login: \(trace)")
    XCTAssertEqual(trace.filter { $0 == "GET 401" }.count, 1, "\(trace)")
    XCTAssertEqual(trace.filter { $0 == "GET 200" }.count, 3, "\(trace)")
  }

  func testRateLimitsAreWaitedOutWithRetryAfter() async throws {
    for style in [RetryAfterStyle.seconds, .httpDate] {
      let emulator = try await start(
        keys: 3, faults: FaultConfiguration(rateLimitEvery: 2, retryAfterSeconds: 1, retryAfterStyle: style))
      let result = try Fairscan.run(["keys", "list", "--format", "json"], environment: environment(emulator))
      XCTAssertEqual(result.status, 0, result.stderrText)
      XCTAssertEqual(try listedIDs(result).count, 3)
      let log = emulator.requestLog()
      XCTAssertEqual(log.map(\.status), [200, 429, 200], "\(style): \(log.map(\.description))")
      XCTAssertTrue(log[1].notes.contains("injected-429"))
      await emulator.stop()
    }
  }

  func testAFlakyServerIsRetriedForReadsAndRevokes() async throws {
    let emulator = try await start(keys: 3, faults: FaultConfiguration(failEvery: 2, failStatuses: [503, 500]))
    defer { Task { await emulator.stop() } }
    let list = try Fairscan.run(["keys", "list", "--format", "json"], environment: environment(emulator))
    XCTAssertEqual(list.status, 0, list.stderrText)
    XCTAssertEqual(try listedIDs(list).count, 3)
    let revoke = try Fairscan.run(["keys", "revoke", "k01"], environment: environment(emulator))
    XCTAssertEqual(revoke.status, 0, revoke.stderrText)
    XCTAssertEqual(emulator.keys(of: "alice").map(\.id), ["k00", "k02"])
    let statuses = emulator.requestLog().map(\.status)
    XCTAssertTrue(statuses.contains(503) && statuses.contains(500), "\(statuses)")
  }

  func testACreateIsNeverRetriedBlindly() async throws {
    let emulator = try await start(keys: 0, faults: FaultConfiguration(failEvery: 2, failStatuses: [503]))
    defer { Task { await emulator.stop() } }
    // Request 1 is the login, request 2 the create: it fails and must not be sent again.
    let result = try Fairscan.run(
      ["keys", "create", "staging", "--expires-days", "30"], environment: environment(emulator))
    XCTAssertEqual(result.status, 4, result.stderrText)
    XCTAssertTrue(result.stderrText.contains("503"), result.stderrText)
    XCTAssertEqual(emulator.requestLog().filter { $0.method == "POST" && $0.path == "/api/v1/api-keys" }.count, 1)
    XCTAssertEqual(result.stdoutText, "")
  }
}
