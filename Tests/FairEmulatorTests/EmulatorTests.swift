import FairEmulator
import Foundation
import XCTest

final class AuthTests: EmulatorTestCase {
  func testLoginAnswersTokensAsJWTs() async throws {
    try await withEmulator { emulator, client in
      let reply = try await client.loginReply("alice", Self.alice.password)
      XCTAssertEqual(reply.status, 200)
      XCTAssertTrue(reply.headers["content-type"]?.hasPrefix("application/json") ?? false)
      let object = try XCTUnwrap(try reply.json() as? [String: Any])
      XCTAssertEqual(object["token_type"] as? String, "bearer")
      XCTAssertEqual(object["accepted_terms_of_service"] as? Bool, true)
      let access = try XCTUnwrap(object["access_token"] as? String)
      let refresh = try XCTUnwrap(object["refresh_token"] as? String)
      for (token, type) in [(access, "access"), (refresh, "refresh")] {
        let parts = token.split(separator: ".")
        XCTAssertEqual(parts.count, 3)
        let header = try XCTUnwrap(FairFormat.decodeBase64URL(String(parts[0])))
        XCTAssertEqual(
          (try JSONSerialization.jsonObject(with: Data(header)) as? [String: Any])?["alg"] as? String, "HS256")
        let payloadBytes = try XCTUnwrap(FairFormat.decodeBase64URL(String(parts[1])))
        let payload = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(payloadBytes)) as? [String: Any])
        XCTAssertEqual(payload["sub"] as? String, "alice")
        XCTAssertEqual(payload["type"] as? String, type)
        let iat = try XCTUnwrap(payload["iat"] as? Int)
        let exp = try XCTUnwrap(payload["exp"] as? Int)
        XCTAssertGreaterThan(exp, iat)
        XCTAssertFalse(token.contains("="))
      }
      // The access token works with and without the `Bearer ` word.
      try await expectEqual(try await client.list(access).status, 200)
      try await expectEqual(try await client.http.get("/api/v1/api-keys", auth: access).status, 200)
      // A refresh token is not an access token.
      try await expectEqual(try await client.list(refresh).status, 401)
    }
  }

  func testBadLoginAndMissingAuth() async throws {
    try await withEmulator { emulator, client in
      try await expectEqual(try await client.loginReply("alice", "wrong").status, 401)
      try await expectEqual(try await client.loginReply("nobody", "x").status, 401)
      let noAuth = try await client.http.get("/api/v1/api-keys")
      XCTAssertEqual(noAuth.status, 401)
      XCTAssertEqual(noAuth.headers["www-authenticate"], "Bearer")
      try await expectEqual(try await client.list("not-a-token").status, 401)
      try await expectEqual(try await client.createReply("", name: "x", days: 0).status, 401)
      try await expectEqual(try await client.http.get("/no/such/route").status, 404)
    }
  }

  func testExpiredAccessTokenIs401ThenReloginWorks() async throws {
    try await withEmulator({ $0.accessTokenLifetime = 60 }) { emulator, client in
      let token = try await client.login("alice", Self.alice.password)
      try await expectEqual(try await client.list(token).status, 200)
      emulator.advanceClock(bySeconds: 61)
      let expired = try await client.list(token)
      XCTAssertEqual(expired.status, 401)
      try await expectEqual(try await client.createReply("Bearer \(token)", name: "k", days: 0).status, 401)
      let fresh = try await client.login("alice", Self.alice.password)
      try await expectEqual(try await client.list(fresh).status, 200)
      emulator.expireAccessTokens()
      try await expectEqual(try await client.list(fresh).status, 401)
      XCTAssertTrue(emulator.requestLog().contains { $0.notes.contains("access-token-expired") })
    }
  }

  func testZeroLifetimeTokenIsBornExpired() async throws {
    try await withEmulator({ $0.accessTokenLifetime = 0 }) { _, client in
      let token = try await client.login("alice", Self.alice.password)
      try await expectEqual(try await client.list(token).status, 401)
    }
  }

  func testRefreshGrantRotatesTokens() async throws {
    try await withEmulator { emulator, client in
      let login = try await unwrap(try await client.loginReply("bob", Self.bob.password).json() as? [String: Any])
      let refresh = try XCTUnwrap(login["refresh_token"] as? String)
      let reply = try await client.http.send(
        "POST", "/api/auth/refresh", headers: ["Content-Type": "application/x-www-form-urlencoded"],
        body: Data("grant_type=refresh_token&refresh_token=\(refresh)".utf8))
      XCTAssertEqual(reply.status, 200)
      let access = try XCTUnwrap((try reply.json() as? [String: Any])?["access_token"] as? String)
      try await expectEqual(try await client.list(access).status, 200)
      // Rotated: the old refresh token no longer works.
      let again = try await client.http.send(
        "POST", "/api/auth/refresh", headers: ["Content-Type": "application/x-www-form-urlencoded"],
        body: Data("refresh_token=\(refresh)".utf8))
      XCTAssertEqual(again.status, 401)
    }
  }
}

final class KeyTests: EmulatorTestCase {
  func testCreateThenListShowsSHA256OfTheKey() async throws {
    try await withEmulator { emulator, client in
      let token = try await client.login("alice", Self.alice.password)
      let forever = try await client.create(token, name: "ci", days: 0)
      let monthly = try await client.create(token, name: "laptop", days: 30)
      let plaintext = try XCTUnwrap(forever["key_hash"] as? String)
      XCTAssertEqual(plaintext.count, 43)
      XCTAssertTrue(plaintext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
      XCTAssertTrue(forever["expires_at"] is NSNull, "0 days = never expires = null")
      let created = try XCTUnwrap(monthly["created"] as? String)
      let expires = try XCTUnwrap(monthly["expires_at"] as? String)
      XCTAssertTrue(isFairTimestamp(created), created)
      XCTAssertTrue(isFairTimestamp(expires), expires)
      XCTAssertEqual(FairFormat.parseTimestamp(expires)! - FairFormat.parseTimestamp(created)!, 30 * 86_400)

      let listed = try await client.listArray(token)
      XCTAssertEqual(listed.map { $0["name"] as? String }, ["ci", "laptop"])
      let row = try XCTUnwrap(listed.first { $0["id"] as? String == forever["id"] as? String })
      XCTAssertEqual(row["key_hash"] as? String, Digest.sha256Hex(plaintext))
      XCTAssertEqual((row["key_hash"] as? String)?.count, 64)
      XCTAssertTrue(row["expires_at"] is NSNull)
      XCTAssertEqual(row["created"] as? String, forever["created"] as? String)

      // Bob sees none of Alice's keys; keys authenticate as their owner (the liveness probe).
      let bobToken = try await client.login("bob", Self.bob.password)
      try await expectEqual(try await client.listArray(bobToken).count, 0)
      let probe = try await client.list(plaintext)
      XCTAssertEqual(probe.status, 200)
      XCTAssertEqual((try probe.json() as? [Any])?.count, 2)
      XCTAssertEqual(emulator.requestLog().last?.auth, .apiKey)
      XCTAssertEqual(emulator.requestLog().last?.apiKeyID, forever["id"] as? String)
    }
  }

  func testCreateValidation() async throws {
    try await withEmulator { _, client in
      let token = try await client.login("alice", Self.alice.password)
      try await expectEqual(try await client.createReply("Bearer \(token)", name: "x", days: -1).status, 422)
      try await expectEqual(try await client.createReply("Bearer \(token)", name: "", days: 1).status, 422)
      let notJSON = try await client.http.send(
        "POST", "/api/v1/api-keys", headers: ["Authorization": "Bearer \(token)"], body: Data("name=x".utf8))
      XCTAssertEqual(notJSON.status, 422)
    }
  }

  func testPlainAndOtherHashModes() async throws {
    try await withEmulator({ $0.keyHashMode = .plain }) { emulator, client in
      let token = try await client.login("alice", Self.alice.password)
      let key = try await unwrap(try await client.create(token, name: "k")["key_hash"] as? String)
      try await expectEqual(try await client.listArray(token).first?["key_hash"] as? String, key)
      emulator.setKeyHashMode(.sha512)
      try await expectEqual(try await client.listArray(token).first?["key_hash"] as? String, Digest.sha512Hex(key))
      emulator.setKeyHashMode(.salted)
      try await expectTrue(
        (try await client.listArray(token).first?["key_hash"] as? String)?.hasPrefix("$2b$12$") ?? false)
    }
  }

  func testPagedListFollowsPages() async throws {
    try await withEmulator({ $0.listShape = .paged }) { emulator, client in
      let token = try await client.login("alice", Self.alice.password)
      var created: [String: String] = [:]  // id -> plaintext
      for i in 1...5 {
        let answer = try await client.create(token, name: "k\(i)", days: i)
        created[answer["id"] as! String] = answer["key_hash"] as? String
      }
      var seen: [String: String] = [:]
      var page = 1
      while true {
        let reply = try await client.list(token, query: "?page=\(page)&size=2")
        XCTAssertEqual(reply.status, 200)
        let object = try XCTUnwrap(try reply.json() as? [String: Any])
        XCTAssertEqual(object["total"] as? Int, 5)
        XCTAssertEqual(object["page"] as? Int, page)
        XCTAssertEqual(object["size"] as? Int, 2)
        let items = try XCTUnwrap(object["items"] as? [[String: Any]])
        if items.isEmpty { break }
        XCTAssertLessThanOrEqual(items.count, 2)
        for item in items { seen[item["id"] as! String] = item["key_hash"] as? String }
        page += 1
      }
      XCTAssertEqual(page, 4, "pages 1-3 hold 2+2+1 keys, page 4 is empty")
      XCTAssertEqual(Set(seen.keys), Set(created.keys))
      for (id, plaintext) in created { XCTAssertEqual(seen[id], Digest.sha256Hex(plaintext)) }

      // Default page size and validation.
      let first = try await unwrap(try await client.list(token).json() as? [String: Any])
      XCTAssertEqual((first["items"] as? [Any])?.count, 5)
      XCTAssertEqual(first["page"] as? Int, 1)
      try await expectEqual(try await client.list(token, query: "?page=0").status, 422)

      // Array shape ignores paging parameters.
      emulator.setListShape(.array)
      try await expectEqual((try await client.list(token, query: "?page=2&size=1").json() as? [Any])?.count, 5)
    }
  }

  func testRevokeThen404AndKeyIsDead() async throws {
    try await withEmulator { emulator, client in
      let token = try await client.login("alice", Self.alice.password)
      let answer = try await client.create(token, name: "to-revoke")
      let id = try XCTUnwrap(answer["id"] as? String)
      let key = try XCTUnwrap(answer["key_hash"] as? String)
      try await expectEqual(try await client.list(key).status, 200, "live key")
      // Bob cannot revoke Alice's key.
      let bobToken = try await client.login("bob", Self.bob.password)
      try await expectEqual(try await client.revoke(bobToken, id: id).status, 404)
      try await expectEqual(try await client.revoke(token, id: id).status, 204)
      try await expectEqual(try await client.revoke(token, id: id).status, 404, "already revoked")
      try await expectEqual(try await client.revoke(token, id: "no-such-id").status, 404)
      try await expectEqual(try await client.listArray(token).count, 0)
      try await expectEqual(try await client.list(key).status, 401, "revoked key is dead")
      XCTAssertTrue(emulator.keys(of: "alice").isEmpty)
      XCTAssertEqual(emulator.allKeys().first?.revoked, true)
    }
  }
}

final class FaultTests: EmulatorTestCase {
  func testRateLimit429WithRetryAfter() async throws {
    try await withEmulator({ $0.faults = FaultConfiguration(rateLimitEvery: 2, retryAfterSeconds: 7) }) {
      emulator, client in
      let token = try await client.login("alice", Self.alice.password)  // request 1
      let limited = try await client.list(token)  // request 2
      XCTAssertEqual(limited.status, 429)
      XCTAssertEqual(limited.headers["retry-after"], "7")
      try await expectEqual(try await client.list(token).status, 200)  // 3
      try await expectEqual(try await client.list(token).status, 429)  // 4

      emulator.setFaults(FaultConfiguration(rateLimitEvery: 1, retryAfterSeconds: 30, retryAfterStyle: .httpDate))
      let dated = try await client.list(token)
      XCTAssertEqual(dated.status, 429)
      XCTAssertTrue(dated.headers["retry-after"]?.hasSuffix(" GMT") ?? false, dated.headers["retry-after"] ?? "-")

      emulator.setFaults(FaultConfiguration(rateLimitEvery: 1, retryAfterStyle: .none))
      let bare = try await client.list(token)
      XCTAssertEqual(bare.status, 429)
      XCTAssertNil(bare.headers["retry-after"])
      XCTAssertTrue(emulator.requestLog().contains { $0.notes.contains("injected-429") })
    }
  }

  func test503EveryNthRequest() async throws {
    try await withEmulator({ $0.faults = FaultConfiguration(failEvery: 3, failStatuses: [503]) }) {
      emulator, client in
      let token = try await client.login("alice", Self.alice.password)  // 1
      var statuses: [Int] = []
      for _ in 2...9 { statuses.append(try await client.list(token).status) }
      XCTAssertEqual(statuses, [200, 503, 200, 200, 503, 200, 200, 503])

      emulator.setFaults(FaultConfiguration(failEvery: 1, failStatuses: [500, 503]))
      var alternating: [Int] = []
      for _ in 1...4 { alternating.append(try await client.list(token).status) }
      XCTAssertEqual(alternating, [500, 503, 500, 503])
    }
  }

  func testLatencyIsAdded() async throws {
    try await withEmulator({ $0.faults = FaultConfiguration(latencyMilliseconds: 300) }) { emulator, client in
      let start = ContinuousClock.now
      _ = try await client.loginReply("alice", Self.alice.password)
      XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, .milliseconds(300))
      XCTAssertGreaterThanOrEqual(emulator.requestLog().last?.durationMilliseconds ?? 0, 300)
    }
  }

  func testDropAfterRevokeAppliesTheRevoke() async throws {
    try await withEmulator({ $0.faults = FaultConfiguration(dropAfterRevoke: .once) }) { emulator, client in
      let token = try await client.login("alice", Self.alice.password)
      let first = try await unwrap(try await client.create(token, name: "first")["id"] as? String)
      let second = try await unwrap(try await client.create(token, name: "second")["id"] as? String)
      do {
        let reply = try await client.revoke(token, id: first)
        XCTFail("expected a dropped connection, got \(reply.status)")
      } catch let failure as RawHTTP.Failure {
        XCTAssertEqual(failure, .closedWithoutResponse)
      }
      // The revoke was applied even though no answer came back.
      let names = try await client.listArray(token).compactMap { $0["name"] as? String }
      XCTAssertEqual(names, ["second"])
      try await expectEqual(try await client.revoke(token, id: first).status, 404, "retry of the dropped revoke")
      try await expectEqual(try await client.revoke(token, id: second).status, 204, "`once` drops only once")
      let dropped = emulator.requestLog().filter { $0.notes.contains("dropped-connection") }
      XCTAssertEqual(dropped.count, 1)
      XCTAssertEqual(dropped.first?.method, "DELETE")
    }
  }

  func testDropAfterEveryRevoke() async throws {
    try await withEmulator({ $0.faults = FaultConfiguration(dropAfterRevoke: .always) }) { _, client in
      let token = try await client.login("alice", Self.alice.password)
      for name in ["a", "b"] {
        let id = try await unwrap(try await client.create(token, name: name)["id"] as? String)
        do {
          _ = try await client.revoke(token, id: id)
          XCTFail("expected a dropped connection")
        } catch is RawHTTP.Failure {}
      }
      try await expectEqual(try await client.listArray(token).count, 0)
      // A 404 revoke applies nothing, so it is answered.
      try await expectEqual(try await client.revoke(token, id: "gone").status, 404)
    }
  }

  func testMalformedJSONOnce() async throws {
    try await withEmulator({ $0.faults = FaultConfiguration(malformedListOnce: true) }) { emulator, client in
      let token = try await client.login("alice", Self.alice.password)
      _ = try await client.create(token, name: "k")
      let bad = try await client.list(token)
      XCTAssertEqual(bad.status, 200)
      XCTAssertThrowsError(try bad.json())
      try await expectEqual(try await client.listArray(token).count, 1, "only once")
      emulator.armMalformedJSONOnce()
      await expectThrowsError(try (try await client.list(token)).json())
      await expectNoThrow(try (try await client.list(token)).json())
      XCTAssertEqual(emulator.requestLog().filter { $0.notes.contains("malformed-json") }.count, 2)
    }
  }
}

final class LogAndSeedTests: EmulatorTestCase {
  func testRequestLogHoldsNoSecrets() async throws {
    let printed = LinesBox()
    try await withEmulator({ $0.onRequestLogged = { printed.append($0.description) } }) { emulator, client in
      let token = try await client.login("alice", Self.alice.password)
      _ = try await client.loginReply("bob", "a-wrong-password-attempt")
      let created = try await client.create(token, name: "secret-holder")
      let key = try XCTUnwrap(created["key_hash"] as? String)
      let id = try XCTUnwrap(created["id"] as? String)
      _ = try await client.list(key)  // liveness probe
      _ = try await client.list(token, query: "?page=1&size=5&api_key=\(key)&token=\(token)")
      _ = try await client.http.get("/api/v1/api-keys/\(key)", auth: "Bearer \(token)")  // a key in the path
      _ = try await client.revoke(token, id: id)
      _ = try await client.list(key)  // dead probe

      let log = emulator.requestLog()
      XCTAssertEqual(log.count, 8)
      XCTAssertEqual(printed.lines.count, 8)
      let text = (log.map(\.description) + printed.lines).joined(separator: "\n")
      let secrets = [Self.alice.password, Self.bob.password, "a-wrong-password-attempt", token, key]
      for secret in secrets {
        XCTAssertFalse(text.contains(secret), "log leaks a secret")
        XCTAssertFalse(text.contains(String(secret.prefix(16))), "log leaks part of a secret")
      }
      XCTAssertFalse(text.contains(Digest.sha256Hex(key)), "not even the key's digest")
      XCTAssertFalse(text.lowercased().contains("bearer"))
      XCTAssertTrue(text.contains("?page=1&size=5&api_key=REDACTED&token=REDACTED"), text)
      XCTAssertTrue(text.contains("DELETE /api/v1/api-keys/\(id) -> 204"), text)
      XCTAssertEqual(log.first?.method, "POST")
      XCTAssertEqual(log.first?.path, "/api/auth/login")
      XCTAssertEqual(log.first?.status, 200)
      XCTAssertEqual(log.map(\.sequence), Array(1...8))
    }
  }

  func testSeedFileUsersAndKeys() async throws {
    let seed = """
      [{"username": "carol", "password": "seeded-pw",
        "keys": [
          {"id": "k-live", "name": "prod", "key": "live-key-plaintext-0123456789", "created": "2026-03-16T11:39:32", "expires_at": null},
          {"id": 7, "name": "old", "key": "expired-key-plaintext-0123456789", "created": "2020-01-01T00:00:00", "expires_at": "2020-02-01T00:00:00"}
        ]},
       {"username": "dave", "password": "pw2"}]
      """
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("fair-seed-\(UUID().uuidString).json").path
    try Data(seed.utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let users = try SeedUser.load(contentsOf: path)
    XCTAssertEqual(users.map(\.username), ["carol", "dave"])
    XCTAssertEqual(users[0].keys[1].id, "7")

    let emulator = try await FairEmulator.start(FairEmulatorConfiguration(users: users))
    let client = TestClient(emulator)
    do {
      let listed = try await client.listArray("live-key-plaintext-0123456789")
      XCTAssertEqual(listed.count, 2)
      let live = try XCTUnwrap(listed.first { $0["id"] as? String == "k-live" })
      XCTAssertEqual(live["created"] as? String, "2026-03-16T11:39:32")
      XCTAssertTrue(live["expires_at"] is NSNull)
      XCTAssertEqual(live["key_hash"] as? String, Digest.sha256Hex("live-key-plaintext-0123456789"))
      let old = try XCTUnwrap(listed.first { $0["id"] as? String == "7" })
      XCTAssertEqual(old["expires_at"] as? String, "2020-02-01T00:00:00")
      try await expectEqual(try await client.list("expired-key-plaintext-0123456789").status, 401, "expired key")
      let token = try await client.login("dave", "pw2")
      try await expectEqual(try await client.listArray(token).count, 0)

      // Programmatic users and keys.
      try emulator.addKey(SeedKey(name: "added", key: "added-key-plaintext-xyz"), to: "dave")
      try await expectEqual(try await client.listArray(token).first?["name"] as? String, "added")
    } catch {
      await emulator.stop()
      throw error
    }
    await emulator.stop()

    XCTAssertThrowsError(try SeedUser.decode(Data(#"[{"username": "x"}]"#.utf8)))
    XCTAssertThrowsError(
      try SeedUser.decode(
        Data(#"[{"username":"x","password":"y","keys":[{"name":"n","key":"k","created":"yesterday"}]}]"#.utf8)))
  }

  func testTwoEmulatorsGetDifferentPortsAndStopIsIdempotent() async throws {
    let a = try await FairEmulator.start()
    let b = try await FairEmulator.start()
    XCTAssertNotEqual(a.port, b.port)
    XCTAssertEqual(a.baseURL, "http://127.0.0.1:\(a.port)")
    await a.stop()
    await a.stop()
    await b.stop()
    do {
      _ = try await RawHTTP(port: a.port).get("/api/v1/api-keys")
      XCTFail("stopped emulator still answers")
    } catch {}
  }
}

final class LinesBox: @unchecked Sendable {
  private let lock = NSLock()
  private var storage: [String] = []
  func append(_ line: String) { lock.withLock { storage.append(line) } }
  var lines: [String] { lock.withLock { storage } }
}

final class FormatTests: XCTestCase {
  func testDigestsMatchKnownVectors() {
    XCTAssertEqual(Digest.sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    XCTAssertEqual(Digest.sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    XCTAssertEqual(
      Digest.sha256Hex(String(repeating: "a", count: 1000)),
      "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    XCTAssertEqual(
      Digest.sha512Hex("abc"),
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
    )
    XCTAssertEqual(
      Digest.sha512Hex(""),
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
    )
    XCTAssertEqual(
      Digest.sha512Hex(String(repeating: "a", count: 1000)),
      "67ba5535a46e3f86dbfbed8cbbaf0125c76ed549ff8b0b9e03e0c88cf90fa634fa7b12b47d77b694de488ace8d9a65967dc96df599727d3292a8d9d447709c97"
    )
    XCTAssertEqual(
      Digest.hex(Digest.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    XCTAssertEqual(
      Digest.hex(Digest.hmacSHA256(key: [UInt8](repeating: UInt8(ascii: "k"), count: 100), message: Array("msg".utf8))),
      "bd56a1782c2830e8abc6ed866a57a1230661e650b84c62f7ee3accc5fa5af491")
  }

  func testTimestamps() {
    XCTAssertEqual(FairFormat.timestamp(0), "1970-01-01T00:00:00")
    let t = FairFormat.parseTimestamp("2026-03-16T11:39:32")!
    XCTAssertEqual(FairFormat.timestamp(t), "2026-03-16T11:39:32")
    XCTAssertEqual(FairFormat.parseTimestamp("2026-03-16T11:39:32Z"), t)
    XCTAssertEqual(FairFormat.parseTimestamp("2026-03-16T11:39:32.123456"), t)
    XCTAssertEqual(FairFormat.parseTimestamp("2026-03-16T12:39:32+01:00"), t)
    XCTAssertEqual(FairFormat.timestamp(FairFormat.parseTimestamp("2024-02-29T23:59:59")!), "2024-02-29T23:59:59")
    XCTAssertNil(FairFormat.parseTimestamp("16/03/2026"))
    XCTAssertEqual(FairFormat.httpDate(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT")
    XCTAssertEqual(t, Int64(Date(timeIntervalSince1970: TimeInterval(t)).timeIntervalSince1970))
  }

  func testNewKeysAreBase64URL43() {
    let keys = (0..<50).map { _ in FairFormat.newAPIKey() }
    XCTAssertEqual(Set(keys).count, 50)
    for key in keys {
      XCTAssertEqual(key.count, 43)
      XCTAssertEqual(FairFormat.decodeBase64URL(key)?.count, 32)
    }
  }
}
