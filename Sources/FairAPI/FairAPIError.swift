import Foundation

/// The calls the client makes, named in errors.
public enum FairOperation: String, Sendable, CustomStringConvertible {
  case login = "login"
  case refresh = "token refresh"
  case listKeys = "list API keys"
  case createKey = "create API key"
  case revokeKey = "revoke API key"
  case probe = "probe API key"

  public var description: String { rawValue }
}

/// A failed FAIR API call. Its text names the operation, the HTTP status and
/// the server's own message (from JSON `detail` / `message`), with every
/// credential the client knows replaced by `<redacted>`; it never carries a
/// token, a password or an API key.
public enum FairAPIError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
  /// The server answered with an error status.
  case http(operation: FairOperation, status: Int, message: String?)
  /// The server answered 2xx but the body is not the JSON the contract describes.
  case malformedResponse(operation: FairOperation, status: Int, reason: String)
  /// The server answered 3xx. Redirects are never followed, so that the
  /// Authorization header cannot leak to another host.
  case redirect(operation: FairOperation, status: Int, locationHost: String?)
  /// `429` with a `Retry-After` longer than the configured cap, or still `429`
  /// after every attempt.
  case rateLimited(operation: FairOperation, retryAfterSeconds: Int?)
  /// No answer: connect failure, connection reset, timeout, TLS failure (after
  /// the retries the operation allows).
  case transport(operation: FairOperation, reason: String, attempts: Int)
  /// The operation needs a username and password (a login) but the client
  /// holds an API key only.
  case loginNotPossible(operation: FairOperation)
  /// The run's budget for FAIR calls (`run_budget`) is spent: the call was not
  /// made, or was cut off, or its next retry would not fit.
  case budgetExhausted(operation: FairOperation, budgetSeconds: Double)

  public var operation: FairOperation {
    switch self {
    case .http(let op, _, _), .malformedResponse(let op, _, _), .redirect(let op, _, _),
      .rateLimited(let op, _), .transport(let op, _, _), .loginNotPossible(let op), .budgetExhausted(let op, _):
      return op
    }
  }

  /// The HTTP status, when the server answered.
  public var status: Int? {
    switch self {
    case .http(_, let s, _), .malformedResponse(_, let s, _), .redirect(_, let s, _): return s
    case .rateLimited: return 429
    case .transport, .loginNotPossible, .budgetExhausted: return nil
    }
  }

  /// The server's message (`detail` / `message`), already redacted.
  public var serverMessage: String? {
    if case .http(_, _, let m) = self { return m }
    return nil
  }

  /// Whether the server refused the credentials (401 / 403).
  public var isAuthenticationFailure: Bool { status == 401 || status == 403 }

  public var description: String {
    switch self {
    case .http(let op, let status, let message):
      var text = "FAIR \(op) failed: HTTP \(status)"
      if let reason = Self.reasonPhrase(status) { text += " \(reason)" }
      if let message, !message.isEmpty { text += ": \(message)" }
      return text
    case .malformedResponse(let op, let status, let reason):
      return "FAIR \(op) failed: malformed response (HTTP \(status)): \(reason)"
    case .redirect(let op, let status, let host):
      return "FAIR \(op) failed: HTTP \(status) redirect to \(host ?? "an unnamed location") was not followed"
        + " (redirects are refused so that credentials never go to another host; check the base URL)"
    case .rateLimited(let op, let seconds):
      if let seconds { return "FAIR \(op) failed: rate limited (HTTP 429), server asks to retry after \(seconds) s" }
      return "FAIR \(op) failed: rate limited (HTTP 429) on every attempt"
    case .transport(let op, let reason, let attempts):
      return "FAIR \(op) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason)"
    case .loginNotPossible(let op):
      return "FAIR \(op) needs FAIR_USERNAME and FAIR_PASSWORD (or username/password in the credentials file);"
        + " an API key cannot log in"
    case .budgetExhausted(let op, let budget):
      return "FAIR \(op) stopped: the run's budget of \(FairDeadline.text(.seconds(budget))) for FAIR calls is spent"
        + " (FAIR_RUN_BUDGET / run_budget)"
    }
  }

  public var errorDescription: String? { description }

  static func reasonPhrase(_ status: Int) -> String? {
    switch status {
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 409: "Conflict"
    case 422: "Unprocessable Entity"
    case 429: "Too Many Requests"
    case 500: "Internal Server Error"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    default: nil
    }
  }
}

/// Scrubs credentials out of text that came from the server or a transport
/// error before it is put into a `FairAPIError`.
struct Redactor: Sendable {
  var secrets: [String] = []

  func redact(_ text: String) -> String {
    var out = text
    // Longest first, so a secret that contains another is removed whole.
    for secret in secrets.filter({ $0.count >= 4 }).sorted(by: { $0.count > $1.count }) {
      out = out.replacingOccurrences(of: secret, with: "<redacted>")
    }
    out = Self.redactBearer(out)
    out = Self.redactJWTs(out)
    // Control characters (terminal escapes) out, and a bounded length.
    out = String(
      String.UnicodeScalarView(
        out.unicodeScalars.map {
          $0.properties.generalCategory == .control ? " " : $0
        }))
    if out.count > 300 { out = String(out.prefix(300)) + "…" }
    return out
  }

  /// `Bearer <anything>` → `Bearer <redacted>`.
  static func redactBearer(_ text: String) -> String {
    guard let regex = try? NSRegularExpression(pattern: "(?i)(bearer)\\s+[^\\s\"',;]+") else { return text }
    let range = NSRange(text.startIndex..., in: text)
    return regex.stringByReplacingMatches(in: text, range: range, withTemplate: "$1 <redacted>")
  }

  /// Anything shaped like a JWT (`xxx.yyy.zzz`, base64url, starting `eyJ`).
  static func redactJWTs(_ text: String) -> String {
    guard let regex = try? NSRegularExpression(pattern: "eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*")
    else { return text }
    let range = NSRange(text.startIndex..., in: text)
    return regex.stringByReplacingMatches(in: text, range: range, withTemplate: "<redacted>")
  }
}
