import FairScanTestSupport
import XCTest

@testable import FairScanKit

/// The order of findings and of a finding's locations is total: the same set, gathered in any
/// order (from the cache, from a whole walk, from another thread), is listed the same way.
final class ReportOrderTests: XCTestCase {
  /// Locations that tie on what a reader sorts by (kind of source, commit date, line).
  func tiedLocations() -> [Location] {
    let date = "2026-01-02T03:04:05Z"
    func commit(_ id: String) -> CommitRef {
      CommitRef(id: id, author: "a", email: "a@b", date: date, summary: "s")
    }
    var out: [Location] = []
    for source in [SourceKind.worktree, .index, .blob, .commitMessage, .tagMessage] {
      for blob in [nil, "", "b1", "b2"] as [String?] {
        for path in ["x", "y"] {
          for offset in [4, 9] {
            for encoding in [nil, "base64"] as [String?] {
              for commits in [[], [commit("c1")], [commit("c2")]] {
                for unreachable in [false, true] {
                  out.append(
                    Location(
                      source: source, path: path, line: 1, column: 1, endLine: 1, endColumn: 9, byteOffset: offset,
                      byteLength: 8, blob: blob, commits: commits, unreachable: unreachable, encoding: encoding))
                }
              }
            }
          }
        }
      }
    }
    return out
  }

  func testLocationsOfATieAreListedTheSameWayWhateverTheirOrder() {
    let locations = tiedLocations()
    let sorted = locations.sorted(by: Location.displayOrder)
    var generator = SplitMix(state: 12)
    for round in 0..<20 {
      XCTAssertEqual(locations.shuffled(using: &generator).sorted(by: Location.displayOrder), sorted, "round \(round)")
    }
    // No two different locations are equivalent under the order.
    for (a, b) in zip(sorted, sorted.dropFirst()) {
      XCTAssertTrue(Location.displayOrder(a, b), "\(a) and \(b) tie")
    }
  }

  func testFindingsOfATieAreListedTheSameWayWhateverTheirOrder() {
    var findings: [Finding] = []
    for rule in ["r.a", "r.b"] {
      for column in [1, 7] {
        for fingerprint in ["f1", "f2", "f3"] {
          findings.append(
            Finding(
              ruleID: rule, ruleName: rule, severity: .high, secret: "", secretSHA256: "", fingerprint: fingerprint,
              path: "p", line: 3, column: column, locations: []))
        }
      }
    }
    func names(_ list: [Finding]) -> [String] { list.map { "\($0.ruleID) \($0.column) \($0.fingerprint)" } }
    let sorted = names(findings.sorted(by: Finding.reportOrder))
    var generator = SplitMix(state: 7)
    for round in 0..<20 {
      XCTAssertEqual(
        names(findings.shuffled(using: &generator).sorted(by: Finding.reportOrder)), sorted, "round \(round)")
    }
  }
}
