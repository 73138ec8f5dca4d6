import Foundation
import XCTest

@testable import FairScanKit

final class ScanConfigTests: XCTestCase {
  func testParseEveryKey() throws {
    let config = try ScanConfig.parse(
      yaml: """
        # fairscan settings
        exclude_paths: ["vendor/**", "**/*.min.js"]
        disable_rules: [generic.password-assignment]
        rules: [extra-rules/, /abs/more.yml]
        max_file_size: 50MiB
        """, file: ".fairscan.yml")
    var expected = ScanConfig()
    expected.excludePaths = ["vendor/**", "**/*.min.js"]
    expected.disableRules = ["generic.password-assignment"]
    expected.ruleFiles = ["extra-rules/", "/abs/more.yml"]
    expected.maxFileSize = 50 * 1024 * 1024
    XCTAssertEqual(config, expected)
  }

  func testVerifyIsOffByDefaultAndABoolean() throws {
    XCTAssertFalse(ScanConfig().verify)
    XCTAssertTrue(try ScanConfig.parse(yaml: "verify: true\n", file: "c").verify)
    XCTAssertFalse(try ScanConfig.parse(yaml: "verify: false\n", file: "c").verify)
    XCTAssertThrowsError(try ScanConfig.parse(yaml: "verify: sometimes\n", file: ".fairscan.yml")) { error in
      XCTAssertEqual(
        error as? ConfigError,
        .invalid(file: ".fairscan.yml", line: 1, message: "'verify' must be true or false, not 'sometimes'"))
    }
  }

  func testFairHostsAreHostNames() throws {
    XCTAssertEqual(ScanConfig().fairHosts, [])
    let config = try ScanConfig.parse(yaml: "fair_hosts: [fair.internal.example, keys.acme.io]\n", file: "c")
    XCTAssertEqual(config.fairHosts, ["fair.internal.example", "keys.acme.io"])
    XCTAssertThrowsError(
      try ScanConfig.parse(yaml: "fair_hosts:\n  - ok.example\n  - https://fair.example\n", file: ".fairscan.yml")
    ) {
      XCTAssertEqual(
        $0 as? ConfigError,
        .invalid(
          file: ".fairscan.yml", line: 3,
          message:
            "'fair_hosts': 'https://fair.example' is not a host name like fair.internal.example (no scheme, port or path)"
        ))
    }
  }

  func testEmptyAndIntegerSize() throws {
    XCTAssertEqual(try ScanConfig.parse(yaml: "", file: "c"), ScanConfig())
    XCTAssertEqual(try ScanConfig.parse(yaml: "# only a comment\n", file: "c"), ScanConfig())
    XCTAssertEqual(try ScanConfig.parse(yaml: "max_file_size: 1024\n", file: "c").maxFileSize, 1024)
  }

  func testErrorsNameTheLine() {
    XCTAssertEqual(
      configError("disable_rules: []\nexclude_path: [x]\n")?.description,
      ".fairscan.yml:2: unknown key 'exclude_path' (did you mean 'exclude_paths'?)")
    XCTAssertEqual(
      configError("colour: red\n"), .invalid(file: ".fairscan.yml", line: 1, message: "unknown key 'colour'"))
    XCTAssertEqual(
      configError("rules: []\nmax_file_size: 50 parsecs\n")?.description,
      ".fairscan.yml:2: 'max_file_size' must be a positive byte count like 1048576 or 50MiB, not '50 parsecs'")
    XCTAssertEqual(
      configError("max_file_size: 0\n")?.description,
      ".fairscan.yml:1: 'max_file_size' must be a positive byte count like 1048576 or 50MiB, not '0'")
    XCTAssertEqual(
      configError("exclude_paths: vendor\n")?.description, ".fairscan.yml:1: 'exclude_paths' must be a list of strings")
    XCTAssertEqual(
      configError("exclude_paths:\n  - ok\n  - [nested]\n")?.description,
      ".fairscan.yml:3: 'exclude_paths' must be a list of strings")
    XCTAssertEqual(configError("- a\n- b\n")?.description, ".fairscan.yml:1: the config must be a mapping")
    XCTAssertEqual(
      configError("exclude_paths: [a\ndisable_rules: []\n"),
      .syntax(file: ".fairscan.yml", line: 2, message: "did not find expected ',' or ']'"))
  }

  func testLoadIsNilWhenAbsentAndResolvesRuleFiles() throws {
    XCTAssertNil(try ScanConfig.load(path: "/nonexistent/.fairscan.yml"))
    let folder = try temporaryFolder(self)
    let path = folder.appendingPathComponent(".fairscan.yml").path
    try "rules: [extra-rules/, /abs/x.yml]\n".write(toFile: path, atomically: true, encoding: .utf8)
    let config = try XCTUnwrap(try ScanConfig.load(path: path))
    XCTAssertEqual(config.ruleFiles, [folder.path + "/extra-rules/", "/abs/x.yml"])
  }

  func testLoadReportsTheFileInErrors() throws {
    let folder = try temporaryFolder(self)
    let path = folder.appendingPathComponent(".fairscan.yml").path
    try "max_file_size: lots\n".write(toFile: path, atomically: true, encoding: .utf8)
    do {
      _ = try ScanConfig.load(path: path)
      XCTFail("expected an error")
    } catch {
      XCTAssertTrue(error.description.hasPrefix(path + ":1: 'max_file_size'"), error.description)
    }
  }

  func testParseByteSize() {
    let cases: [(String, Int?)] = [
      ("1024", 1024), ("0", 0), ("10KiB", 10_240), ("10kib", 10_240), ("10 KiB", 10_240), ("100MiB", 104_857_600),
      ("1GiB", 1_073_741_824), ("5MB", 5_242_880), ("5M", 5_242_880), ("2k", 2048), ("7B", 7),
      ("1.5KiB", 1536), ("0.5MiB", 524_288), ("1TiB", 1 << 40),
      ("", nil), ("MiB", nil), ("-1", nil), ("10 parsecs", nil), ("1.5", nil), ("1..5MiB", nil),
      (".5MiB", nil), ("99999999999999999999", nil), ("9000000000TiB", nil), ("1e3", nil),
    ]
    for (text, expected) in cases { XCTAssertEqual(parseByteSize(text), expected, text) }
  }
}
