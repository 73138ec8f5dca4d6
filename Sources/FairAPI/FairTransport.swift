import Foundation

/// One HTTP request as the client builds it.
public struct FairHTTPRequest: Sendable {
  public enum Method: String, Sendable { case GET, POST, DELETE }

  public var method: Method
  /// Absolute URL.
  public var url: String
  /// Header fields, in order.
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]?

  public init(method: Method, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }

  /// The first value of header `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }
}

/// One HTTP response, body read whole.
public struct FairHTTPResponse: Sendable {
  public var status: Int
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]

  public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  public init(status: Int, headers: [(name: String, value: String)] = [], json: String) {
    self.init(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
  }

  public func header(_ name: String) -> String? {
    headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
  }
}

/// A failure below HTTP. The kind decides whether a call without side effects
/// is retried.
public struct FairTransportError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// Connect or request timeout.
    case timeout
    /// The connection was reset or closed mid-exchange.
    case connectionReset
    /// No connection could be made (refused, DNS failure, unreachable).
    case connectFailed
    /// The TLS handshake or certificate verification failed (never retried).
    case tls
    /// Anything else (never retried).
    case other
  }

  public var kind: Kind
  /// A human description without credentials.
  public var reason: String

  public init(_ kind: Kind, _ reason: String) {
    self.kind = kind
    self.reason = reason
  }

  public var isTransient: Bool { kind == .timeout || kind == .connectionReset || kind == .connectFailed }
  public var description: String { reason }
}

/// The seam between the client and the network. The real one is
/// `AsyncHTTPClientTransport`; tests use a fake. A transport must not follow
/// redirects and must throw `FairTransportError` for failures below HTTP
/// (other errors are treated as `.other`).
public protocol FairTransport: Sendable {
  func send(_ request: FairHTTPRequest) async throws -> FairHTTPResponse
}

/// Waits between retries; injectable so tests don't wait.
public protocol FairSleeper: Sendable {
  func sleep(for duration: Duration) async throws
}

/// `Task.sleep`.
public struct TaskSleeper: FairSleeper {
  public init() {}
  public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
