import FairAPI
import FairScanDigest
import FairScanKit
import Foundation

/// `--probe`: asks the FAIR API whether a found key authenticates (`GET keys_path` with the
/// found key as the bearer), at most `probe_max` distinct keys per run, `probe_interval`
/// apart, each key once (cached by its SHA-256 for the run). The found key goes only to the
/// configured FAIR host, and only because the user asked.
final class APIProber: SecretProber, @unchecked Sendable {
  private let session: FairSession
  private let interval: Double
  private let limit: Int
  private let lock = NSLock()
  private var cache: [String: ProbeVerdict] = [:]
  private var made = 0
  private var notProbed: Set<String> = []
  private var last: Double?

  init(session: FairSession) {
    self.session = session
    let i = session.configuration.probeInterval.components
    interval = Double(i.seconds) + Double(i.attoseconds) / 1e18
    limit = session.configuration.probeLimit
  }

  func probe(_ secret: [UInt8]) -> ProbeVerdict? {
    lock.lock()
    defer { lock.unlock() }
    let id = SHA256.hex(secret)
    if let known = cache[id] { return known }
    // Only a plain token can be a bearer value: nothing that could split or bend a header.
    guard !secret.isEmpty, secret.count <= 512, secret.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
    guard made < limit else {
      notProbed.insert(id)
      return nil
    }
    if let last {
      let wait = interval - (Self.now() - last)
      if wait > 0 { usleep(useconds_t(wait * 1_000_000)) }
    }
    made += 1
    let key = String(decoding: secret, as: UTF8.self)
    let verdict: ProbeVerdict
    switch session.attempt({ client in try await client.probe(apiKey: key) }) {
    case .success(.live): verdict = .live
    case .success(.dead): verdict = .dead
    case .success(.inconclusive), .failure: verdict = .inconclusive
    }
    last = Self.now()
    cache[id] = verdict
    return verdict
  }

  func finish() -> [String] {
    session.close()
    lock.lock()
    defer { lock.unlock() }
    var notes = ["probed \(made) FAIR key\(made == 1 ? "" : "s") for liveness (--probe)"]
    if !notProbed.isEmpty {
      notes.append("\(notProbed.count) more not probed: the limit of \(limit) per run was reached (FAIR_PROBE_MAX)")
    }
    return notes
  }

  private static func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }
}
