/// The `fair_hosts` setting: hosts that serve the FAIR API besides those the rules know
/// (`fair-dev.gradiant.org`, hosts whose first label starts with `fair`). They are added to
/// the fragment `fair-host` when the rule set is built, and every rule whose pattern uses that
/// fragment gets them as keywords, so it also runs where only such a host names FAIR.
public enum FairHosts {
  public static let fragmentName = "fair-host"

  /// Why `host` cannot be a FAIR host entry, or nil: a host name (letters, digits, dots,
  /// dashes; at least three characters), without scheme, port or path.
  public static func problem(with host: String) -> String? {
    let labels = host.split(separator: ".", omittingEmptySubsequences: false)
    let valid =
      host.utf8.count >= 3 && host.utf8.count <= 253
      && labels.allSatisfy { label in
        !label.isEmpty && label.first != "-" && label.last != "-"
          && label.utf8.allSatisfy { $0 == UInt8(ascii: "-") || isAlphanumeric($0) }
      }
    return valid ? nil : "'\(host)' is not a host name like fair.internal.example (no scheme, port or path)"
  }

  /// `table` with its `fair-host` fragment also matching `hosts` (any case, as whole host
  /// names), and `hosts` (lowercased) as keywords of the rules using it. Unchanged when
  /// `hosts` is empty or the table has no such fragment.
  public static func table(_ table: FragmentTable, adding hosts: [String]) -> FragmentTable {
    guard !hosts.isEmpty, var fragment = table[fragmentName] else { return table }
    let names = hosts.map { $0.lowercased() }
    let alternatives = names.map { name in
      "(?i:(?<![a-z0-9-])" + name.replacingOccurrences(of: ".", with: "\\.") + "(?![a-z0-9-]|\\.[a-z0-9]))"
    }
    fragment.pattern = "(?:" + ([fragment.pattern] + alternatives).joined(separator: "|") + ")"
    fragment.sourceFile = "fair_hosts"
    return table.replacing(fragment, keywords: names)
  }

  private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
      || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
  }
}
