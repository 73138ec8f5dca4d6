/// How a request authenticated (never the credential itself).
public enum AuthKind: String, Sendable, Equatable, Codable {
  /// No Authorization header.
  case none
  /// A live access token.
  case accessToken = "access-token"
  /// A live API key (e.g. a liveness probe).
  case apiKey = "api-key"
  /// A credential was sent but rejected (unknown, expired, revoked, wrong type).
  case rejected
  /// Not an authenticated endpoint (login, refresh).
  case notApplicable = "-"
}

/// One line of the request log. It holds the method, the path with only the
/// `page`/`size` query values kept, the status and notes, and by construction
/// never a credential, a request body or an Authorization value.
public struct LoggedRequest: Sendable, Equatable, CustomStringConvertible {
  /// 1-based arrival number (the number fault injection counts with).
  public var sequence: Int
  public var method: String
  /// Path plus a redacted query (`page` and `size` values only; other values become `REDACTED`).
  public var path: String
  /// Status sent, or the status applied before a dropped connection.
  public var status: Int
  public var auth: AuthKind
  /// The id (not the value) of the API key used, when one authenticated.
  public var apiKeyID: String?
  /// What the emulator did beyond the normal answer: `injected-429`, `injected-503`,
  /// `dropped-connection`, `malformed-json`, a rejection reason.
  public var notes: [String]
  public var durationMilliseconds: Int

  public init(
    sequence: Int, method: String, path: String, status: Int, auth: AuthKind, apiKeyID: String? = nil,
    notes: [String] = [], durationMilliseconds: Int = 0
  ) {
    self.sequence = sequence
    self.method = method
    self.path = path
    self.status = status
    self.auth = auth
    self.apiKeyID = apiKeyID
    self.notes = notes
    self.durationMilliseconds = durationMilliseconds
  }

  public var description: String {
    var line = "#\(sequence) \(method) \(path) -> \(status) auth=\(auth.rawValue)"
    if let apiKeyID { line += " key-id=\(apiKeyID)" }
    if !notes.isEmpty { line += " [\(notes.joined(separator: ","))]" }
    line += " \(durationMilliseconds)ms"
    return line
  }

  /// Renders `path?query` keeping only `page` and `size` values.
  static func redact(path: String, query: String?) -> String {
    guard let query, !query.isEmpty else { return path }
    let kept = query.split(separator: "&", omittingEmptySubsequences: true).map { pair -> String in
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = String(parts[0])
      let allowed = name == "page" || name == "size"
      let value = parts.count > 1 ? String(parts[1]) : nil
      if allowed, let value, value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) {
        return "\(name)=\(value)"
      }
      // Keep the parameter's existence visible, never its value; odd names are hidden too.
      let safeName = name.count <= 32 && name.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "_") }) ? name : "param"
      return value == nil ? safeName : "\(safeName)=REDACTED"
    }
    return path + "?" + kept.joined(separator: "&")
  }
}
