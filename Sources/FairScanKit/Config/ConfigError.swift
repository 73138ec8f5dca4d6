/// Why `.fairscan.yml` could not be used. `description` is one lowercase line such as
/// `.fairscan.yml:3: unknown key 'exclude_path' (did you mean 'exclude_paths'?)`.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
  /// The text is not YAML; `line` is where the parser stopped (1-based).
  case syntax(file: String, line: Int, message: String)
  /// The YAML is well formed but a key is unknown or a value has the wrong shape.
  case invalid(file: String, line: Int?, message: String)

  public var description: String {
    switch self {
    case let .syntax(file, line, message):
      return "\(file):\(line): invalid yaml: \(message)"
    case let .invalid(file, line, message):
      return "\(line.map { "\(file):\($0)" } ?? file): \(message)"
    }
  }
}
