import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

/// What the hooks print when they block a commit or a push: where each secret is
/// (redacted), how to take it out, how to mark a false positive, and how to bypass.
/// The lines go to stderr in place of the summary (`ScanRunner.finish(_:hookLines:)`); the
/// exit code is the scan's.
enum HookMessage {
  /// What `staged --hook` (the pre-commit hook) says.
  static func preCommit(_ report: ScanReport, hasHead: Bool, known: [StagedScanner.KnownSecret] = []) -> [String] {
    var lines = knownLines(known)
    let findings = report.findings
    if !findings.isEmpty {
      lines.append("fairscan: commit blocked: \(SummaryLine.count(findings.count, "secret")) in the staged changes")
      lines += findings.map(describe)
      let paths = Array(Set(findings.map(\.path))).sorted()
      let quoted = paths.map(ShellQuote.quote).joined(separator: " ")
      lines.append("")
      lines.append("Take it out of the commit:")
      lines.append("  remove the secret from the file, then stage it again:  git add -- \(quoted)")
      if hasHead {
        lines.append("  or unstage the file (the work tree keeps your edits):  git restore --staged -- \(quoted)")
      } else {
        lines.append("  or unstage the file (the work tree keeps it):          git rm --cached -- \(quoted)")
      }
      lines.append("  and rotate the secret if it has been shared anywhere.")
      lines += falsePositiveHelp
      lines.append("Commit anyway (every pre-commit hook is skipped):  git commit --no-verify")
    }
    lines += trailer(report, blocked: !findings.isEmpty, what: "commit", bypass: "git commit --no-verify")
    return lines
  }

  /// What `pre-push --hook` says.
  static func prePush(_ report: ScanReport, remote: String) -> [String] {
    var lines: [String] = []
    let findings = report.findings
    if !findings.isEmpty {
      lines.append(
        "fairscan: push blocked: \(SummaryLine.count(findings.count, "secret")) in the commits being pushed to \(TerminalSafe.string(remote))"
      )
      lines += findings.map(describe)
      lines.append("")
      lines.append("The secret is in a commit: remove it from the file and rewrite the commits that added it")
      lines.append("  (the last commit: git commit --amend; older ones: git rebase -i with the remote branch as base),")
      lines.append("  then push again; rotate the secret if it has been shared anywhere.")
      lines += falsePositiveHelp
      lines.append("Push anyway (every pre-push hook is skipped):  git push --no-verify")
    }
    lines += trailer(report, blocked: !findings.isEmpty, what: "push", bypass: "git push --no-verify")
    return lines
  }

  static let falsePositiveHelp = [
    "Not a secret? Either add the comment `fairscan:allow` on its line,",
    "  or add its fingerprint (above) on a line of .fairscanignore at the repository root.",
  ]

  /// Secrets the commit moves or copies but HEAD already holds: one line each, never a block.
  /// One still at its path (a mode change, an edit elsewhere in the file) is not mentioned.
  static func knownLines(_ known: [StagedScanner.KnownSecret]) -> [String] {
    known.compactMap { item in
      let f = item.finding
      let from = item.headPaths.map(place).joined(separator: ", ")
      let what: String
      switch item.change {
      case .unchanged: return nil
      case .moved: what = "moved from \(from) to \(place(f.path))"
      case .copied: what = "copied from \(from) to \(place(f.path)) (still at both)"
      }
      return
        "fairscan: known secret \(what): already committed, so not blocking; \(f.ruleID) \(f.secret) fingerprint \(f.fingerprint)"
    }
  }

  /// A path for the terminal: git-quoted when it is not UTF-8.
  static func place(_ path: String) -> String { TerminalSafe.string(PathBytes.quoted(path)) }

  /// One finding on one line: place, rule, the redacted secret, the fingerprint.
  static func describe(_ f: Finding) -> String {
    var at = "\(place(f.path)):\(f.line):\(f.column)"
    if let commit = f.locations.first?.commits.first {
      at += " (commit \(commit.id.prefix(10)) \"\(commit.summary.prefix(50))\")"
    }
    return "  \(at)  \(f.ruleName) (\(f.ruleID))  \(f.secret)  fingerprint \(f.fingerprint)"
  }

  /// Incomplete scans and skipped files: never silent, even when nothing was found.
  static func trailer(_ report: ScanReport, blocked: Bool, what: String, bypass: String) -> [String] {
    var lines: [String] = []
    let s = report.summary
    if !s.isComplete {
      if !blocked {
        lines.append(
          "fairscan: \(what) blocked: the scan is incomplete, so it cannot say the \(what) is free of secrets:")
      } else {
        lines.append("fairscan: the scan is also incomplete:")
      }
      lines += s.incomplete.map { "  \($0)" }
      lines += s.skipped.filter { $0.reason == .unreadable }.prefix(5).map { "  unreadable: \($0.path)" }
      lines += s.ruleErrors.prefix(5).map { "  rule \($0.ruleID) hit a limit in \($0.path)" }
      if !blocked { lines.append("Bypass once, if you have checked it yourself:  \(bypass)") }
    }
    for item in s.skipped where item.reason == .tooLarge {
      let mib = String(format: "%.1f", Double(item.size ?? 0) / 1_048_576)
      lines.append("fairscan: not scanned (larger than the size limit): \(item.path) (\(mib) MiB)")
    }
    return lines
  }
}
