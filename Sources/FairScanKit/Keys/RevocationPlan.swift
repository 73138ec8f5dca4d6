/// What `fairscan revoke` would do: the account's live keys among the findings, each once
/// however many times and places it was found, with the evidence. Built from findings that
/// were already cross-referenced with the inventory (`KeyInventory.crossReference`): nothing
/// here talks to the API, so the plan is the same in a dry run and a real one.
public struct RevocationPlan: Sendable, Equatable {
  /// One key to revoke.
  public struct Target: Sendable, Equatable {
    public var key: KeyReference
    /// Lowercase hex SHA-256 of the key: only a prefix is ever printed or logged.
    public var secretSHA256: String
    /// Fingerprints of the findings that hold the key (sorted, unique).
    public var fingerprints: [String]
    /// Where it was found: `path:line`, with the introducing commit or `working tree` (sorted, unique).
    public var places: [String]
    /// The key fairscan itself authenticates with: never revoked by fairscan.
    public var isOwnKey: Bool
    /// Why fairscan refuses to act on this key (the listing contradicts itself about it), if it does.
    public var refusal: String? = nil

    /// The key's SHA-256, shortened for logs and screens (not enough to search for the key).
    public var hashPrefix: String { String(secretSHA256.prefix(12)) }
  }

  /// The live keys of the account found, in the order they were first found.
  public var targets: [Target]
  /// Keys of the account found that fairscan will not act on because the listing contradicts
  /// itself about them (`KeyInventory.refusal`): each with its `refusal`.
  public var refused: [Target]
  /// Findings left alone, by `key_status` (`expired`, `not-in-inventory`, `indeterminate`, ...).
  public var leftAlone: [String: Int]

  /// Keys fairscan may act on (its own key excluded).
  public var actionable: [Target] { targets.filter { !$0.isOwnKey } }

  /// True when some FAIR finding could not be tied to the inventory (`indeterminate`: the listing
  /// was not read whole, cannot be compared offline, or contradicts itself about the key). Such a
  /// finding is never a target, whatever key it names: nothing is revoked on doubt (a key the
  /// listing contradicts itself about is in `refused`). Keys whose match is certain stay targets;
  /// `revoke` names the doubt and exits with bit 2 (`KeyInventory.doubt`).
  public var hasIndeterminate: Bool { (leftAlone[KeyStatus.indeterminate.rawValue] ?? 0) > 0 }

  /// - Parameters:
  ///   - findings: cross-referenced findings (their `key_status` and `key` set).
  ///   - ownKeySHA256: hex SHA-256 of the API key fairscan authenticates with, if it uses one.
  ///   - inventory: the inventory the findings were measured against: its `refusal`s become `refused`.
  public init(findings: [Finding], ownKeySHA256: String? = nil, inventory: KeyInventory? = nil) {
    var refusedByHash: [String: Int] = [:]
    var refused: [Target] = []
    for finding in findings where finding.keyStatus == .indeterminate {
      guard let key = finding.key, let inventory,
        let why = inventory.refusal(secretSHA256: finding.secretSHA256, secret: nil)
      else { continue }
      let index =
        refusedByHash[finding.secretSHA256]
        ?? {
          refused.append(
            Target(
              key: key, secretSHA256: finding.secretSHA256, fingerprints: [], places: [],
              isOwnKey: ownKeySHA256 == finding.secretSHA256, refusal: why))
          refusedByHash[finding.secretSHA256] = refused.count - 1
          return refused.count - 1
        }()
      refused[index].fingerprints = Array(Set(refused[index].fingerprints + [finding.fingerprint])).sorted()
      let places = finding.locations.isEmpty ? ["\(finding.path):\(finding.line)"] : finding.locations.map(Self.place)
      refused[index].places = Array(Set(refused[index].places + places)).sorted()
    }
    self.refused = refused
    var order: [String] = []
    var byID: [String: Target] = [:]
    var fingerprints: [String: Set<String>] = [:]
    var places: [String: Set<String>] = [:]
    var leftAlone: [String: Int] = [:]
    for finding in findings {
      guard let status = finding.keyStatus else { continue }
      guard status == .live, let key = finding.key else {
        if finding.isFAIR { leftAlone[status.rawValue, default: 0] += 1 }
        continue
      }
      if byID[key.id] == nil {
        order.append(key.id)
        byID[key.id] = Target(
          key: key, secretSHA256: finding.secretSHA256, fingerprints: [], places: [],
          isOwnKey: ownKeySHA256 == finding.secretSHA256)
      } else if let since = key.exposedSince, byID[key.id]!.key.exposedSince.map({ since < $0 }) ?? true {
        // The earliest exposure of the key over all its findings.
        byID[key.id]!.key.exposedSince = since
        byID[key.id]!.key.exposureDays = max(byID[key.id]!.key.exposureDays ?? 0, key.exposureDays ?? 0)
      }
      fingerprints[key.id, default: []].insert(finding.fingerprint)
      for location in finding.locations {
        places[key.id, default: []].insert(Self.place(location))
      }
      if finding.locations.isEmpty { places[key.id, default: []].insert("\(finding.path):\(finding.line)") }
    }
    targets = order.map { id in
      var target = byID[id]!
      target.fingerprints = fingerprints[id, default: []].sorted()
      target.places = places[id, default: []].sorted()
      return target
    }
    self.leftAlone = leftAlone
  }

  static func place(_ location: Location) -> String {
    let at = "\(location.path):\(location.line)"
    switch location.source {
    case .worktree: return at + " (working tree)"
    case .index: return at + " (index)"
    case .file, .stdin: return at
    case .blob, .commitMessage, .tagMessage:
      guard let commit = location.commits.first else { return at + " (blob \(location.blob?.prefix(12) ?? "?"))" }
      return at + " (commit \(commit.id.prefix(12)))"
    }
  }
}
