import Foundation

/// How strict `fairscan audit` is. A threshold of 0 turns its check off.
public struct KeyAuditPolicy: Sendable, Equatable, Codable {
  /// A key created more than this many days ago is due for rotation.
  public var maxAgeDays: Int
  /// A key that expires within this many days needs its replacement now.
  public var expiringWithinDays: Int

  public init(maxAgeDays: Int = 90, expiringWithinDays: Int = 14) {
    self.maxAgeDays = maxAgeDays; self.expiringWithinDays = expiringWithinDays
  }

  enum CodingKeys: String, CodingKey { case maxAgeDays = "max_age_days", expiringWithinDays = "expiring_within_days" }
}

/// What can be wrong with a key, most urgent first (the order a key's issues are listed in).
public enum KeyIssueKind: String, Sendable, Codable, CaseIterable, Comparable {
  /// The key is in a repository or report (practice 5: never put a key in source code).
  case leaked
  /// Past its `expires_at` but still listed.
  case expired
  /// Expires within `expiringWithinDays`.
  case expiringSoon = "expiring-soon"
  /// No `expires_at`: a leak would stay usable forever.
  case neverExpires = "never-expires"
  /// Created more than `maxAgeDays` ago.
  case tooOld = "too-old"
  /// The name says the key serves several environments (practice 3).
  case sharedEnvironments = "shared-environments"
  /// The name says the key serves several users (practice 1).
  case sharedUsers = "shared-users"

  public static func < (a: KeyIssueKind, b: KeyIssueKind) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// One place a key of the inventory was found.
public struct KeyLeak: Sendable, Equatable, Codable {
  public var path: String
  public var line: Int
  public var ruleID: String
  public var fingerprint: String
  /// `live` or `expired`, as the cross-reference found it.
  public var status: KeyStatus
  /// Whether the key is still in `HEAD` / the working tree at this path (nil: not known).
  public var presentAtHead: Bool?
  public var inWorktree: Bool?
  /// The date of the first commit holding it (nil when only in the working tree).
  public var exposedSince: String?
  public var exposureDays: Int?

  public init(
    path: String, line: Int, ruleID: String, fingerprint: String, status: KeyStatus, presentAtHead: Bool? = nil,
    inWorktree: Bool? = nil, exposedSince: String? = nil, exposureDays: Int? = nil
  ) {
    self.path = path; self.line = line; self.ruleID = ruleID; self.fingerprint = fingerprint; self.status = status
    self.presentAtHead = presentAtHead; self.inWorktree = inWorktree; self.exposedSince = exposedSince
    self.exposureDays = exposureDays
  }

  enum CodingKeys: String, CodingKey {
    case path, line, ruleID = "rule_id", fingerprint, status, presentAtHead = "present_at_head"
    case inWorktree = "in_worktree", exposedSince = "exposed_since", exposureDays = "exposure_days"
  }
}

/// One thing wrong with a key: what, why in one line, and what to do.
public struct KeyIssue: Sendable, Equatable, Codable {
  public var kind: KeyIssueKind
  /// One line for people; names and dates only, never key material.
  public var message: String
  public var hint: String
  /// `too-old`: age in whole days; `expiring-soon`: days left (rounded up); `expired`: days since.
  public var days: Int?
  /// `shared-*`: the words of the name that suggest sharing.
  public var words: [String]?
  /// `shared-environments`: the environments the name names, when it names two or more.
  public var environments: [String]?
  /// `leaked`: every place the key was found.
  public var leaks: [KeyLeak]?

  public init(
    kind: KeyIssueKind, message: String, hint: String, days: Int? = nil, words: [String]? = nil,
    environments: [String]? = nil, leaks: [KeyLeak]? = nil
  ) {
    self.kind = kind; self.message = message; self.hint = hint; self.days = days; self.words = words
    self.environments = environments; self.leaks = leaks
  }
}

/// One key of the inventory and its issues. Never its `key_hash`.
public struct KeyAuditEntry: Sendable, Equatable, Codable {
  public var id: String
  public var name: String
  public var created: String?
  public var expiresAt: String?
  public var issues: [KeyIssue]
  /// Checks that could not run for this key, and why (a missing or unreadable date).
  public var notChecked: [String]

  enum CodingKeys: String, CodingKey {
    case id, name, created, expiresAt = "expires_at", issues, notChecked = "not_checked"
  }

  /// Whether one of the key's leaks is a live key.
  public var leakedLive: Bool {
    issues.contains { $0.kind == .leaked && ($0.leaks ?? []).contains { $0.status == .live } }
  }
}

/// The inventory's hygiene against the platform's practices. Pure: the keys, the clock and
/// the leaks come in; nothing is read or sent.
public enum KeyAudit {
  static let day = 86_400.0

  /// Every key with its issues, sorted by name, then id. `leaks` maps a key id to where it
  /// was found (nil: leaks were not checked).
  /// A record the listing contradicts itself about (`contradictions`, by id) is audited too,
  /// but not vouched for: the contradiction is one of its `not_checked` reasons, so the audit is
  /// incomplete.
  public static func audit(
    _ keys: [InventoryKey], now: Double, policy: KeyAuditPolicy = KeyAuditPolicy(), leaks: [String: [KeyLeak]] = [:],
    contradictions: [String: String] = [:]
  ) -> [KeyAuditEntry] {
    keys.map { key in
      var entry = audit(key, now: now, policy: policy, leaks: leaks[key.id] ?? [])
      if let why = contradictions[key.id] { entry.notChecked.append("inventory: \(why)") }
      return entry
    }
    .sorted { ($0.name, $0.id) < ($1.name, $1.id) }
  }

  /// One key's issues, most urgent first.
  public static func audit(_ key: InventoryKey, now: Double, policy: KeyAuditPolicy, leaks: [KeyLeak]) -> KeyAuditEntry
  {
    var issues: [KeyIssue] = []
    var notChecked: [String] = []
    if !leaks.isEmpty { issues.append(leaked(key, leaks)) }

    let expiresText = key.expiresAt.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    let expires = expiresText.flatMap(ISODate.parse)
    if let expiresText, expires == nil { notChecked.append("expiry: unreadable expires_at '\(expiresText)'") }
    if let expires, expires <= now {
      // A dead key: only that it is still listed matters (and where it leaked).
      let days = Int(((now - expires) / day).rounded(.down))
      issues.append(
        KeyIssue(
          kind: .expired, message: "expired \(ago(days)) (\(expiresText!))",
          hint: "revoke it (fairscan keys revoke \(key.id)) so the inventory lists only keys in use", days: days))
      return entry(key, issues, notChecked)
    }
    if let expires, policy.expiringWithinDays > 0, expires - now <= Double(policy.expiringWithinDays) * day {
      let days = Int(((expires - now) / day).rounded(.up))
      issues.append(
        KeyIssue(
          kind: .expiringSoon, message: "expires in \(days) day\(days == 1 ? "" : "s") (\(expiresText!))",
          hint:
            "create its replacement now (fairscan keys create NAME --expires-days N), move its users over, then revoke this one",
          days: days))
    }
    if expiresText == nil {
      issues.append(
        KeyIssue(
          kind: .neverExpires, message: "never expires",
          hint:
            "replace it with a key that expires (fairscan keys create NAME --expires-days \(policy.maxAgeDays > 0 ? policy.maxAgeDays : 90)), then revoke this one"
        ))
    }

    let created = key.created.flatMap(ISODate.parse)
    if created == nil {
      notChecked.append(key.created.map { "age: unreadable created '\($0)'" } ?? "age: no created date")
    }
    if let created, policy.maxAgeDays > 0, now - created > Double(policy.maxAgeDays) * day {
      let days = Int(((now - created) / day).rounded(.down))
      issues.append(
        KeyIssue(
          kind: .tooOld, message: "created \(ago(days)) (\(key.created!)), more than \(policy.maxAgeDays) days",
          hint:
            "rotate it: create a new key, move its users over, then revoke this one (fairscan keys revoke \(key.id))",
          days: days))
    }

    let sharing = KeyNames.sharing(key.name)
    if !sharing.environmentWords.isEmpty {
      let what = sharing.environments.isEmpty ? "several environments" : sharing.environments.joined(separator: " and ")
      issues.append(
        KeyIssue(
          kind: .sharedEnvironments,
          message: "the name suggests one key for \(what) (\(quoted(sharing.environmentWords)))",
          hint: "use one key per environment, so revoking one does not stop the others",
          words: sharing.environmentWords, environments: sharing.environments.isEmpty ? nil : sharing.environments))
    }
    if !sharing.userWords.isEmpty {
      issues.append(
        KeyIssue(
          kind: .sharedUsers, message: "the name suggests a key shared between users (\(quoted(sharing.userWords)))",
          hint: "give each user their own key, then revoke this one", words: sharing.userWords))
    }
    return entry(key, issues, notChecked)
  }

  /// Where the inventory's keys are, from findings already cross-referenced with the inventory
  /// (`key_status` `live` or `expired` and `key` set), by key id; one leak per path and line.
  public static func leaks(in findings: [Finding]) -> [String: [KeyLeak]] {
    var result: [String: [KeyLeak]] = [:]
    for finding in findings {
      guard let key = finding.key, let status = finding.keyStatus, status == .live || status == .expired else {
        continue
      }
      if result[key.id, default: []].contains(where: { $0.path == finding.path && $0.line == finding.line }) {
        continue
      }
      result[key.id, default: []].append(
        KeyLeak(
          path: finding.path, line: finding.line, ruleID: finding.ruleID, fingerprint: finding.fingerprint,
          status: status,
          presentAtHead: finding.presentAtHead, inWorktree: finding.inWorktree, exposedSince: key.exposedSince,
          exposureDays: key.exposureDays))
    }
    for id in result.keys { result[id]!.sort { ($0.path, $0.line) < ($1.path, $1.line) } }
    return result
  }

  private static func leaked(_ key: InventoryKey, _ leaks: [KeyLeak]) -> KeyIssue {
    let live = leaks.contains { $0.status == .live }
    let places = leaks.prefix(3).map { leak -> String in
      let whereText = leak.inWorktree == true || leak.presentAtHead == true ? "" : " (history only)"
      return "\(leak.path):\(leak.line)\(whereText)"
    }
    var message = "\(live ? "live key" : "expired key") found in \(places.joined(separator: ", "))"
    if leaks.count > 3 { message += " and \(leaks.count - 3) more place\(leaks.count == 4 ? "" : "s")" }
    if let since = leaks.compactMap(\.exposedSince).min() { message += "; exposed since \(since)" }
    if let days = leaks.compactMap(\.exposureDays).max() { message += " (\(days) day\(days == 1 ? "" : "s"))" }
    let hint =
      live
      ? "revoke it now (fairscan keys revoke \(key.id)), give its users a new key from a secret store, and purge it from history"
      : "it no longer works, but revoke it (fairscan keys revoke \(key.id)) and purge it from history"
    return KeyIssue(kind: .leaked, message: message, hint: hint, leaks: leaks)
  }

  private static func entry(_ key: InventoryKey, _ issues: [KeyIssue], _ notChecked: [String]) -> KeyAuditEntry {
    KeyAuditEntry(
      id: key.id, name: key.name, created: key.created, expiresAt: key.expiresAt,
      issues: issues.sorted { $0.kind < $1.kind }, notChecked: notChecked)
  }

  private static func ago(_ days: Int) -> String {
    days == 0 ? "today" : days == 1 ? "1 day ago" : "\(days) days ago"
  }

  private static func quoted(_ words: [String]) -> String { words.map { "'\($0)'" }.joined(separator: ", ") }
}
