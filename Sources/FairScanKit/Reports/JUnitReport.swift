import FairScanGit

/// JUnit XML, the test-report format CI systems show (GitLab's `artifacts:reports:junit`, Jenkins,
/// Azure DevOps, GitHub test-report actions).
///
/// One `<testsuite>` for the scan. Each finding is a failed `<testcase>` named after its rule
/// and place, with the redacted secret, fingerprint, locations and hint in the failure text; a
/// clean scan has one passing test case, so the CI page shows the scan ran. An incomplete scan
/// adds a test case with an `<error>` saying why, so it never reads as a clean pass.
enum JUnitReport {
  static func render(_ report: ScanReport) -> String {
    let findings = report.findings
    let incomplete = !report.summary.isComplete
    let tests = max(findings.count, 1) + (incomplete ? 1 : 0)
    let errors = incomplete ? 1 : 0
    let time = String(format: "%.3f", report.summary.elapsedSeconds)
    let suite = "fairscan " + report.target
    var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
    out +=
      "<testsuites name=\"fairscan\" tests=\"\(tests)\" failures=\"\(findings.count)\" errors=\"\(errors)\" time=\"\(time)\">\n"
    out +=
      "  <testsuite name=\"\(attribute(suite))\" tests=\"\(tests)\" failures=\"\(findings.count)\" errors=\"\(errors)\" skipped=\"0\" time=\"\(time)\">\n"
    out += "    <properties>\n"
    out += "      <property name=\"fairscan.version\" value=\"\(attribute(report.version))\"/>\n"
    out += "      <property name=\"fairscan.bytes_scanned\" value=\"\(report.summary.bytesScanned)\"/>\n"
    out += "    </properties>\n"
    for finding in findings {
      let place = "\(PathBytes.quoted(finding.path)):\(finding.line)"
      out +=
        "    <testcase name=\"\(attribute("\(finding.ruleID) \(place)"))\" classname=\"\(attribute("fairscan." + finding.ruleID))\""
      out += " file=\"\(attribute(PathBytes.quoted(finding.path)))\" line=\"\(finding.line)\">\n"
      let message = "\(finding.ruleName) (\(finding.severity.rawValue)) at \(place): \(finding.secret)"
      out += "      <failure message=\"\(attribute(message))\" type=\"\(attribute(finding.ruleID))\">"
      out += text(details(finding))
      out += "</failure>\n"
      out += "    </testcase>\n"
    }
    if findings.isEmpty {
      out += "    <testcase name=\"no secrets found\" classname=\"fairscan\"/>\n"
    }
    if incomplete {
      let why = report.summary.incomplete.joined(separator: "; ")
      out += "    <testcase name=\"scan completeness\" classname=\"fairscan\">\n"
      out += "      <error message=\"\(attribute("the scan is incomplete: " + why))\" type=\"incomplete\">"
      out += text(report.summary.incomplete.joined(separator: "\n"))
      out += "</error>\n"
      out += "    </testcase>\n"
    }
    out += "  </testsuite>\n</testsuites>\n"
    return out
  }

  static func details(_ f: Finding) -> String {
    var lines = [
      "rule: \(f.ruleID) (\(f.ruleName))", "severity: \(f.severity.rawValue)", "secret: \(f.secret)",
      "fingerprint: \(f.fingerprint)",
    ]
    if let status = f.keyStatus {
      lines.append("key status: \(status.rawValue)" + (f.key.map { " (key \($0.id) \"\($0.name)\")" } ?? ""))
    }
    for location in f.locations.prefix(20) {
      let commit =
        location.commits.first.map {
          ($0.introducedAtOrBefore == true ? " at or before commit " : " commit ") + "\($0.id.prefix(12)) \($0.date)"
        } ?? ""
      lines.append(
        "at \(PathBytes.quoted(location.path)):\(location.line):\(location.column) [\(location.source.rawValue)]\(commit)"
      )
    }
    if f.locations.count > 20 { lines.append("… \(f.locations.count - 20) more locations") }
    if !f.hint.isEmpty { lines.append("fix: \(f.hint)") }
    lines.append("false positive? add 'fairscan:allow' on the line, or the fingerprint to .fairscanignore")
    return lines.joined(separator: "\n")
  }

  /// Text content: escaped, terminal-safe, and only characters XML 1.0 allows.
  static func text(_ s: String) -> String { escape(s, quotes: false) }

  /// An attribute value (double-quoted).
  static func attribute(_ s: String) -> String { escape(s, quotes: true) }

  static func escape(_ s: String, quotes: Bool) -> String {
    var out = ""
    let safe = s.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalSafe.string(String($0)) }
      .joined(separator: "\n")
    for scalar in safe.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"" where quotes: out += "&quot;"
      case "\n" where quotes: out += "&#10;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        let v = scalar.value
        // XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
        if (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v) || v >= 0x10000 {
          out.unicodeScalars.append(scalar)
        } else {
          out += "\u{FFFD}"
        }
      }
    }
    return out
  }
}
