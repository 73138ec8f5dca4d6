import FairScanTestSupport
import Foundation
import XCTest
import Yams

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The CI examples under `examples/` are valid YAML, and every `fairscan repo` command in them
/// runs as written on a real repository (pull-request range and full history) and writes its report.
final class ExamplesTests: XCTestCase {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples")

  /// The `fairscan repo …` lines of a file, with CI variables given the values a run would have.
  func commands(in name: String) throws -> [[String]] {
    let text = try String(contentsOf: Self.examples.appendingPathComponent(name), encoding: .utf8)
    XCTAssertNoThrow(try Yams.load(yaml: text), "\(name) is not valid YAML")
    return text.split(separator: "\n").compactMap { line -> [String]? in
      guard let start = line.range(of: "fairscan repo ") else { return nil }
      let command = String(line[start.lowerBound...])
        .replacingOccurrences(of: "${{ github.base_ref }}", with: "main")
        .replacingOccurrences(of: "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME", with: "main")
        .replacingOccurrences(of: "$CI_MERGE_REQUEST_DIFF_BASE_SHA", with: "origin/main")
      XCTAssertFalse(command.contains("$"), "an unknown variable in: \(command)")
      return command.split(separator: " ").map { $0.replacingOccurrences(of: "\"", with: "") }.dropFirst().map { $0 }
    }
  }

  /// A repository with `origin/main` one commit behind `HEAD`, the new commit adding a secret.
  func pullRequestRepository() throws -> GitFixture {
    let repo = try GitFixture()
    try repo.write("app.txt", "hello\n")
    try repo.commitAll("base")
    _ = try repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    try repo.write("deploy/.env", "FAIR_API_KEY=Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0\n")
    try repo.commitAll("add a key")
    return repo
  }

  func testGitHubActionsCommandsWriteSARIF() throws {
    let found = try commands(in: "github-actions.yml")
    XCTAssertEqual(found.count, 2, "a pull-request range and a full-history scan")
    for args in found {
      let repo = try pullRequestRepository()
      let result = try Fairscan.run(args, cwd: repo.path)
      XCTAssertEqual(result.status, 1, "\(args): \(result.stderrText)")
      let sarif =
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repo.path + "/fairscan.sarif")))
        as? [String: Any]
      let results = ((sarif?["runs"] as? [[String: Any]])?.first?["results"] as? [Any]) ?? []
      XCTAssertEqual(results.count, 1, "\(args)")
    }
  }

  func testGitLabCommandsWriteJUnit() throws {
    let found = try commands(in: "gitlab-ci.yml")
    XCTAssertEqual(found.count, 2)
    for args in found {
      let repo = try pullRequestRepository()
      let result = try Fairscan.run(args, cwd: repo.path)
      XCTAssertEqual(result.status, 1, "\(args): \(result.stderrText)")
      let xml = try XMLDocument(contentsOf: URL(fileURLWithPath: repo.path + "/fairscan.xml"), options: [])
      XCTAssertEqual(xml.rootElement()?.attribute(forName: "failures")?.stringValue, "1", "\(args)")
    }
  }
}

/// fairscan's own repository scans clean with its `.fairscan.yml` (the quick start's
/// `fairscan repo .`): a new file of made-up secrets must be listed there.
final class SelfScanTests: XCTestCase {
  func testTheProjectScansClean() throws {
    let root = ExamplesTests.examples.deletingLastPathComponent().path
    let isRepository = FileManager.default.fileExists(atPath: root + "/.git")
    let result = try Fairscan.run(
      isRepository ? ["repo", root, "--no-cache", "--format", "json"] : ["dir", root, "--format", "json"], timeout: 600)
    let findings = (try? result.jsonObject())?.findings ?? []
    XCTAssertEqual(
      result.status, 0,
      findings.map { "\($0["rule_id"] ?? "") \($0["path"] ?? ""):\($0["line"] ?? "")" }.prefix(20).joined(
        separator: "\n") + result.stderrText)
  }
}
