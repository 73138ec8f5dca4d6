import FairScanKit
import FairScanTestSupport
import Foundation
import XCTest

/// `fairscan --version` says what a bug report needs: the version first, then the digest of the
/// built-in rules and the versions of the C libraries the binary runs with.
final class VersionTests: XCTestCase {
  /// The version of a library as its pkg-config file (the `-dev` package fairscan built with) says.
  func packageVersion(_ module: String) throws -> String {
    let result = try Run.process("/usr/bin/env", ["pkg-config", "--modversion", module])
    XCTAssertEqual(result.status, 0, result.stderrText)
    return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func testVersionNamesRulesDigestAndLibraries() throws {
    let result = try Fairscan.run(["--version"])
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertEqual(result.stderrText, "")
    let lines = result.stdoutText.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.first, FairScanVersion.current, result.stdoutText)

    /// The value after `label:` on its own line.
    func value(_ label: String) -> String? {
      lines.first { $0.hasPrefix(label + ":") }.map {
        $0.dropFirst(label.count + 1).trimmingCharacters(in: .whitespaces)
      }
    }
    let rules = try BuiltinRules.rules()
    let digest = try RuleSet(rules: rules).digest
    XCTAssertEqual(value("rules"), "\(digest) (\(rules.count) built-in rules, SHA-256)", result.stdoutText)

    // The run-time versions start with the version of the package built against (PCRE2 and
    // Vectorscan add their release dates).
    let libraries = [
      ("libgit2", "libgit2"), ("libdeflate", "libdeflate"), ("PCRE2", "libpcre2-8"), ("Vectorscan", "libhs"),
      ("SQLite", "sqlite3"),
    ]
    for (label, module) in libraries {
      let expected = try packageVersion(module)
      let shown = try XCTUnwrap(value(label), "no \(label) line in:\n\(result.stdoutText)")
      XCTAssertTrue(shown == expected || shown.hasPrefix(expected + " "), "\(label): \(shown), built with \(expected)")
    }
  }
}
