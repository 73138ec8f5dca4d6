import FairScanGit
import FairScanKit
import FairScanRegex
import FairScanSQLite

/// What `fairscan --version` prints: the version on the first line, then what a bug report
/// needs besides it: the digest of the built-in rules (`RuleSet.digest`, as the scan cache keys
/// on it) and the versions of the C libraries the binary runs with.
enum VersionReport {
  static var text: String {
    var lines = [FairScanVersion.current]
    do {
      let rules = try BuiltinRules.rules()
      lines.append("rules:       \(try RuleSet(rules: rules).digest) (\(rules.count) built-in rules, SHA-256)")
    } catch {
      lines.append("rules:       unavailable: \(error)")
    }
    lines.append("libgit2:     \(GitLibraryVersions.libgit2)")
    lines.append("libdeflate:  \(GitLibraryVersions.libdeflate)")
    lines.append("PCRE2:       \(RegexLibraryVersions.pcre2)")
    lines.append("Vectorscan:  \(RegexLibraryVersions.vectorscan)")
    lines.append("SQLite:      \(SQLiteLibraryVersion.current)")
    return lines.joined(separator: "\n") + "\n"
  }
}
