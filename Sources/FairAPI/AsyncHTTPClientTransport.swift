import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The real transport: async-http-client with the configured connect and
/// request timeouts, TLS always verified (a configured CA file replaces the
/// system trust roots), and redirects never followed. Call `shutdown()` when
/// done.
public final class AsyncHTTPClientTransport: FairTransport {
  private let client: HTTPClient
  private let requestTimeout: TimeAmount
  /// The most response body read (4 MiB): key lists are small.
  public static let maxBodyBytes = 4 << 20

  public init(configuration: FairConfiguration) throws {
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.certificateVerification = .fullVerification
    if let path = configuration.caFile {
      do {
        let certificates = try NIOSSLCertificate.fromPEMFile(path)
        guard !certificates.isEmpty else {
          throw FairConfigurationError.caFileUnreadable(path: path, reason: "no PEM certificate in it")
        }
        tls.trustRoots = .certificates(certificates)
      } catch let error as FairConfigurationError {
        throw error
      } catch {
        throw FairConfigurationError.caFileUnreadable(path: path, reason: String(describing: error))
      }
    }
    let config = HTTPClient.Configuration(
      tlsConfiguration: tls,
      redirectConfiguration: .disallow,
      timeout: .init(
        connect: Self.timeAmount(configuration.connectTimeout), read: Self.timeAmount(configuration.requestTimeout)),
      decompression: .disabled)
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    requestTimeout = Self.timeAmount(configuration.requestTimeout)
  }

  public func send(_ request: FairHTTPRequest) async throws -> FairHTTPResponse {
    var outgoing = HTTPClientRequest(url: request.url)
    outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
    for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
    if let body = request.body {
      outgoing.body = .bytes(ByteBuffer(bytes: body))
    }
    do {
      let response = try await client.execute(outgoing, timeout: requestTimeout)
      let buffer = try await response.body.collect(upTo: Self.maxBodyBytes)
      return FairHTTPResponse(
        status: Int(response.status.code),
        headers: response.headers.map { ($0.name, $0.value) },
        body: Array(buffer.readableBytesView))
    } catch let error as CancellationError {
      throw error
    } catch {
      throw Self.classify(error)
    }
  }

  public func shutdown() async throws {
    try await client.shutdown()
  }

  static func classify(_ error: Error) -> FairTransportError {
    let text = String(describing: error)
    if let e = error as? HTTPClientError {
      switch e {
      case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout,
        .getConnectionFromPoolTimeout:
        return FairTransportError(.timeout, "timed out (\(e))")
      case .remoteConnectionClosed:
        return FairTransportError(.connectionReset, "connection closed by the server")
      case .cancelled:
        return FairTransportError(.other, "cancelled")
      default:
        return FairTransportError(.other, text)
      }
    }
    if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
      return FairTransportError(.tls, Self.tlsMessage(text))
    }
    if let e = error as? IOError {
      switch e.errnoCode {
      case ECONNRESET, EPIPE: return FairTransportError(.connectionReset, "connection reset")
      case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH: return FairTransportError(.connectFailed, text)
      case ETIMEDOUT: return FairTransportError(.timeout, "timed out")
      default: return FairTransportError(.other, text)
      }
    }
    if error is NIOConnectionError || error is SocketAddressError {
      return FairTransportError(.connectFailed, "cannot connect: \(text)")
    }
    if let e = error as? ChannelError {
      switch e {
      case .connectTimeout: return FairTransportError(.timeout, "connect timed out")
      case .ioOnClosedChannel, .eof, .alreadyClosed: return FairTransportError(.connectionReset, "connection closed")
      default: return FairTransportError(.other, text)
      }
    }
    if text.localizedCaseInsensitiveContains("certificate") || text.localizedCaseInsensitiveContains("handshake") {
      return FairTransportError(.tls, Self.tlsMessage(text))
    }
    return FairTransportError(.other, text)
  }

  /// One readable line for a TLS failure; an untrusted certificate says how to trust a private CA.
  static func tlsMessage(_ text: String) -> String {
    if text.contains("CERTIFICATE_VERIFY_FAILED") {
      return
        "TLS failure: the server's certificate is not trusted (CERTIFICATE_VERIFY_FAILED); for a private CA pass --ca-file FILE or set FAIR_CA_FILE"
    }
    if text.contains("CERTIFICATE_VERIFY") || text.localizedCaseInsensitiveContains("hostname") {
      return "TLS failure: the server's certificate does not match the host (\(text.split(separator: "(").first ?? ""))"
    }
    return "TLS failure: \(text)"
  }

  static func timeAmount(_ d: Duration) -> TimeAmount {
    let c = d.components
    return .nanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
  }
}
