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

/// Test vectors (private keys, sample JWTs, fixture passwords) in test and example code.
final class TestVectorTests: XCTestCase {
  /// A made-up RSA key block: random base64 body, not a usable key.
  static func keyBlock(_ seed: UInt64) -> String {
    var state = seed
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    var lines: [String] = []
    for _ in 0..<8 {
      var line = ""
      for _ in 0..<64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        line.append(alphabet[Int(state >> 58)])
      }
      lines.append(line)
    }
    return "-----BEGIN RSA PRIVATE KEY-----\n" + lines.joined(separator: "\n") + "\n-----END RSA PRIVATE KEY-----\n"
  }

  func testKeysInTestCodeAreInfoAndHiddenByDefault() throws {
    let repo = try GitFixture()
    try repo.write("Tests/CryptoTests/SigningTests.swift", "let pem = \"\"\"\n\(Self.keyBlock(1))\"\"\"\n")
    try repo.write("deploy/id_rsa", Self.keyBlock(2))
    try repo.commitAll("keys")
    let (report, result) = try Fairscan.json(["repo", repo.path, "--no-history"])
    XCTAssertEqual(result.status, 1)
    XCTAssertEqual(report.findings.map { $0["path"] as? String }, ["deploy/id_rsa"])
    XCTAssertEqual(report.summary["below_min_severity"] as? Int, 1)

    let (all, _) = try Fairscan.json(["repo", repo.path, "--no-history", "--min-severity", "info"])
    let fixture = try XCTUnwrap(all.findings.first { $0["path"] as? String == "Tests/CryptoTests/SigningTests.swift" })
    XCTAssertEqual(fixture["severity"] as? String, "info")
    XCTAssertTrue((fixture["tags"] as? [String] ?? []).contains("test-fixture"))
    let real = try XCTUnwrap(all.findings.first { $0["path"] as? String == "deploy/id_rsa" })
    XCTAssertNotEqual(real["severity"] as? String, "info")
  }

  func testOnlyTestVectorRulesAreDemoted() throws {
    // A FAIR key in a test is a real key used by tests: it keeps its severity.
    let repo = try GitFixture()
    try repo.write("tests/test_client.py", "FAIR_API_KEY = \"q3Vd8Lr0_ZpXk2NwTf7yHs5Jc-Gm9aBeU4oWi1RtQnE\"\n")
    try repo.commitAll("test")
    let (report, _) = try Fairscan.json(["repo", repo.path, "--no-history"])
    XCTAssertEqual(report.findings(rule: "fair.api-key").first?["severity"] as? String, "high")
  }

  func testOnlyInfoFindingsExitZero() throws {
    let repo = try GitFixture()
    try repo.write("examples/demo/server.key", Self.keyBlock(3))
    try repo.commitAll("example")
    let result = try Fairscan.run(["repo", repo.path, "--no-history"])
    XCTAssertEqual(result.status, 0, result.stderrText)
    XCTAssertTrue(result.stderrText.contains("1 below --min-severity"), result.stderrText)
  }
}

/// FAIR access and refresh tokens: the JWT's exp goes into the finding.
final class TokenExpiryTests: XCTestCase {
  static func jwt(exp: Int, type: String) -> String {
    func b64(_ s: String) -> String {
      Data(s.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
    return b64(#"{"alg":"HS256","typ":"JWT"}"#) + "."
      + b64(#"{"sub":"u-7f3a","exp":\#(exp),"iat":\#(exp - 3600),"type":"\#(type)"}"#)
      + ".Xq2Lw9Rt_k8ZrV3mPQx7Nw2Lc5Hs9Jd4Fg6Tb1Ya0Ue"
  }

  func testExpiredTokenIsLowAndSaysWhen() throws {
    let repo = try GitFixture()
    let expired = Self.jwt(exp: 1_700_000_000, type: "access")
    let live = Self.jwt(exp: 4_102_444_800, type: "refresh")
    try repo.write(".env", "FAIR_ACCESS_TOKEN=\(expired)\nFAIR_REFRESH_TOKEN=\(live)\n")
    try repo.commitAll("tokens")
    let (report, result) = try Fairscan.json(["repo", repo.path, "--no-history"])
    XCTAssertEqual(result.status, 1)
    let old = try XCTUnwrap(report.findings(rule: "fair.access-token").first)
    XCTAssertEqual(old["expires_at"] as? String, "2023-11-14T22:13:20Z")
    XCTAssertEqual(old["expired"] as? Bool, true)
    XCTAssertEqual(old["severity"] as? String, "low")
    XCTAssertEqual(old["token_type"] as? String, "access")
    XCTAssertTrue((old["tags"] as? [String] ?? []).contains("expired"))
    XCTAssertTrue((old["hint"] as? String ?? "").contains("expired at 2023-11-14T22:13:20Z"))
    let fresh = try XCTUnwrap(report.findings(rule: "fair.refresh-token").first)
    XCTAssertEqual(fresh["expired"] as? Bool, false)
    XCTAssertEqual(fresh["severity"] as? String, "high")
    XCTAssertEqual(fresh["token_type"] as? String, "refresh")
    let text = try Fairscan.run(["repo", repo.path, "--no-history"]).stdoutText
    XCTAssertTrue(text.contains("token:        access token, expired 2023-11-14T22:13:20Z"), text)
  }
}
