import Foundation
import Synchronization
import Testing
@testable import FairAPI

/// A listing is complete only when its pages account for `total` (or it is a bare array); a
/// listing that cannot be shown whole is an error, never a shorter inventory.
@Suite struct CompletenessTests {
  func paged(_ ids: [String], total: String, page: Int, size: Int = 1) -> FakeTransport.Step {
    .json(
      200,
      #"{"items": [\#(ids.map { keyJSON($0) }.joined(separator: ","))], "total": \#(total), "page": \#(page), "size": \#(size)}"#
    )
  }

  @Test func aTotalThePagesNeverReachIsAnError() async throws {
    let t = FakeTransport([paged(["a"], total: "1000000000", page: 1), paged([], total: "1000000000", page: 2)])
    let error = await apiError { _ = try await makeClient(t, configuration: config(pageSize: 1)).listKeys() }
    guard case .malformedResponse(.listKeys, 200, let reason)? = error else {
      Issue.record("got \(String(describing: error))"); return
    }
    #expect(reason.contains("1 of `total` 1000000000"))
  }

  @Test func aPageRepeatingAnEarlierOneIsAnError() async throws {
    let t = FakeTransport([paged(["a"], total: "2", page: 1), paged(["a"], total: "2", page: 2)])
    let error = await apiError { _ = try await makeClient(t, configuration: config(pageSize: 1)).listKeys() }
    guard case .malformedResponse(.listKeys, 200, let reason)? = error else {
      Issue.record("got \(String(describing: error))"); return
    }
    #expect(reason.contains("added no key"))
  }

  @Test func aTotalThatIsNotAWholeCountIsAnError() async throws {
    for total in ["-1", "2.5", #""2""#, "null", "1e300"] {
      let t = FakeTransport([paged(["a", "b"], total: total, page: 1, size: 2)])
      let error = await apiError { _ = try await makeClient(t).listKeys() }
      guard case .malformedResponse(.listKeys, 200, _)? = error else {
        Issue.record("total \(total): got \(String(describing: error))"); continue
      }
    }
  }

  @Test func aPagedListWithoutTotalIsAnError() async throws {
    let t = FakeTransport([.json(200, #"{"items": [\#(keyJSON("a"))], "page": 1, "size": 100}"#)])
    let error = await apiError { _ = try await makeClient(t).listKeys() }
    guard case .malformedResponse(.listKeys, 200, let reason)? = error else {
      Issue.record("got \(String(describing: error))"); return
    }
    #expect(reason.contains("without `total`"))
  }

  @Test func moreRecordsThanTotalIsAnError() async throws {
    let t = FakeTransport([paged(["a", "b", "c"], total: "2", page: 1, size: 3)])
    let error = await apiError { _ = try await makeClient(t).listKeys() }
    guard case .malformedResponse(.listKeys, 200, _)? = error else {
      Issue.record("got \(String(describing: error))"); return
    }
  }

  @Test func zeroBasedPagesThatAddUpAreComplete() async throws {
    let t = FakeTransport([
      paged(["a", "b"], total: "3", page: 0, size: 2), paged(["c"], total: "3", page: 1, size: 2),
    ])
    #expect(try await makeClient(t).listKeys().map(\.id) == ["a", "b", "c"])
    #expect(t.requests[1].url.hasSuffix("?page=1&size=2"))
  }

  @Test func recordsSharingAnIdButNotTheirHashAreAllReturned() async throws {
    let t = FakeTransport([.json(200, "[\(keyJSON("k1", hash: "aa")), \(keyJSON("k1", hash: "bb"))]")])
    let keys = try await makeClient(t).listKeys()
    #expect(keys.map(\.id) == ["k1", "k1"])
    #expect(keys.map(\.keyHash) == ["aa", "bb"])

    let pages = FakeTransport([
      .json(200, #"{"items": [\#(keyJSON("k1", hash: "aa"))], "total": 2, "page": 1, "size": 1}"#),
      .json(200, #"{"items": [\#(keyJSON("k1", hash: "bb"))], "total": 2, "page": 2, "size": 1}"#),
    ])
    #expect(try await makeClient(pages, configuration: config(pageSize: 1)).listKeys().map(\.keyHash) == ["aa", "bb"])
  }

  @Test func aRecordRepeatedWholeCountsOnce() async throws {
    let t = FakeTransport([
      paged(["a", "b"], total: "3", page: 1, size: 2), paged(["b", "c"], total: "3", page: 2, size: 2),
    ])
    #expect(try await makeClient(t).listKeys().map(\.id) == ["a", "b", "c"])
  }
}

/// A transport that answers after `delay` (or not at all before it is cancelled).
final class StallingTransport: FairTransport {
  let delay: Duration
  let calls = Mutex(0)
  init(_ delay: Duration) { self.delay = delay }
  var count: Int { calls.withLock { $0 } }
  func send(_ request: FairHTTPRequest) async throws -> FairHTTPResponse {
    calls.withLock { $0 += 1 }
    try await Task.sleep(for: delay)
    return FairHTTPResponse(status: 200, json: "[]")
  }
}

/// Every request ends by `request_timeout`, and all of a run's calls by `run_budget`.
@Suite struct DeadlineTests {
  func stalled(_ transport: any FairTransport, requestTimeout: Duration, budget: Duration, attempts: Int) throws
    -> FairClient
  {
    var c = try config(maxAttempts: attempts)
    c.requestTimeout = requestTimeout
    c.runBudget = budget
    return FairClient(
      configuration: c, credentials: .apiKey(FairSecret(apiKeySecret)), transport: transport,
      sleeper: RecordingSleeper(), random: { 0 })
  }

  @Test func aRequestThatDoesNotAnswerEndsAtItsTimeout() async throws {
    let t = StallingTransport(.seconds(30))
    let client = try stalled(t, requestTimeout: .milliseconds(300), budget: .seconds(60), attempts: 2)
    let start = ContinuousClock.now
    let error = await apiError { _ = try await client.listKeys() }
    guard case .transport(.listKeys, let reason, 2)? = error else {
      Issue.record("got \(String(describing: error))"); return
    }
    #expect(reason.contains("no complete answer within"))
    #expect(ContinuousClock.now - start < .seconds(20))
    #expect(t.count == 2)
  }

  @Test func retriesStopWhenTheBudgetIsSpent() async throws {
    let t = StallingTransport(.seconds(30))
    let client = try stalled(t, requestTimeout: .milliseconds(400), budget: .seconds(1), attempts: 100)
    let start = ContinuousClock.now
    let error = await apiError { _ = try await client.listKeys() }
    #expect(error == .budgetExhausted(operation: .listKeys, budgetSeconds: 1))
    #expect(ContinuousClock.now - start < .seconds(20))
    #expect(t.count < 100)
    #expect(error!.description.contains("FAIR_RUN_BUDGET"))
  }

  @Test func aRetryWaitLongerThanWhatIsLeftIsNotWaited() async throws {
    let sleeper = RecordingSleeper()
    var c = try config(retryAfterCap: .seconds(60))
    c.runBudget = .seconds(5)
    let t = FakeTransport([.status(429, headers: [("Retry-After", "30")])])
    let client = FairClient(
      configuration: c, credentials: .apiKey(FairSecret(apiKeySecret)), transport: t, sleeper: sleeper)
    let error = await apiError { _ = try await client.listKeys() }
    #expect(error == .budgetExhausted(operation: .listKeys, budgetSeconds: 5))
    #expect(sleeper.durations.isEmpty)
  }

  @Test func runBudgetIsASetting() throws {
    #expect(try FairConfiguration(settings: [:]).runBudget == .seconds(60))
    #expect(try FairConfiguration.fromEnvironment(["FAIR_RUN_BUDGET": "7.5"]).runBudget == .milliseconds(7500))
    #expect(throws: FairConfigurationError.self) { try FairConfiguration(settings: ["run_budget": "0"]) }
  }
}

/// A token that expires again while a call waits out retries is renewed again; a fresh token
/// refused at once is still an error (`AuthTests.twoUnauthorizedInARowIsAnError`).
@Suite struct RenewalTests {
  @Test func aTokenThatExpiresDuringRetriesIsRenewedAgain() async throws {
    let t = FakeTransport([
      .login(accessTokenA), .status(401), .login(accessTokenB), .status(503), .status(401), .login(accessTokenA),
      .json(200, "[]"),
    ])
    let keys = try await makeClient(t, credentials: passwordCredentials).listKeys()
    #expect(keys.isEmpty)
    #expect(t.requests.map(\.method) == [.POST, .GET, .POST, .GET, .GET, .POST, .GET])
  }

  @Test func renewalsPerCallAreBounded() async throws {
    var steps: [FakeTransport.Step] = [.login(accessTokenA), .status(401)]
    for _ in 0..<10 { steps += [.login(accessTokenB), .status(503), .status(401)] }
    let t = FakeTransport(steps)
    let error = await apiError { _ = try await makeClient(t, credentials: passwordCredentials).listKeys() }
    #expect(error?.status == 401)
    #expect(t.requests.filter { $0.method == .POST }.count == 1 + FairClient.maxRenewals)
  }
}
