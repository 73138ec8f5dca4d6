#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// What `fairscan audit` found: every key of the inventory with its issues, whether leaks
/// were checked and how completely, and the totals. It never holds a `key_hash` or a key.
public struct KeyAuditReport: Sendable, Equatable, Codable {
  /// Whether the inventory was read, and how many keys it has.
  public struct Inventory: Sendable, Equatable, Codable {
    public var complete: Bool
    public var keys: Int
    /// Why it could not be read (then nothing is audited and nothing is said about leaks).
    public var error: String?
    public init(complete: Bool, keys: Int, error: String? = nil) {
      self.complete = complete; self.keys = keys; self.error = error
    }
  }

  /// Where leaks were looked for.
  public struct LeakCheck: Sendable, Equatable, Codable {
    public enum Source: String, Sendable, Codable { case none, repo, report }
    public var source: Source
    /// The repository path or report file.
    public var target: String?
    /// Why the check may have missed a leak (an incomplete scan, findings that could not be
    /// compared with the inventory); empty when it is complete.
    public var incomplete: [String]
    public init(source: Source, target: String? = nil, incomplete: [String] = []) {
      self.source = source; self.target = target; self.incomplete = incomplete
    }
  }

  /// Totals.
  public struct Summary: Sendable, Equatable, Codable {
    public var keys: Int
    public var keysWithIssues: Int
    /// Issue count per kind (kinds with none are left out).
    public var issues: [String: Int]
    /// Keys of the inventory found leaked that still work.
    public var liveKeysLeaked: Int
    enum CodingKeys: String, CodingKey {
      case keys, keysWithIssues = "keys_with_issues", issues, liveKeysLeaked = "live_keys_leaked"
    }
  }

  public var tool: String = "fairscan"
  public var version: String
  /// When the audit ran, ISO-8601 UTC.
  public var auditedAt: String
  public var policy: KeyAuditPolicy
  public var inventory: Inventory
  public var leakCheck: LeakCheck
  /// Every key, sorted by name then id, each with its issues (possibly none).
  public var keys: [KeyAuditEntry]
  public var summary: Summary

  enum CodingKeys: String, CodingKey {
    case tool, version, auditedAt = "audited_at", policy, inventory, leakCheck = "leak_check", keys, summary
  }

  public init(
    auditedAt: String, policy: KeyAuditPolicy, inventory: Inventory, leakCheck: LeakCheck, keys: [KeyAuditEntry]
  ) {
    self.version = FairScanVersion.current; self.auditedAt = auditedAt; self.policy = policy
    self.inventory = inventory; self.leakCheck = leakCheck; self.keys = keys
    var counts: [String: Int] = [:]
    for issue in keys.flatMap(\.issues) { counts[issue.kind.rawValue, default: 0] += 1 }
    self.summary = Summary(
      keys: keys.count, keysWithIssues: keys.filter { !$0.issues.isEmpty }.count, issues: counts,
      liveKeysLeaked: keys.filter(\.leakedLive).count)
  }

  /// Whether some key has an issue.
  public var hasIssues: Bool { summary.keysWithIssues > 0 }
  /// Whether the audit could not look at everything: the leak check, or a check of some key.
  public var isIncomplete: Bool { !leakCheck.incomplete.isEmpty || keys.contains { !$0.notChecked.isEmpty } }

  /// The report as JSON (sorted keys, pretty printed, trailing newline).
  public func json() -> String { JSONOutput.encode(self) }

  /// One line per issue (`NAME (ID): KIND: MESSAGE; HINT`), keys sorted, then one line per
  /// check not made, then a summary line. Server-supplied text is made terminal-safe.
  public func text() -> String {
    var out = ""
    for key in keys {
      let who = "\(key.name) (\(key.id))"
      for issue in key.issues {
        out += TerminalSafe.string("\(who): \(issue.kind.rawValue): \(issue.message); \(issue.hint)") + "\n"
      }
      for reason in key.notChecked {
        out += TerminalSafe.string("\(who): not checked: \(reason)") + "\n"
      }
    }
    return out + summaryLine() + "\n"
  }

  /// `5 keys, 4 with issues: 1 leaked (1 live), 1 never-expires, ...; leaks checked in repository PATH`.
  public func summaryLine() -> String {
    guard inventory.complete else {
      return TerminalSafe.string(
        "audit: the key inventory could not be read (\(inventory.error ?? "unknown error")): nothing audited, nothing known about leaks"
      )
    }
    var line = "audit: \(summary.keys) key\(summary.keys == 1 ? "" : "s")"
    if hasIssues {
      let parts = KeyIssueKind.allCases.compactMap { kind -> String? in
        guard let n = summary.issues[kind.rawValue] else { return nil }
        return kind == .leaked ? "\(n) leaked (\(summary.liveKeysLeaked) live)" : "\(n) \(kind.rawValue)"
      }
      line += ", \(summary.keysWithIssues) with issues: " + parts.joined(separator: ", ")
    } else {
      line += ", no issues"
    }
    switch leakCheck.source {
    case .none: line += "; leaks not checked (--repo PATH or --report FILE)"
    case .repo: line += "; leaks checked in repository \(leakCheck.target ?? "?")"
    case .report: line += "; leaks checked in report \(leakCheck.target ?? "?")"
    }
    if !leakCheck.incomplete.isEmpty { line += "; INCOMPLETE: " + leakCheck.incomplete.joined(separator: "; ") }
    return TerminalSafe.string(line)
  }
}
