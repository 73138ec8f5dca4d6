import ArgumentParser
import Dispatch
import FairAPI
import FairScanDigest
import FairScanKit
import Foundation

/// A FAIR API session for the commands: settings and credentials from the environment (or
/// the 0600 credentials file), never from command-line values.
struct FairSession {
  let client: FairClient
  let transport: AsyncHTTPClientTransport
  let configuration: FairConfiguration
  /// Hex SHA-256 of the API key fairscan authenticates with (nil when it logs in with a password):
  /// `fairscan revoke` never revokes that key.
  let ownKeySHA256: String?

  /// - Parameter caFile: `--ca-file`: PEM certificates of a private CA to trust (overrides
  ///   `FAIR_CA_FILE`); TLS is always verified.
  static func open(caFile: String? = nil) throws -> FairSession {
    var configuration: FairConfiguration
    let credentials: FairCredentials
    do {
      configuration = try FairConfiguration.fromEnvironment(clientVersion: FairScanVersion.current)
      credentials = try FairCredentials.resolve()
    } catch { throw CommandFailure.usage("\(error)") }
    // Read once: from here on the secret lives only in the client, not in /proc/PID/environ.
    CredentialEnvironment.scrub()
    if let caFile {
      guard FileManager.default.isReadableFile(atPath: caFile) else {
        throw CommandFailure.usage("--ca-file \(caFile): cannot read it")
      }
      configuration.caFile = caFile
    }
    let transport: AsyncHTTPClientTransport
    do { transport = try AsyncHTTPClientTransport(configuration: configuration) } catch {
      throw CommandFailure.usage("\(error)")
    }
    var own: String? = nil
    if case .apiKey(let key) = credentials.kind { own = SHA256.hex(Array(key.revealed.utf8)) }
    return FairSession(
      client: FairClient(configuration: configuration, credentials: credentials, transport: transport),
      transport: transport, configuration: configuration, ownKeySHA256: own)
  }

  /// Whether FAIR credentials are configured at all (the environment, or a credentials file):
  /// what decides whether scans verify unasked. Credentials that are configured but broken
  /// count as configured (the scan then says why it could not verify).
  static var credentialsConfigured: Bool {
    do {
      _ = try FairCredentials.resolve()
      return true
    } catch let error as FairCredentialsError {
      if case .notFound = error { return false }
      return true
    } catch {
      return true
    }
  }

  /// Runs `body` with the client and shuts the HTTP client down after; API errors become one
  /// line and exit bit 4.
  func run<T: Sendable>(_ body: @escaping @Sendable (FairClient) async throws -> T) throws -> T {
    defer { close() }
    return try call(body)
  }

  /// Runs `body` with the client, keeping the session open for more calls (end with `close()`).
  func call<T: Sendable>(_ body: @escaping @Sendable (FairClient) async throws -> T) throws -> T {
    switch attempt(body) {
    case .success(let value): return value
    case .failure(let error): throw CommandFailure(message: "\(error)", code: ExitStatus.apiFailure)
    }
  }

  /// Runs `body` with the client and returns what it threw instead of throwing (the error's
  /// text names the operation and status, never a credential).
  func attempt<T: Sendable>(_ body: @escaping @Sendable (FairClient) async throws -> T) -> Result<T, Error> {
    let client = self.client
    return blocking {
      do { return .success(try await body(client)) } catch { return .failure(error) }
    }
  }

  /// Shuts the HTTP client down.
  func close() {
    let transport = self.transport
    blocking { try? await transport.shutdown() }
  }

  /// The account's key inventory, read completely or marked incomplete (then every FAIR
  /// finding is `indeterminate`). The second value is the error that stopped the listing.
  /// The session stays open.
  func inventory() -> (KeyInventory, String?) {
    let digest = configuration.keyDigest
    do {
      let keys = try call { client in try await client.listKeys() }
      return (
        KeyInventory(
          keys: keys.map {
            InventoryKey(
              id: $0.id, name: $0.name, keyHash: $0.keyHash ?? "", created: $0.created, expiresAt: $0.expiresAt)
          }, digest: digest), nil
      )
    } catch let failure as CommandFailure {
      return (KeyInventory(keys: [], digest: digest, complete: false), failure.message)
    } catch {
      return (KeyInventory(keys: [], digest: digest, complete: false), "\(error)")
    }
  }
}

/// Waits for an async operation from synchronous command code (the commands are not async).
func blocking<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
  let semaphore = DispatchSemaphore(value: 0)
  let box = Box<T>()
  Task.detached {
    box.value = await operation()
    semaphore.signal()
  }
  semaphore.wait()
  return box.value!
}

private final class Box<T>: @unchecked Sendable {
  var value: T?
}
