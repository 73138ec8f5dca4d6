import Dispatch
import FairAPI
import FairScanKit
import Foundation

/// A FAIR API session for the commands: settings and credentials from the environment (or
/// the 0600 credentials file), never from command-line values.
struct FairSession {
  let client: FairClient
  let transport: AsyncHTTPClientTransport
  let configuration: FairConfiguration

  static func open() throws -> FairSession {
    let configuration: FairConfiguration
    let credentials: FairCredentials
    do {
      configuration = try FairConfiguration.fromEnvironment(clientVersion: FairScanVersion.current)
      credentials = try FairCredentials.resolve()
    } catch { throw CommandFailure.usage("\(error)") }
    let transport: AsyncHTTPClientTransport
    do { transport = try AsyncHTTPClientTransport(configuration: configuration) } catch {
      throw CommandFailure.usage("\(error)")
    }
    return FairSession(
      client: FairClient(configuration: configuration, credentials: credentials, transport: transport),
      transport: transport, configuration: configuration)
  }

  /// Runs `body` with the client and shuts the HTTP client down after; API errors become one
  /// line and exit bit 4.
  func run<T: Sendable>(_ body: @escaping @Sendable (FairClient) async throws -> T) throws -> T {
    let client = self.client, transport = self.transport
    let outcome = blocking {
      do {
        let value = try await body(client)
        try? await transport.shutdown()
        return Result<T, Error>.success(value)
      } catch {
        try? await transport.shutdown()
        return Result<T, Error>.failure(error)
      }
    }
    switch outcome {
    case .success(let value): return value
    case .failure(let error): throw CommandFailure(message: "\(error)", code: ExitStatus.apiFailure)
    }
  }

  /// The account's key inventory, read completely or marked incomplete (then every FAIR
  /// finding is `indeterminate`). The second value is the error that stopped the listing.
  func inventory() -> (KeyInventory, String?) {
    let digest: FairScanKit.KeyDigest =
      switch configuration.keyDigest {
      case .sha256: .sha256
      case .plain: .plain
      default: .unsupported
      }
    do {
      let keys = try run { client in try await client.listKeys() }
      return (KeyInventory(
        keys: keys.map {
          InventoryKey(id: $0.id, name: $0.name, keyHash: $0.keyHash ?? "", created: $0.created, expiresAt: $0.expiresAt)
        }, digest: digest), nil)
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
