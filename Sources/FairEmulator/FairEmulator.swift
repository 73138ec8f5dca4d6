import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// An in-process FAIR platform emulator bound to a loopback port.
///
/// ```swift
/// let emulator = try await FairEmulator.start(.init(users: [SeedUser(username: "alice", password: "pw")]))
/// defer { Task { await emulator.stop() } }
/// // talk to emulator.baseURL ...
/// await emulator.stop()
/// ```
public final class FairEmulator: Sendable {
  /// The bound port.
  public let port: Int
  /// The bound host.
  public let host: String
  /// `http://127.0.0.1:PORT` (`https://` when serving TLS; no trailing slash).
  public var baseURL: String { "\(tls ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
  /// Whether it serves HTTPS.
  public let tls: Bool
  /// `baseURL` as a URL.
  public var url: URL { URL(string: baseURL)! }

  let core: EmulatorCore
  private let group: ServiceGroup
  private let runTask: Task<Void, Never>
  private let stopped = Mutex(false)

  private init(port: Int, host: String, tls: Bool, core: EmulatorCore, group: ServiceGroup, runTask: Task<Void, Never>)
  {
    self.tls = tls
    self.port = port
    self.host = host
    self.core = core
    self.group = group
    self.runTask = runTask
  }

  /// Binds `configuration.host:configuration.port` (port 0 = a free port) and returns once listening.
  public static func start(_ configuration: FairEmulatorConfiguration = .init()) async throws -> FairEmulator {
    let core = try EmulatorCore(configuration)
    var logger = Logger(label: "fair-emulator")
    logger.logLevel = .critical  // the emulator's own request log is the only output
    let (bound, boundContinuation) = AsyncStream<Int>.makeStream()
    var server: HTTPServerBuilder = .http1()
    if let files = configuration.tls {
      do {
        let chain = try NIOSSLCertificate.fromPEMFile(files.certificateChain).map {
          NIOSSLCertificateSource.certificate($0)
        }
        let key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem)
        server = try .tls(
          .http1(), tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key)))
      } catch {
        throw FairEmulatorError.startFailed("TLS files: \(error)")
      }
    }
    let app = Application(
      router: buildRouter(core: core),
      server: server,
      configuration: .init(
        address: .hostname(configuration.host, port: configuration.port), serverName: "fair-emulator"),
      onServerRunning: { channel in
        boundContinuation.yield(channel.localAddress?.port ?? -1)
        boundContinuation.finish()
      },
      logger: logger)
    var groupConfiguration = ServiceGroupConfiguration(services: [app], logger: logger)
    groupConfiguration.maximumGracefulShutdownDuration = .seconds(3)
    let group = ServiceGroup(configuration: groupConfiguration)
    let failure = Mutex<String?>(nil)
    let runTask = Task {
      do {
        try await group.run()
      } catch {
        failure.withLock { $0 = String(describing: error) }
      }
      boundContinuation.finish()
    }
    var iterator = bound.makeAsyncIterator()
    guard let port = await iterator.next(), port > 0 else {
      await group.triggerGracefulShutdown()
      await runTask.value
      throw FairEmulatorError.startFailed(failure.withLock { $0 } ?? "server stopped before listening")
    }
    return FairEmulator(
      port: port, host: configuration.host, tls: configuration.tls != nil, core: core, group: group, runTask: runTask)
  }

  /// Stops listening, closes connections and waits for the server to finish. Idempotent.
  public func stop() async {
    let first = stopped.withLock { was in
      defer { was = true }
      return !was
    }
    if first { await group.triggerGracefulShutdown() }
    await runTask.value
  }

  // MARK: request log

  /// Every finished request, oldest first (redacted: no credentials, bodies or Authorization values).
  public func requestLog() -> [LoggedRequest] { core.log() }

  /// Requests received so far (counted on arrival, before any fault or answer; restarts at 0
  /// when the faults are replaced): lets a test see that a request is being held.
  public var requestsReceived: Int { core.state.withLock { $0.requestCounter } }

  /// Forgets the request log.
  public func clearRequestLog() { core.clearLog() }

  // MARK: users and keys

  /// Adds (or replaces the password of) a user, with optional keys.
  public func addUser(_ user: SeedUser) throws { try core.addUser(user) }

  /// Adds a key to an existing or new user without changing an existing password.
  @discardableResult
  public func addKey(_ key: SeedKey, to username: String) throws -> StoredKey {
    let password = core.state.withLock { $0.passwords[username] } ?? ""
    try core.addUser(SeedUser(username: username, password: password, keys: [key]))
    return core.allKeys().last { $0.plaintext == key.key }!
  }

  /// Live (not revoked) keys of `username`, oldest first.
  public func keys(of username: String) -> [StoredKey] { core.keys(of: username) }

  /// Every key ever known, revoked ones included.
  public func allKeys() -> [StoredKey] { core.allKeys() }

  // MARK: clock and tokens

  /// Moves the emulator clock (token and key expiry, timestamps) forward by `seconds`.
  public func advanceClock(bySeconds seconds: Int) { core.advanceClock(seconds: Int64(seconds)) }

  /// Expires every access token issued so far.
  public func expireAccessTokens() { core.expireAccessTokens() }

  /// Lifetime of access tokens issued from now on.
  public func setAccessTokenLifetime(_ seconds: Int) { core.setAccessTokenLifetime(seconds) }

  // MARK: behaviour

  /// The current fault settings.
  public var faults: FaultConfiguration { core.faults() }

  /// Replaces the fault settings and restarts request counting at 1.
  public func setFaults(_ faults: FaultConfiguration) { core.setFaults(faults) }

  /// Edits the fault settings (request counting restarts at 1).
  public func updateFaults(_ edit: (inout FaultConfiguration) -> Void) {
    var f = core.faults()
    edit(&f)
    core.setFaults(f)
  }

  /// The next successful key-list answer carries malformed JSON.
  public func armMalformedJSONOnce() {
    core.state.withLock { $0.faults.malformedListOnce = true }
  }

  /// Switches the list shape.
  public func setListShape(_ shape: ListShape) { core.setListShape(shape) }

  /// Switches how lists render `key_hash`.
  public func setKeyHashMode(_ mode: KeyHashMode) { core.setKeyHashMode(mode) }
}
