import Foundation
import XCTest
@testable import FairScanKit

/// Encoded secrets, placeholders, JWT claims and fallback rules, on the engine directly.
final class DecodingTests: XCTestCase {
  let key = "q3Vd8Lr0_ZpXk2NwTf7yHs5Jc-Gm9aBeU4oWi1RtQnE"

  func worker(_ rules: [Rule]) throws -> ScanWorker { try ScanWorker(ruleSet: try RuleSet(rules: rules)) }

  let named = Rule(
    id: "t.named", name: "named",
    pattern: #"(?i)fair_api_key["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9_\-]{40,45})(?![A-Za-z0-9_\-])"#,
    keywords: ["fair_api_key"])
  let token = Rule(id: "t.tok", name: "tok", pattern: #"tok_[A-Za-z0-9]{20}"#, keywords: ["tok_"])

  func testBase64ValueIsDecodedWithItsContext() throws {
    let encoded = Data(key.utf8).base64EncodedString()
    let text = "kind: Secret\ndata:\n  FAIR_API_KEY: \(encoded)\n"
    let hits = try worker([named]).scan(Array(text.utf8), path: "s.yaml").hits
    XCTAssertEqual(hits.count, 1)
    let hit = try XCTUnwrap(hits.first)
    XCTAssertEqual(hit.secret, Array(key.utf8))
    XCTAssertEqual(hit.encoding, "base64")
    XCTAssertEqual(hit.position.byteOffset, "kind: Secret\ndata:\n  FAIR_API_KEY: ".utf8.count)
    XCTAssertEqual(hit.position.byteLength, encoded.count)
    XCTAssertEqual(hit.position.line, 3)
  }

  func testWholeFileInBase64AndUrlSafeAlphabet() throws {
    let env = "OTHER=1\nFAIR_API_KEY=\(key)\n"
    let encoded = Data(env.utf8).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    let hits = try worker([named]).scan(Array("env: \(encoded)\n".utf8), path: nil).hits
    XCTAssertEqual(hits.map(\.secret), [Array(key.utf8)])
    XCTAssertEqual(hits.first?.encoding, "base64")
  }

  func testPercentEncoding() throws {
    let text = "GET /callback?cfg=fair_api_key%3D\(key)&x=1\n"
    let hits = try worker([named]).scan(Array(text.utf8), path: nil).hits
    XCTAssertEqual(hits.map(\.secret), [Array(key.utf8)])
    XCTAssertEqual(hits.first?.encoding, "percent")
  }

  func testPercentEncodedSecretMapsBackToItsEncodedBytes() throws {
    let rule = Rule(id: "t.pw", name: "pw", pattern: #"pass=(?<secret>[^&\s]{6,})"#, keywords: ["pass="])
    let text = "body=pass%3DQx7%40Lm2%21Pz9&y=2"
    let hits = try worker([rule]).scan(Array(text.utf8), path: nil).hits
    XCTAssertEqual(hits.map { String(decoding: $0.secret, as: UTF8.self) }, ["Qx7@Lm2!Pz9"])
    let hit = try XCTUnwrap(hits.first)
    XCTAssertEqual(hit.position.byteOffset, 12)  // after "body=pass%3D"
    XCTAssertEqual(hit.position.byteLength, "Qx7%40Lm2%21Pz9".utf8.count)
  }

  func testJSONStringEscapes() throws {
    let text = #"{"settings": "{\"fair_api_key\": \"\#(key)\"}"}"#
    let hits = try worker([named]).scan(Array(text.utf8), path: nil).hits
    XCTAssertEqual(hits.map(\.secret), [Array(key.utf8)])
    XCTAssertEqual(hits.first?.encoding, "escape")
    let unicode = #"var s = "\u0046AIR_API_KEY=\#(key)";"#
    XCTAssertEqual(try worker([named]).scan(Array(unicode.utf8), path: nil).hits.map(\.secret), [Array(key.utf8)])
  }

  func testNestedEncodingIsDecodedTwoLevelsDeep() throws {
    let inner = #"{"fair_api_key": "\#(key)"}"#
    let escaped = Data(inner.utf8).base64EncodedString()
    let text = #"{"blob": "\#(escaped)"}"#
    let hits = try worker([named]).scan(Array(text.utf8), path: nil).hits
    XCTAssertEqual(hits.map(\.secret), [Array(key.utf8)])
    let twice = Data(Data(inner.utf8).base64EncodedString().utf8).base64EncodedString()
    let deep = try worker([named]).scan(Array("x: \(twice)\n".utf8), path: nil).hits
    XCTAssertEqual(deep.first?.encoding, "base64+base64")
  }

  func testBinaryBase64AndPlainTextAreLeftAlone() throws {
    var bytes = [UInt8](repeating: 0, count: 300)
    for i in bytes.indices { bytes[i] = UInt8((i * 7919) & 0xFF) }
    let image = "data:image/png;base64," + Data(bytes).base64EncodedString()
    XCTAssertTrue(try worker([named, token]).scan(Array(image.utf8), path: nil).hits.isEmpty)
    let plain = "tok_A1b2C3d4E5f6G7h8I9j0\n"
    let hits = try worker([token]).scan(Array(plain.utf8), path: nil).hits
    XCTAssertEqual(hits.count, 1)
    XCTAssertNil(hits.first?.encoding, "a secret written as is is not reported again from a decoded view")
  }

  func testDecodingCanBeTurnedOff() throws {
    let encoded = Data("tok_A1b2C3d4E5f6G7h8I9j0".utf8).base64EncodedString()
    let w = try worker([token])
    XCTAssertEqual(w.scan(Array("v: \(encoded)".utf8), path: nil).hits.count, 1)
    w.decodes = false
    XCTAssertEqual(w.scan(Array("v: \(encoded)".utf8), path: nil).hits.count, 0)
  }

  func testFallbackRuleYieldsToASpecificRule() throws {
    var generic = Rule(id: "g.any", name: "any", pattern: #"token=(?<secret>\S{10,})"#, keywords: ["token="])
    generic.fallback = true
    let w = try worker([generic, token])
    let raw = w.scan(Array("token=tok_A1b2C3d4E5f6G7h8I9j0".utf8), path: nil).hits
    XCTAssertEqual(
      Set(raw.map { w.ruleSet.rules[$0.ruleIndex].rule.id }), ["t.tok", "g.any"], "the worker reports every rule")
    let both = w.resolvedHits(Array("token=tok_A1b2C3d4E5f6G7h8I9j0".utf8), path: nil)
    XCTAssertEqual(both.map { w.ruleSet.rules[$0.ruleIndex].rule.id }, ["t.tok"])
    let alone = w.resolvedHits(Array("token=Zq8wLr3tXv9".utf8), path: nil)
    XCTAssertEqual(alone.map { w.ruleSet.rules[$0.ruleIndex].rule.id }, ["g.any"])
  }

  func testWindowedRuleRunsOnlyNearItsKeywords() throws {
    var rule = Rule(id: "t.win", name: "w", pattern: #"secret=(?<secret>[A-Z0-9]{8})"#, keywords: ["marker"])
    let near = "marker: secret=AB12CD34\n"
    let far = "marker\n" + String(repeating: "filler line of text\n", count: 100) + "secret=AB12CD34\n"
    XCTAssertEqual(try worker([rule]).scan(Array(far.utf8), path: nil).hits.count, 1, "no window: the whole content")
    rule.window = 64
    let w = try worker([rule])
    XCTAssertEqual(w.scan(Array(near.utf8), path: nil).hits.count, 1)
    XCTAssertEqual(w.scan(Array(far.utf8), path: nil).hits.count, 0, "beyond the window")
    let twice = near + String(repeating: "x\n", count: 400) + "marker secret=ZX98YW76\n"
    XCTAssertEqual(
      w.scan(Array(twice.utf8), path: nil).hits.map(\.secret), [Array("AB12CD34".utf8), Array("ZX98YW76".utf8)])
  }

  func testStartsAtKeywordTriesOnlyWhereAKeywordStarts() throws {
    var rule = Rule(id: "t.anch", name: "a", pattern: #"[a-z]+=(?<secret>[A-Za-z0-9]{8})\b"#, keywords: ["key"])
    let text = "zzz=Ab3dEf6h and key elsewhere\nmykey=Qx7Lm2Pz\n"
    XCTAssertEqual(try worker([rule]).scan(Array(text.utf8), path: nil).hits.count, 2)
    rule.startsAtKeyword = true
    let hits = try worker([rule]).scan(Array(text.utf8), path: nil).hits
    XCTAssertEqual(hits.map(\.secret), [Array("Qx7Lm2Pz".utf8)], "only the match that starts at a keyword")
  }

  func testMaxSizeSkipsLargerContent() throws {
    var rule = Rule(id: "t.size", name: "s", pattern: #"tok_[A-Za-z0-9]{20}"#, keywords: ["tok_"])
    rule.maxSize = 64
    let w = try worker([rule])
    XCTAssertEqual(w.scan(Array("tok_A1b2C3d4E5f6G7h8I9j0\n".utf8), path: nil).hits.count, 1)
    let big = "tok_A1b2C3d4E5f6G7h8I9j0\n" + String(repeating: "-", count: 100)
    XCTAssertEqual(w.scan(Array(big.utf8), path: nil).hits.count, 0)
  }

  func testPlaceholdersAreNeverReported() {
    for value in [
      "{API_KEY}", "<API_KEY>", "YOUR_API_KEY", "your-api-key-here", "${FAIR_API_KEY}", "$FAIR_API_KEY",
      "process.env.FAIR_API_KEY", "xxxxxxxxxxxxxxxxxxxx", "********", "changeme", "{USERNAME}", "{PASSWORD}",
      "{ACCESS_TOKEN}", "MY_API_TOKEN_1", "0123456789abcdef", "abcdefghijklmnop", "secretpassword", "REPLACE_ME",
      "%(password)s", "{{ .Values.apiKey }}", "sk_live_XXXXXXXXXXXXXXXXXXXXXXXX", "AKIAIOSFODNN7EXAMPLE",
      "aaaaaaaaaaaa",
      "replace-with-real-token", "mysecretpassword123", "password", "ABCDEFGHIJKLMNOP", "20240101",
    ] {
      XCTAssertTrue(Placeholder.isPlaceholder(Array(value.utf8)), value)
    }
    for value in [
      key, "Tr0ub4dor&3x", "s3cr3t-P4ss!", "ghp_R8mK2vQ9xL4pT7wN1cJ5bH3dF6gS0aZyEuIo",
      "sk_live_Rw7Kq2Zm9Xb4Tn6Vc1Hp8Ld3",
      "Qx7#mP2v", "AKIA2E0A8F3B244C9986",
    ] {
      XCTAssertFalse(Placeholder.isPlaceholder(Array(value.utf8)), value)
    }
  }

  func testJWTClaimsAreRead() throws {
    func b64(_ s: String) -> String {
      Data(s.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
    let jwt =
      b64(#"{"alg":"HS256","typ":"JWT"}"#) + "."
      + b64(#"{"sub":"u-1","exp":1773663600,"iat":1773660000,"type":"refresh"}"#) + ".c2lnbmF0dXJlLWJ5dGVz"
    let claims = try XCTUnwrap(TokenClaims.parse(Array(jwt.utf8)))
    XCTAssertEqual(claims.expiresAt, 1773663600)
    XCTAssertEqual(claims.type, "refresh")
    XCTAssertEqual(claims.expiresAtText, "2026-03-16T12:20:00Z")
    XCTAssertNil(TokenClaims.parse(Array("eyJub3QiOiJhIGp3dCJ9.e30.sig".utf8)), "a header without alg")
    XCTAssertNil(TokenClaims.parse(Array("abc.def.ghi".utf8)))

    var rule = Rule(
      id: "t.jwt", name: "jwt", pattern: #"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"#,
      keywords: ["eyj"])
    rule.secretFormat = .jwt
    let w = try worker([rule])
    XCTAssertEqual(w.scan(Array("t=\(jwt)".utf8), path: nil).hits.first?.claims?.type, "refresh")
    let notJSON = "eyJhbGciOiJIUzI1Ni.eyJzdWIiOiJ1LTEiLCJleHAi.c2lnbmF0dXJl"
    XCTAssertTrue(w.scan(Array("t=\(notJSON)".utf8), path: nil).hits.isEmpty, "not decodable: not a JWT")
  }

  func testEnvironmentNamesAndFrontendPaths() {
    XCTAssertEqual(Practices.environment(of: ".env.production"), "production")
    XCTAssertEqual(Practices.environment(of: "deploy/values-prod.yaml"), "production")
    XCTAssertEqual(Practices.environment(of: "helm/values-staging.yaml"), "staging")
    XCTAssertEqual(Practices.environment(of: "config/dev/app.yml"), "development")
    XCTAssertEqual(Practices.environment(of: ".env.development"), "development")
    XCTAssertNil(Practices.environment(of: ".env"))
    XCTAssertNil(Practices.environment(of: "src/main.py"))
    XCTAssertTrue(Practices.isFrontend(path: "dist/main.3f2a.js", browserVariable: false, longLine: false))
    XCTAssertTrue(Practices.isFrontend(path: "web/index.html", browserVariable: false, longLine: false))
    XCTAssertTrue(Practices.isFrontend(path: ".env", browserVariable: true, longLine: false))
    XCTAssertTrue(Practices.isFrontend(path: "src/app.js", browserVariable: false, longLine: true))
    XCTAssertFalse(Practices.isFrontend(path: "data/dump.json", browserVariable: false, longLine: true))
    XCTAssertFalse(Practices.isFrontend(path: "server/app.py", browserVariable: false, longLine: false))
  }
}
