import FairScanArchive
import FairScanDigest
/// Groups hits into findings: one per (rule, path, secret), with every location.
struct FindingCollector {
  private struct Key: Hashable {
    var rule: Int
    var path: String
    var secretSHA256: String
  }

  private var order: [Key] = []
  private struct Entry {
    var secret: [UInt8]
    var redacted: String
    var locations: [Location]
    var frontend: Bool
    var claims: TokenClaims?
  }

  private var entries: [Key: Entry] = [:]
  /// Unix time the scan counts as now (a JWT whose `exp` is before it has expired).
  var now: Double = Clock.wallSeconds()
  let ruleSet: RuleSet
  let excludes: [Glob]

  init(ruleSet: RuleSet, excludePaths: [String]) {
    self.ruleSet = ruleSet
    self.excludes = excludePaths.map(Glob.init)
  }

  /// Whether configuration leaves `path` out.
  func isExcluded(_ path: String) -> Bool { excludes.contains { $0.matches(path) } }

  /// Whether the rule `ruleID` can report anything at `path` (not excluded, and the rule's
  /// paths take it): where it cannot, its errors there do not make a scan incomplete.
  func applies(_ ruleID: String, at path: String) -> Bool {
    !isExcluded(path) && (ruleSet.rules.first { $0.rule.id == ruleID }?.applies(toPath: path) ?? true)
  }

  /// Adds the hits one piece of content yielded, seen at `path` (nil: content without a
  /// path, such as a commit message): `HitResolution` decides which stand there, then
  /// each is placed at `location(hit)`. Hits inside an archive are resolved per member, at the
  /// member's path as globs see it (`a.zip/test/k.pem`). Returns what was added (for the scan cache).
  @discardableResult
  mutating func add(
    _ hits: [ContentHit], at path: String?, location: (ContentHit) -> Location
  ) -> [(ContentHit, Location)] {
    guard !hits.isEmpty else { return [] }
    if let path, isExcluded(path) { return [] }
    var added: [(ContentHit, Location)] = []
    let byMember = Dictionary(grouping: hits, by: \.member)
    for member in byMember.keys.sorted(by: { ($0 ?? "") < ($1 ?? "") }) {
      let resolvedPath = member.map { Self.memberPath(container: path, member: $0) } ?? path
      for hit in HitResolution.resolve(byMember[member]!, path: resolvedPath, rules: ruleSet.rules) {
        let placed = location(hit)
        if hit.member != nil && (isExcluded(placed.path) || placed.isExcludedArchiveMember(by: isExcluded)) { continue }
        record(hit, placed)
        added.append((hit, placed))
      }
    }
    return added
  }

  /// The path an archive member's hits are judged at: the member inside its container, each
  /// `!` a folder; without a container path (a commit message, unnamed standard input), the
  /// member's own path.
  static func memberPath(container: String?, member: String) -> String {
    guard let container else { return String(ArchivePath.matchingPath("", member).dropFirst()) }
    return ArchivePath.matchingPath(container, member)
  }

  /// Adds a hit already resolved for its location (read back from the scan cache).
  mutating func addResolved(_ hit: ContentHit, _ location: Location, pathIsReal: Bool) {
    if pathIsReal && isExcluded(location.path) { return }
    record(hit, location)
  }

  private mutating func record(_ hit: ContentHit, _ location: Location) {
    let key = Key(rule: hit.ruleIndex, path: location.path, secretSHA256: hit.secretSHA256)
    let frontend = Practices.isFrontend(
      path: location.matchingPath, browserVariable: hit.browserVariable, longLine: hit.longLine)
    if entries[key] == nil {
      order.append(key)
      entries[key] = Entry(
        secret: hit.secret, redacted: hit.redacted ?? Redaction.redact(hit.secret), locations: [location],
        frontend: frontend, claims: hit.claims)
    } else {
      if !entries[key]!.locations.contains(location) { entries[key]!.locations.append(location) }
      if frontend { entries[key]!.frontend = true }
    }
  }

  static func location(
    _ hit: ContentHit, source: SourceKind, path: String, blob: String? = nil,
    commits: [CommitRef] = [], unreachable: Bool = false
  ) -> Location {
    let p = hit.position
    var location = Location(
      source: source, path: path, line: p.line, column: p.column, endLine: p.endLine, endColumn: p.endColumn,
      byteOffset: p.byteOffset, byteLength: p.byteLength, blob: blob, commits: commits,
      unreachable: unreachable, snippet: hit.snippet, encoding: hit.encoding)
    if let member = hit.member { location.placeInArchive(member: member) }  // ScanWorker+Archives.swift
    return location
  }

  /// Every path a location is in (an archive member's is its archive's): the paths whose blob at
  /// HEAD `findings(showSecrets:headBlobs:worktreeScanned:)` looks up.
  var containerPaths: Set<String> {
    var paths = Set<String>()
    for entry in entries.values { for location in entry.locations { paths.insert(location.containerPath) } }
    return paths
  }

  /// The findings, most severe first, then by path and line.
  func findings(showSecrets: Bool, headBlobs: [String: String]?, worktreeScanned: Bool) -> [Finding] {
    var result: [Finding] = []
    for key in order {
      let entry = entries[key]!
      let rule = ruleSet.rules[key.rule].rule
      let locations = entry.locations.sorted(by: Location.displayOrder)
      let primary = locations[0]
      var presentAtHead: Bool? = nil
      if let headBlobs {
        let headBlob = headBlobs[primary.containerPath]  // an archive member's blob is its archive's
        presentAtHead = headBlob != nil && locations.contains { $0.blob == headBlob }
      }
      let inWorktree: Bool? = worktreeScanned ? locations.contains { $0.source == .worktree } : nil
      var finding = Finding(
        ruleID: rule.id, ruleName: rule.name, severity: rule.severity,
        secret: showSecrets ? String(decoding: entry.secret, as: UTF8.self) : entry.redacted,
        secretSHA256: key.secretSHA256,
        fingerprint: Fingerprint.make(ruleID: rule.id, path: key.path, secretSHA256: key.secretSHA256),
        path: key.path, line: primary.line, column: primary.column, locations: locations,
        presentAtHead: presentAtHead, inWorktree: inWorktree, hint: Hints.hint(for: rule),
        tags: locations.contains(where: \.unreachable) && locations.allSatisfy(\.unreachable) ? ["unreachable"] : [])
      if locations.contains(where: { $0.encoding != nil }) { finding.tags.append("encoded") }
      if entry.frontend && Practices.applies(to: rule.id) {
        finding.severity = Severity.allCases.first { $0 > rule.severity } ?? .critical
        finding.tags.append("frontend")
        finding.hint = Practices.frontendHint
      }
      if rule.testVectors && Practices.isTestOrExample(path: primary.matchingPath) {
        finding.severity = .info
        finding.tags.append("test-fixture")
        finding.hint = Practices.testVectorHint
      }
      if let claims = entry.claims {
        finding.tokenType = claims.type
        if let exp = claims.expiresAt {
          finding.expiresAt = ISODate.utc(exp)
          finding.expired = exp <= now
          if exp <= now {
            finding.tags.append("expired")
            finding.severity = min(finding.severity, .low)
            finding.hint =
              "this token expired at \(finding.expiresAt!); it no longer grants access, but remove it from the code and history, and revoke the key or session it came from if that is still live"
          }
        }
      }
      result.append(finding)
    }
    result += Practices.reusedKeys(result) + Practices.sharedKeys(result)
    return result.sorted(by: Finding.reportOrder)
  }
}

extension Finding {
  /// Most severe first, then by path, line and rule; ties by column and fingerprint: a total
  /// order, so the same findings come out in the same order whichever way they were gathered.
  static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
    if a.severity != b.severity { return a.severity > b.severity }
    if a.path != b.path { return a.path < b.path }
    if a.line != b.line { return a.line < b.line }
    if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
    if a.column != b.column { return a.column < b.column }
    return a.fingerprint < b.fingerprint
  }
}

extension Location {
  /// Working tree first, then history by the date of the introducing commit, then messages.
  /// Ties (commits made in the same second) go by path, place and commit id: a total order, so
  /// a scan from the cache lists the locations as a scan without it does.
  static func displayOrder(_ a: Location, _ b: Location) -> Bool {
    func rank(_ l: Location) -> Int {
      switch l.source {
      case .worktree, .file, .stdin, .index: return 0
      case .blob: return 1
      case .commitMessage, .tagMessage: return 2
      }
    }
    if rank(a) != rank(b) { return rank(a) < rank(b) }
    let da = a.commits.first?.date ?? "", db = b.commits.first?.date ?? ""
    if da != db { return da < db }
    if a.line != b.line { return a.line < b.line }
    if a.blob != b.blob { return (a.blob ?? "", a.blob == nil ? 0 : 1) < (b.blob ?? "", b.blob == nil ? 0 : 1) }
    if a.path != b.path { return a.path < b.path }
    if a.source != b.source { return a.source.rawValue < b.source.rawValue }
    if a.byteOffset != b.byteOffset { return a.byteOffset < b.byteOffset }
    let ea = a.encoding ?? "", eb = b.encoding ?? ""
    if ea != eb { return ea < eb }
    let ca = a.commits.first?.id ?? "", cb = b.commits.first?.id ?? ""
    if ca != cb { return ca < cb }
    return !a.unreachable && b.unreachable
  }
}

/// What to do about a finding.
enum Hints {
  static func hint(for rule: Rule) -> String {
    if rule.isFAIR {
      return
        "revoke this FAIR key now (fairscan revoke), create a new one from a backend secret store, then remove it from the code and from history"
    }
    return
      "rotate this secret at its provider, move it to a secret store or environment variable, and purge it from history if it was pushed"
  }
}

extension FindingCollector {
  /// The final report: findings built, suppressed fingerprints removed, totals filled in.
  func report(
    target: String, summary: ScanSummary, started: Double, options: ScanOptions,
    headBlobs: [String: String]? = nil, worktreeScanned: Bool = false
  ) -> ScanReport {
    Trace.printRuleTimes()
    var summary = summary
    // Whatever the source: content over --max-file-size was not read, so the scan is incomplete.
    let tooLarge = summary.skipped.filter { $0.reason == .tooLarge }.count
    if tooLarge > 0 {
      summary.incomplete.append(
        "\(tooLarge) file(s) over --max-file-size not scanned: raise --max-file-size to scan them")
    }
    var findings = self.findings(
      showSecrets: options.showSecrets, headBlobs: headBlobs, worktreeScanned: worktreeScanned)
    let before = findings.count
    findings.removeAll { options.suppressedFingerprints.contains($0.fingerprint) }
    summary.suppressed = before - findings.count
    let shown = findings.count
    findings.removeAll { $0.severity < options.minimumSeverity }
    summary.belowMinimumSeverity = shown - findings.count
    summary.findings = findings.count
    summary.elapsedSeconds = Clock.seconds() - started
    var report = ScanReport(
      version: FairScanVersion.current, target: TerminalSafe.string(target), findings: findings,
      summary: summary, rules: ruleSet.descriptors)
    if options.keepsSecrets {
      let wanted = Set(findings.map(\.secretSHA256))
      for (key, entry) in entries where !entry.secret.isEmpty && wanted.contains(key.secretSHA256) {
        report.secrets[key.secretSHA256] = entry.secret
      }
    }
    return report
  }
}
