import FairScanGit

/// The report for people: one block per finding, blocks separated by a blank line.
///
/// Everything that came from scanned content goes through `TerminalSafe`; the only
/// escape sequences in the output are the SGR codes below, and only when `color` is on.
enum TextReport {
  static let noFindings = "no secrets found"
  /// Commits listed under one location before "… N more commits".
  static let maxCommitsPerLocation = 3

  static func render(_ report: ScanReport, options: ReportOptions) -> String {
    guard !report.findings.isEmpty else { return noFindings + "\n" }
    return report.findings.map { block($0, options: options) }.joined(separator: "\n")
  }

  static func block(_ f: Finding, options: ReportOptions) -> String {
    var lines: [String] = []
    lines.append("\(severityLabel(f.severity, color: options.color))  \(safe(f.ruleName)) (\(safe(f.ruleID)))")
    lines.append("  \(place(f.path)):\(f.line):\(f.column)")
    lines.append("  secret:       \(safe(f.secret))")
    lines.append("  fingerprint:  \(safe(f.fingerprint))")
    let status = statusWords(f)
    if !status.isEmpty { lines.append("  status:       \(status.joined(separator: ", "))") }
    if let expires = f.expiresAt {
      let type = f.tokenType.map { "\(safe($0)) token, " } ?? ""
      lines.append("  token:        \(type)\(f.expired == true ? "expired" : "expires") \(safe(expires))")
    }
    if let status = f.keyStatus {
      var line = "  key status:   \(status.rawValue)"
      if let key = f.key {
        line +=
          " (your key \(safe(key.id)) \"\(safe(key.name))\"" + (key.exposureDays.map { ", exposed \($0) days" } ?? "")
          + ")"
      }
      if let probe = f.probe { line += "; probe: \(probe.rawValue)" }
      lines.append(line)
    }
    if let environments = f.environments {
      lines.append("  environments: \(environments.map(safe).joined(separator: ", "))")
    }
    if let authors = f.authors { lines.append("  authors:      \(authors.map(safe).joined(separator: ", "))") }
    let marks = f.tags.filter { $0 == "frontend" || $0 == "encoded" }
    if !marks.isEmpty { lines.append("  tags:         \(marks.joined(separator: ", "))") }

    let shown = f.locations.prefix(options.maxLocations)
    lines.append("  locations:    \(f.locations.count)")
    for location in shown { lines += locationLines(location) }
    if f.locations.count > shown.count {
      let more = f.locations.count - shown.count
      lines.append("    … \(more) more location\(more == 1 ? "" : "s")")
    }
    if !f.hint.isEmpty { lines.append("  fix: \(safe(f.hint))") }
    return lines.map { $0 + "\n" }.joined()
  }

  static func locationLines(_ l: Location) -> [String] {
    var head = "    - \(sourceLabel(l.source))  \(place(l.path)):\(l.line):\(l.column)"
    if let blob = l.blob { head += "  blob \(short(blob))" }
    if l.unreachable { head += "  [unreachable]" }
    if let encoding = l.encoding { head += "  [\(safe(encoding))-encoded]" }
    var lines = [head]
    for commit in l.commits.prefix(maxCommitsPerLocation) {
      let lead = commit.introducedAtOrBefore == true ? "at or before commit" : "commit"
      var line =
        "      \(lead) \(short(commit.id))  \(safe(commit.date))  \(safe(commit.author))  \(safe(commit.summary))"
      if commit.unreachable { line += "  [unreachable]" }
      lines.append(line)
    }
    if l.commits.count > maxCommitsPerLocation {
      let more = l.commits.count - maxCommitsPerLocation
      lines.append("      … \(more) more commit\(more == 1 ? "" : "s")")
    }
    if !l.snippet.isEmpty { lines.append("      > \(safe(l.snippet))") }
    return lines
  }

  static func statusWords(_ f: Finding) -> [String] {
    var words: [String] = []
    if let head = f.presentAtHead { words.append(head ? "present at HEAD" : "not at HEAD") }
    if let worktree = f.inWorktree { words.append(worktree ? "in worktree" : "not in worktree") }
    if !f.locations.isEmpty && f.locations.allSatisfy(\.unreachable) { words.append("only in unreachable objects") }
    return words
  }

  static func sourceLabel(_ source: SourceKind) -> String {
    switch source {
    case .blob: return "history"
    case .worktree: return "worktree"
    case .index: return "staged"
    case .file: return "file"
    case .stdin: return "stdin"
    case .commitMessage: return "commit message"
    case .tagMessage: return "tag message"
    }
  }

  /// The severity in capitals, padded to a fixed width, coloured when asked.
  static func severityLabel(_ severity: Severity, color: Bool) -> String {
    let word = severity.rawValue.uppercased()
    let padded = word + String(repeating: " ", count: max(0, 8 - word.count))
    guard color else { return padded }
    return sgr(severity) + word + sgrReset + String(repeating: " ", count: max(0, 8 - word.count))
  }

  static let sgrReset = "\u{1b}[0m"

  static func sgr(_ severity: Severity) -> String {
    switch severity {
    case .critical: return "\u{1b}[1;31m"
    case .high: return "\u{1b}[31m"
    case .medium: return "\u{1b}[33m"
    case .low: return "\u{1b}[36m"
    case .info: return "\u{1b}[2m"
    }
  }

  /// Every SGR sequence this renderer may write.
  static var ownEscapeSequences: [String] { Severity.allCases.map(sgr) + [sgrReset] }

  static func short(_ id: String) -> String { safe(String(id.prefix(7))) }
  static func safe(_ s: String) -> String { TerminalSafe.string(s) }
  /// A path as git shows it: quoted, with octal escapes, when it is not valid UTF-8.
  static func place(_ path: String) -> String { safe(PathBytes.quoted(path)) }
}
