import Foundation
import XCTest

/// Runs the built `fairscan` binary, as a user would.
public enum Fairscan {
  /// The binary the tests run: `FAIRSCAN_TEST_BINARY` if set, else the one built beside the test
  /// bundle (the debug build). The whole suite (`scripts/test.sh`) sets it to the release build
  /// that `install-test` has just made from the same sources: the binary users run, and several
  /// times quicker to start (the differential test alone starts it over a thousand times).
  public static var binary: String {
    if let chosen = ProcessInfo.processInfo.environment["FAIRSCAN_TEST_BINARY"], !chosen.isEmpty { return chosen }
    var url = Bundle.main.bundleURL
    for _ in 0..<3 {
      let candidate = url.appendingPathComponent("fairscan")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
      url = url.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL.appendingPathComponent("fairscan").path
  }

  /// Runs fairscan with a private cache folder and no terminal.
  public static func run(
    _ args: [String], input: String? = nil, cwd: String? = nil, timeout: TimeInterval = 120,
    environment: [String: String] = [:]
  ) throws -> Run.Result {
    let cache = try TemporaryFolder.make().path
    var env = ["FAIRSCAN_CACHE_DIR": cache, "NO_COLOR": "1"]
    for (k, v) in environment { env[k] = v }
    return try Run.process(
      binary, args, environment: env, input: input.map { Array($0.utf8) }, currentDirectory: cwd, timeout: timeout)
  }

  /// Runs fairscan with `--format json` and decodes the report.
  public static func json(
    _ args: [String], input: String? = nil, environment: [String: String] = [:], file: StaticString = #filePath,
    line: UInt = #line
  ) throws -> (report: [String: Any], result: Run.Result) {
    let result = try run(args + ["--format", "json"], input: input, environment: environment)
    guard let object = try? JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any] else {
      XCTFail(
        "not JSON (exit \(result.status)): \(result.stdoutText.prefix(300)) / \(result.stderrText)", file: file,
        line: line)
      throw FixtureError("no JSON")
    }
    return (object, result)
  }
}

extension Fairscan {
  /// The environment that makes fairscan log in to a FAIR host (the emulator) with a password,
  /// and ignore any API key or credentials file of the machine running the tests.
  public static func login(_ baseURL: String, username: String = "alice", password: String) -> [String: String] {
    [
      "FAIR_BASE_URL": baseURL, "FAIR_USERNAME": username, "FAIR_PASSWORD": password,
      "FAIR_CREDENTIALS_FILE": "/nonexistent", "FAIR_API_KEY": "",
    ]
  }
}

extension Run.Result {
  /// Standard output as a JSON object (fails the test, naming stderr, when it is not one).
  public func jsonObject(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    try XCTUnwrap(
      try JSONSerialization.jsonObject(with: Data(stdout)) as? [String: Any], stderrText, file: file, line: line)
  }
}

extension Dictionary where Key == String, Value == Any {
  public var findings: [[String: Any]] { self["findings"] as? [[String: Any]] ?? [] }
  public var summary: [String: Any] { self["summary"] as? [String: Any] ?? [:] }
  public func findings(rule: String) -> [[String: Any]] { findings.filter { $0["rule_id"] as? String == rule } }

  /// The report's findings as JSON text with sorted keys: two reports found the same when the
  /// texts are equal (timings and counts, outside the findings, left out).
  public func comparableFindings() throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: findings, options: [.sortedKeys]), as: UTF8.self)
  }
}
