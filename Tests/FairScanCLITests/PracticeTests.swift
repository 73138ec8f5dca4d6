import Foundation
import XCTest
import FairScanTestSupport

/// The FAIR platform's practices as findings, over real repositories and the built-in rules.
final class PracticeTests: XCTestCase {
  let keyA = "q3Vd8Lr0_ZpXk2NwTf7yHs5Jc-Gm9aBeU4oWi1RtQnE"
  let keyB = "Hn2Kx9Wq4Zt7Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiN"

  func scan(_ repo: GitFixture, _ extra: [String] = []) throws -> (report: [String: Any], result: Run.Result) {
    try Fairscan.json(["repo", repo.path] + extra)
  }

  func testOneKeyInTwoEnvironmentsIsItsOwnFinding() throws {
    let repo = try GitFixture()
    try repo.write(".env.production", "FAIR_API_KEY=\(keyA)\n")
    try repo.write(".env.development", "FAIR_API_KEY=\(keyA)\n")
    try repo.write("deploy/values-staging.yaml", "fair:\n  api_key: \(keyB)\n")
    try repo.commitAll("config")
    let (report, result) = try scan(repo)
    XCTAssertEqual(result.status, 1, result.stderrText)
    let reused = report.findings(rule: "fair.key-reused-across-environments")
    XCTAssertEqual(reused.count, 1, "only key A is in two environments")
    let finding = try XCTUnwrap(reused.first)
    XCTAssertEqual(finding["environments"] as? [String], ["development", "production"])
    let paths = Set(((finding["locations"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String })
    XCTAssertEqual(paths, [".env.production", ".env.development"])
    XCTAssertEqual(finding["severity"] as? String, "high")
    XCTAssertTrue((finding["hint"] as? String ?? "").contains("one key per environment"))
    XCTAssertFalse(result.stdoutText.contains(keyA), "the key stays redacted")
  }

  func testOneKeyCommittedByTwoPeople() throws {
    let repo = try GitFixture()
    try repo.write("app/settings.py", "FAIR_API_KEY = \"\(keyA)\"\n")
    try repo.git("add", "-A")
    try repo.git("commit", "-q", "-m", "alice adds the key", "--author", "Alice <alice@example.org>")
    repo.clock += 60
    try repo.write("tools/sync.sh", "export FAIR_API_KEY=\(keyA)\n")
    try repo.git("add", "-A")
    try repo.git("commit", "-q", "-m", "bob reuses it", "--author", "Bob <bob@example.org>")
    repo.clock += 60
    // Alice edits her file again: the same author, no new sharer.
    try repo.write("app/settings.py", "# settings\nFAIR_API_KEY = \"\(keyA)\"\n")
    try repo.git("add", "-A")
    try repo.git("commit", "-q", "-m", "alice edits", "--author", "Alice <alice@example.org>")
    let (report, result) = try scan(repo)
    XCTAssertEqual(result.status, 1, result.stderrText)
    let shared = report.findings(rule: "fair.key-shared-between-users")
    XCTAssertEqual(shared.count, 1)
    XCTAssertEqual(shared.first?["authors"] as? [String], ["alice@example.org", "bob@example.org"])
  }

  func testOneAuthorIsNotSharing() throws {
    let repo = try GitFixture()
    try repo.write("a.env", "FAIR_API_KEY=\(keyA)\n")
    try repo.write("b.env", "FAIR_API_KEY=\(keyA)\n")
    try repo.commitAll("one author, two files")
    let (report, _) = try scan(repo)
    XCTAssertEqual(report.findings(rule: "fair.api-key").count, 2)
    XCTAssertTrue(report.findings(rule: "fair.key-shared-between-users").isEmpty)
    XCTAssertTrue(report.findings(rule: "fair.key-reused-across-environments").isEmpty)
  }

  func testKeyInFrontendCodeIsCriticalAndTagged() throws {
    let repo = try GitFixture()
    try repo.write("web/.env.local", "REACT_APP_FAIR_API_KEY=\(keyA)\n")
    try repo.write("public/config.js", "window.FAIR_API_KEY = \"\(keyB)\";\n")
    try repo.write("server/.env", "FAIR_API_KEY=\(keyB)\n")
    try repo.commitAll("keys")
    let (report, _) = try scan(repo, ["--no-history"])
    let findings = report.findings(rule: "fair.api-key")
    func finding(_ path: String) -> [String: Any]? { findings.first { $0["path"] as? String == path } }
    for path in ["web/.env.local", "public/config.js"] {
      let f = try XCTUnwrap(finding(path), path)
      XCTAssertEqual(f["severity"] as? String, "critical", path)
      XCTAssertTrue((f["tags"] as? [String] ?? []).contains("frontend"), path)
      XCTAssertTrue((f["hint"] as? String ?? "").contains("backend"), path)
    }
    let server = try XCTUnwrap(finding("server/.env"))
    XCTAssertEqual(server["severity"] as? String, "high")
    XCTAssertFalse((server["tags"] as? [String] ?? []).contains("frontend"))
  }

  func testMinifiedBundleCountsAsFrontend() throws {
    let repo = try GitFixture()
    let filler = String(repeating: "var a=function(b){return b+1};", count: 40)
    try repo.write("src/vendor/app.js", filler + "const c={fairApiKey:\"\(keyA)\"};" + filler + "\n")
    try repo.commitAll("bundle")
    let (report, _) = try scan(repo, ["--no-history"])
    let f = try XCTUnwrap(report.findings(rule: "fair.api-key").first)
    XCTAssertTrue((f["tags"] as? [String] ?? []).contains("frontend"))
  }

  func testEncodedKeyInAKubernetesSecretPointsAtTheEncodedSpan() throws {
    let repo = try GitFixture()
    let encoded = Data(keyA.utf8).base64EncodedString()
    try repo.write("k8s/secret.yaml", "apiVersion: v1\nkind: Secret\ndata:\n  FAIR_API_KEY: \(encoded)\n")
    try repo.commitAll("secret")
    let (report, _) = try scan(repo, ["--no-history"])
    let f = try XCTUnwrap(report.findings(rule: "fair.api-key").first)
    let location = try XCTUnwrap((f["locations"] as? [[String: Any]])?.first)
    XCTAssertEqual(location["encoding"] as? String, "base64")
    XCTAssertEqual(location["line"] as? Int, 4)
    XCTAssertEqual(location["column"] as? Int, 17)
    XCTAssertEqual(location["byte_length"] as? Int, encoded.count)
    XCTAssertTrue((f["tags"] as? [String] ?? []).contains("encoded"))
    // The hash is the decoded key's: what the FAIR key inventory compares with.
    XCTAssertEqual(f["secret_sha256"] as? String, sha256Hex(keyA))
    XCTAssertEqual(report.findings.count, 1, "the base64 text itself is not a second finding")
  }

  private func sha256Hex(_ s: String) -> String {
    let r = try? Run.process("/usr/bin/sha256sum", [], input: Array(s.utf8))
    return String((r?.stdoutText ?? "").prefix(64))
  }
}
