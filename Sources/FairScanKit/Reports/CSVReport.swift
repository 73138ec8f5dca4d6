import FairScanGit

/// RFC 4180 CSV: a header, then one row per location of every finding, CRLF line ends.
///
/// Cells taken from scanned content go through `TerminalSafe`, and any cell that a
/// spreadsheet would read as a formula gets a leading apostrophe.
enum CSVReport {
  static let header = [
    "rule_id", "severity", "path", "line", "column", "secret", "secret_sha256",
    "fingerprint", "commit", "author", "date", "source",
  ]

  static func render(_ report: ScanReport) -> String {
    var out = row(header)
    for finding in report.findings {
      for location in finding.locations { out += row(cells(finding, location)) }
    }
    return out
  }

  /// A location introduced by several commits lists them in order: ids separated by
  /// spaces, authors by "; ", dates by spaces.
  static func cells(_ f: Finding, _ l: Location) -> [String] {
    let safe = TerminalSafe.string as (String) -> String
    return [
      safe(f.ruleID), f.severity.rawValue, safe(PathBytes.quoted(l.path)), String(l.line), String(l.column),
      safe(f.secret), safe(f.secretSHA256), safe(f.fingerprint),
      l.commits.map { safe($0.id) }.joined(separator: " "),
      l.commits.map { author($0) }.joined(separator: "; "),
      l.commits.map { safe($0.date) }.joined(separator: " "),
      l.source.rawValue,
    ]
  }

  static func author(_ c: CommitRef) -> String {
    c.email.isEmpty ? TerminalSafe.string(c.author) : TerminalSafe.string("\(c.author) <\(c.email)>")
  }

  static func row(_ cells: [String]) -> String {
    cells.map { quote(neutralize($0)) }.joined(separator: ",") + "\r\n"
  }

  /// Prefixes an apostrophe to a cell that starts with `=`, `+`, `-`, `@`, tab or CR.
  static func neutralize(_ cell: String) -> String {
    guard let first = cell.unicodeScalars.first else { return cell }
    switch first {
    case "=", "+", "-", "@", "\t", "\r": return "'" + cell
    default: return cell
    }
  }

  /// Quotes a cell holding a comma, quote, CR or LF, doubling its quotes (RFC 4180 §2).
  static func quote(_ cell: String) -> String {
    guard cell.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else {
      return cell
    }
    return "\"" + cell.replacingAll("\"", with: "\"\"") + "\""
  }
}
