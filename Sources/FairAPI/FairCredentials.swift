import FairScanSystem
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why credentials could not be had. The text names variables and files,
/// never a value.
public enum FairCredentialsError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
  /// Nothing in the environment and no credentials file.
  case notFound(file: String)
  /// `FAIR_USERNAME` without `FAIR_PASSWORD` or the reverse.
  case incompleteEnvironment(missing: String)
  /// The file is readable or writable by group or others.
  case insecurePermissions(file: String, mode: String)
  case unreadableFile(file: String, reason: String)
  /// A line that is not `key = value`, a `[section]` or a comment.
  case malformedFile(file: String, line: Int, reason: String)
  /// The file holds no `api_key` and no `username` + `password`.
  case incompleteFile(file: String, reason: String)

  public var description: String {
    switch self {
    case .notFound(let file):
      return "no FAIR credentials: set FAIR_API_KEY, or FAIR_USERNAME and FAIR_PASSWORD, or create \(file)"
        + " (mode 0600) with `api_key = …` or `username = …` and `password = …`"
    case .incompleteEnvironment(let missing):
      return "incomplete FAIR credentials in the environment: \(missing) is not set"
        + " (FAIR_USERNAME and FAIR_PASSWORD go together)"
    case .insecurePermissions(let file, let mode):
      return "refusing credentials file \(file): its mode is \(mode), readable or writable by group or others;"
        + " it must be 0600. Fix: chmod 600 \(file)"
    case .unreadableFile(let file, let reason):
      return "cannot read credentials file \(file): \(reason)"
    case .malformedFile(let file, let line, let reason):
      return "credentials file \(file), line \(line): \(reason)"
    case .incompleteFile(let file, let reason):
      return "credentials file \(file): \(reason)"
    }
  }

  public var errorDescription: String? { description }
}

/// The credentials fairscan itself uses to talk to FAIR, resolved in the
/// contract's order: `FAIR_API_KEY`; else `FAIR_USERNAME` + `FAIR_PASSWORD`;
/// else the credentials file (`~/.config/fairscan/credentials`, mode 0600).
///
/// There is deliberately no way to build credentials from a command-line
/// value. Nothing here prints a credential: `description` and `dump` show
/// only the kind and where it came from.
public struct FairCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  public enum Kind: Sendable {
    case apiKey(FairSecret)
    case password(username: FairSecret, password: FairSecret)
  }

  public let kind: Kind
  /// Where they came from: `FAIR_API_KEY`, `FAIR_USERNAME/FAIR_PASSWORD`, or the file's path.
  public let source: String

  /// For tests only (`@testable`): there is deliberately no public way to
  /// build credentials from a value a caller holds, such as a command-line
  /// argument; `resolve` is the way in.
  static func apiKey(_ key: FairSecret, source: String = "API key") -> FairCredentials {
    FairCredentials(kind: .apiKey(key), source: source)
  }

  static func password(username: String, password: FairSecret, source: String = "username/password")
    -> FairCredentials
  {
    FairCredentials(kind: .password(username: FairSecret(username), password: password), source: source)
  }

  init(kind: Kind, source: String) {
    self.kind = kind
    self.source = source
  }

  public var isAPIKey: Bool {
    if case .apiKey = kind { return true }
    return false
  }

  public var description: String {
    switch kind {
    case .apiKey: return "FairCredentials(api key <redacted>, from \(source))"
    case .password: return "FairCredentials(username <redacted>, password <redacted>, from \(source))"
    }
  }

  public var debugDescription: String { description }
  public var customMirror: Mirror { Mirror(self, children: ["source": source], displayStyle: .struct) }

  /// The environment variables `resolve` and `defaultFilePath` read.
  public static let environmentNames = [
    "FAIR_API_KEY", "FAIR_USERNAME", "FAIR_PASSWORD", "FAIR_CREDENTIALS_FILE", "FAIR_PROFILE", "HOME",
  ]

  /// The process's values of `environmentNames` (`Environment`, `getenv`): what `resolve` reads by default.
  /// Not `ProcessInfo`'s environment, whose first use copies every variable (0.2 ms of a hook).
  public static func processEnvironment() -> [String: String] {
    var values: [String: String] = [:]
    for name in environmentNames { values[name] = Environment.value(name) }
    return values
  }

  /// `$HOME/.config/fairscan/credentials`.
  public static func defaultFilePath(environment: [String: String] = processEnvironment()) -> String {
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return (home.hasSuffix("/") ? home : home + "/") + ".config/fairscan/credentials"
  }

  /// Resolves credentials in the contract's order.
  /// - Parameters:
  ///   - file: the credentials file; default `FAIR_CREDENTIALS_FILE`, else `defaultFilePath`.
  ///   - profile: the `[section]` to read; default `FAIR_PROFILE`, else `default`.
  ///     Lines before any section header apply to every profile.
  public static func resolve(
    environment: [String: String] = processEnvironment(),
    file: String? = nil,
    profile: String? = nil
  ) throws -> FairCredentials {
    func env(_ name: String) -> String? {
      guard let v = environment[name], !v.isEmpty else { return nil }
      return v
    }
    if let key = env("FAIR_API_KEY") {
      return FairCredentials(kind: .apiKey(FairSecret(key)), source: "FAIR_API_KEY")
    }
    switch (env("FAIR_USERNAME"), env("FAIR_PASSWORD")) {
    case (let u?, let p?):
      return FairCredentials(
        kind: .password(username: FairSecret(u), password: FairSecret(p)), source: "FAIR_USERNAME/FAIR_PASSWORD")
    case (_?, nil): throw FairCredentialsError.incompleteEnvironment(missing: "FAIR_PASSWORD")
    case (nil, _?): throw FairCredentialsError.incompleteEnvironment(missing: "FAIR_USERNAME")
    case (nil, nil): break
    }
    let path = file ?? env("FAIR_CREDENTIALS_FILE") ?? defaultFilePath(environment: environment)
    return try fromFile(path, profile: profile ?? env("FAIR_PROFILE") ?? "default")
  }

  /// Reads a credentials file, refusing one that group or others can read or write.
  public static func fromFile(_ path: String, profile: String = "default") throws -> FairCredentials {
    var info = stat()
    guard stat(path, &info) == 0 else {
      let code = errno
      if code == ENOENT { throw FairCredentialsError.notFound(file: path) }
      throw FairCredentialsError.unreadableFile(file: path, reason: String(cString: strerror(code)))
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw FairCredentialsError.unreadableFile(file: path, reason: "not a regular file")
    }
    let permissions = UInt32(info.st_mode) & 0o777
    if permissions & 0o077 != 0 {
      throw FairCredentialsError.insecurePermissions(file: path, mode: String(format: "%04o", permissions))
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FairCredentialsError.unreadableFile(file: path, reason: "permission denied")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw FairCredentialsError.unreadableFile(file: path, reason: "not UTF-8 text")
    }
    return try parse(text, path: path, profile: profile)
  }

  /// Parses the file format: `key = value` lines, `[section]` headers, `#` or
  /// `;` comment lines. Values may be quoted. Keys: `api_key`, `username`,
  /// `password` (others are ignored).
  static func parse(_ text: String, path: String, profile: String) throws -> FairCredentials {
    var global: [String: String] = [:]
    var sections: [String: [String: String]] = [:]
    var current: String? = nil
    for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("[") {
        guard line.hasSuffix("]"), line.count > 2 else {
          throw FairCredentialsError.malformedFile(file: path, line: index + 1, reason: "a section header is `[name]`")
        }
        let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        current = name
        sections[name, default: [:]] = sections[name] ?? [:]
        continue
      }
      guard let eq = line.firstIndex(of: "=") else {
        // No value is echoed: the line may be a bare secret.
        throw FairCredentialsError.malformedFile(file: path, line: index + 1, reason: "expected `key = value`")
      }
      let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
      var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
      if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
        value = String(value.dropFirst().dropLast())
      }
      if let current { sections[current, default: [:]][key] = value } else { global[key] = value }
    }
    var chosen = global
    if let section = sections[profile] {
      chosen.merge(section) { _, new in new }
    } else if !sections.isEmpty && global.isEmpty {
      let names = sections.keys.sorted().joined(separator: ", ")
      throw FairCredentialsError.incompleteFile(
        file: path, reason: "no [\(profile)] section (sections: \(names)); set FAIR_PROFILE or add [\(profile)]")
    }
    func nonEmpty(_ k: String) -> String? { chosen[k].flatMap { $0.isEmpty ? nil : $0 } }
    if let key = nonEmpty("api_key") {
      return FairCredentials(kind: .apiKey(FairSecret(key)), source: path)
    }
    switch (nonEmpty("username"), nonEmpty("password")) {
    case (let u?, let p?):
      return FairCredentials(kind: .password(username: FairSecret(u), password: FairSecret(p)), source: path)
    case (_?, nil): throw FairCredentialsError.incompleteFile(file: path, reason: "username without password")
    case (nil, _?): throw FairCredentialsError.incompleteFile(file: path, reason: "password without username")
    case (nil, nil):
      throw FairCredentialsError.incompleteFile(file: path, reason: "no api_key, and no username and password")
    }
  }
}
