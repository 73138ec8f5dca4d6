import Foundation
import Yams

/// The repository's `.fairscan.yml`:
///
/// ```yaml
/// exclude_paths: ["vendor/**", "**/*.min.js"]   # globs (see Glob) of paths never scanned
/// disable_rules: [generic.password-assignment]   # rule ids to skip
/// rules: [extra-rules/]                          # more rule files or folders
/// max_file_size: 50MiB                           # bytes, or with a KiB/MiB/GiB suffix
/// verify: false                                  # true: every scan compares with the FAIR key inventory
/// fair_hosts: [fair.internal.example]             # more hosts serving the FAIR API (see FairHosts)
/// ```
///
/// `parse` keeps `rules` entries as written; `load(path:)` resolves relative entries
/// against the config file's folder.
public struct ScanConfig: Sendable, Equatable {
  public var excludePaths: [String]
  public var disableRules: [String]
  public var ruleFiles: [String]
  public var maxFileSize: Int?
  /// Compare findings with the FAIR key inventory, as `--verify` does (an API call per scan,
  /// the hooks' included). Off by default: scans are offline unless asked.
  public var verify: Bool
  /// Hosts of FAIR deployments the rules don't know (`fair.internal.example`): FAIR keys are
  /// found next to them as next to `fair-dev.gradiant.org`.
  public var fairHosts: [String]

  public init() {
    excludePaths = []; disableRules = []; ruleFiles = []; maxFileSize = nil; verify = false; fairHosts = []
  }

  /// The file name fairscan looks for at a repository's root.
  public static let fileName = ".fairscan.yml"

  static let knownKeys = ["exclude_paths", "disable_rules", "rules", "max_file_size", "verify", "fair_hosts"]
}

extension ScanConfig {
  /// Parses a config document; an empty document is the default config.
  public static func parse(yaml: String, file: String) throws(ConfigError) -> ScanConfig {
    var config = ScanConfig()
    do throws(YAMLProblem) {
      guard let root = try YAMLReader.compose(yaml) else { return config }
      if case let .scalar(scalar) = root, scalar.style == .plain, ["", "~", "null"].contains(scalar.string) {
        return config
      }
      for field in try YAMLReader.fields(of: root, what: "the config") {
        switch field.key {
        case "exclude_paths":
          config.excludePaths = try YAMLReader.strings(field.value, field: field.key).map(\.value)
        case "disable_rules":
          config.disableRules = try YAMLReader.strings(field.value, field: field.key).map(\.value)
        case "rules":
          config.ruleFiles = try YAMLReader.strings(field.value, field: field.key).map(\.value)
        case "max_file_size":
          let text = try YAMLReader.string(field.value, field: field.key)
          guard let size = parseByteSize(text), size > 0 else {
            throw YAMLProblem(
              line: field.value.mark?.line ?? field.line,
              message: "'max_file_size' must be a positive byte count like 1048576 or 50MiB, not '\(text)'")
          }
          config.maxFileSize = size
        case "verify":
          let text = try YAMLReader.string(field.value, field: field.key)
          switch text {
          case "true": config.verify = true
          case "false": config.verify = false
          default:
            throw YAMLProblem(
              line: field.value.mark?.line ?? field.line, message: "'verify' must be true or false, not '\(text)'")
          }
        case "fair_hosts":
          for host in try YAMLReader.strings(field.value, field: field.key) {
            if let problem = FairHosts.problem(with: host.value) {
              throw YAMLProblem(line: host.line ?? field.line, message: "'fair_hosts': \(problem)")
            }
            config.fairHosts.append(host.value)
          }
        default:
          throw YAMLReader.unknownKey(field, known: knownKeys)
        }
      }
      return config
    } catch let problem {
      if problem.isSyntax { throw .syntax(file: file, line: problem.line ?? 1, message: problem.message) }
      throw .invalid(file: file, line: problem.line, message: problem.message)
    }
  }

  /// Reads the config file at `path`; nil when there is no such file. Relative
  /// `rules` entries are resolved against the file's folder.
  public static func load(path: String) throws(ConfigError) -> ScanConfig? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
    guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
      throw .invalid(file: path, line: nil, message: "cannot read the config file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .invalid(file: path, line: nil, message: "the config file is not valid utf-8")
    }
    var config = try parse(yaml: text, file: path)
    let folder = (path as NSString).deletingLastPathComponent
    config.ruleFiles = config.ruleFiles.map { entry in
      entry.hasPrefix("/") || folder.isEmpty ? entry : (folder as NSString).appendingPathComponent(entry)
    }
    return config
  }
}
