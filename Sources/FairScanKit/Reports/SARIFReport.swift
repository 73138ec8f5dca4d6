import FairScanGit
/// SARIF 2.1.0 with one run: rules from `ScanReport.rules`, one result per finding,
/// one location per `Location`, and scan problems as tool execution notifications.
enum SARIFReport {
  static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
  static let informationURI = "https://github.com/fairscan/fairscan"
  static let fingerprintKey = "fairscan/v1"
  static let srcRoot = "%SRCROOT%"

  static func render(_ report: ScanReport) -> String { JSONOutput.encode(log(report)) }

  static func log(_ report: ScanReport) -> SARIF.Log {
    let rules = descriptors(report)
    let index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    let driver = SARIF.Driver(
      name: "fairscan", version: report.version, informationUri: informationURI,
      rules: rules.map { reportingDescriptor($0, tags: tags(forRule: $0.id, in: report)) })
    let run = SARIF.Run(
      tool: SARIF.Tool(driver: driver),
      invocations: [
        SARIF.Invocation(executionSuccessful: true, toolExecutionNotifications: notifications(report.summary, index))
      ],
      originalUriBaseIds: [srcRoot: baseLocation(report.target)],
      results: report.findings.map { result($0, ruleIndex: index[$0.ruleID] ?? 0) },
      columnKind: "unicodeCodePoints")
    return SARIF.Log(schema: schemaURI, version: "2.1.0", runs: [run])
  }

  /// The report's rules, then one made up from the finding for any rule id they lack.
  static func descriptors(_ report: ScanReport) -> [RuleDescriptor] {
    var rules = report.rules
    var known = Set(rules.map(\.id))
    for f in report.findings where !known.contains(f.ruleID) {
      rules.append(RuleDescriptor(id: f.ruleID, name: f.ruleName, description: f.ruleName, severity: f.severity))
      known.insert(f.ruleID)
    }
    return rules
  }

  static func tags(forRule id: String, in report: ScanReport) -> [String] {
    var tags: Set<String> = ["secret", "security"]
    for f in report.findings where f.ruleID == id { tags.formUnion(f.tags) }
    return tags.sorted()
  }

  static func reportingDescriptor(_ rule: RuleDescriptor, tags: [String]) -> SARIF.ReportingDescriptor {
    SARIF.ReportingDescriptor(
      id: rule.id, name: rule.name,
      shortDescription: SARIF.Message(text: rule.name.isEmpty ? rule.id : rule.name),
      fullDescription: SARIF.Message(
        text: rule.description.isEmpty ? (rule.name.isEmpty ? rule.id : rule.name) : rule.description),
      defaultConfiguration: SARIF.Configuration(level: level(rule.severity)),
      properties: SARIF.RuleProperties(tags: tags, securitySeverity: securitySeverity(rule.severity)))
  }

  static func level(_ severity: Severity) -> String {
    switch severity {
    case .critical, .high: return "error"
    case .medium: return "warning"
    case .low, .info: return "note"
    }
  }

  /// GitHub's scale: critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9.
  /// Info has none, so code scanning falls back to the level ("note").
  static func securitySeverity(_ severity: Severity) -> String? {
    switch severity {
    case .critical: return "9.5"
    case .high: return "8.0"
    case .medium: return "5.5"
    case .low: return "2.0"
    case .info: return nil
    }
  }

  static func result(_ f: Finding, ruleIndex: Int) -> SARIF.Result {
    var commits: [CommitRef] = []
    for c in f.locations.flatMap(\.commits) where !commits.contains(where: { $0.id == c.id }) { commits.append(c) }
    return SARIF.Result(
      ruleId: f.ruleID, ruleIndex: ruleIndex, level: level(f.severity),
      message: SARIF.Message(text: "\(f.ruleName): \(f.secret)"),
      locations: f.locations.map(location),
      partialFingerprints: [fingerprintKey: f.fingerprint],
      properties: SARIF.ResultProperties(
        secretSHA256: f.secretSHA256, commits: commits,
        unreachable: !f.locations.isEmpty && f.locations.allSatisfy(\.unreachable),
        presentAtHead: f.presentAtHead, inWorktree: f.inWorktree,
        hint: f.hint.isEmpty ? nil : f.hint, tags: f.tags.isEmpty ? nil : uniqued(f.tags),
        expiresAt: f.expiresAt, expired: f.expired, tokenType: f.tokenType, environments: f.environments,
        authors: f.authors))
  }

  static func location(_ l: Location) -> SARIF.Location {
    let startLine = max(1, l.line), startColumn = max(1, l.column)
    let endLine = max(startLine, l.endLine)
    let endColumn = endLine == startLine ? max(startColumn, l.endColumn) : max(1, l.endColumn)
    let region = SARIF.Region(
      startLine: startLine, startColumn: startColumn, endLine: endLine, endColumn: endColumn,
      byteOffset: max(0, l.byteOffset), byteLength: max(0, l.byteLength))
    return SARIF.Location(
      physicalLocation: SARIF.PhysicalLocation(artifactLocation: artifact(l), region: region),
      properties: SARIF.LocationProperties(
        source: l.source.rawValue, blob: l.blob, unreachable: l.unreachable, encoding: l.encoding, member: l.member))
  }

  /// The location's file; an archive member is the archive with the member as fragment, the
  /// SARIF form for nested artifacts: `bundle.zip#/config/app.env` (nested members joined by `!`).
  static func artifact(_ l: Location) -> SARIF.ArtifactLocation {
    guard let member = l.member else { return artifact(l.path) }
    var location = artifact(l.containerPath)
    location.uri = (location.uri ?? "") + "#/" + URIPath.encode(member).replacingOccurrences(of: "%21", with: "!")
    return location
  }

  /// A relative path resolves against `%SRCROOT%`; an absolute one becomes a `file:` URI.
  static func artifact(_ path: String) -> SARIF.ArtifactLocation {
    if path.hasPrefix("/") { return SARIF.ArtifactLocation(uri: "file://" + URIPath.encode(path)) }
    return SARIF.ArtifactLocation(uri: URIPath.encode(path), uriBaseId: srcRoot)
  }

  static func baseLocation(_ target: String) -> SARIF.ArtifactLocation {
    if target.hasPrefix("/") {
      let dir = target.hasSuffix("/") ? target : target + "/"
      return SARIF.ArtifactLocation(uri: "file://" + URIPath.encode(dir))
    }
    return SARIF.ArtifactLocation(description: SARIF.Message(text: "the scanned target: \(target)"))
  }

  static func notifications(_ summary: ScanSummary, _ index: [String: Int]) -> [SARIF.Notification] {
    var out: [SARIF.Notification] = []
    for e in summary.ruleErrors {
      out.append(
        SARIF.Notification(
          level: "error",
          message: SARIF.Message(text: "rule '\(e.ruleID)' did not finish on \(e.path): \(e.message)"),
          locations: [SARIF.Location(physicalLocation: SARIF.PhysicalLocation(artifactLocation: artifact(e.path)))],
          associatedRule: SARIF.RuleReference(id: e.ruleID, index: index[e.ruleID])))
    }
    for s in summary.skipped {
      var text = "skipped \(s.path): \(s.reason.rawValue)"
      if let size = s.size { text += " (\(size) bytes)" }
      if let detail = s.detail { text += ": \(detail)" }
      out.append(
        SARIF.Notification(
          level: "warning", message: SARIF.Message(text: text),
          locations: [SARIF.Location(physicalLocation: SARIF.PhysicalLocation(artifactLocation: artifact(s.path)))]))
    }
    for reason in summary.incomplete {
      out.append(SARIF.Notification(level: "warning", message: SARIF.Message(text: "scan incomplete: \(reason)")))
    }
    return out
  }

  static func uniqued(_ items: [String]) -> [String] {
    var seen = Set<String>()
    return items.filter { seen.insert($0).inserted }
  }
}

/// Percent-encoding of a path as a URI path: every byte outside RFC 3986's
/// unreserved set and `/` is written `%HH`, so spaces, `#`, `%`, `?`, `:` and
/// non-ASCII all give a valid reference that cannot be read as a scheme or fragment.
enum URIPath {
  private static let hexDigits = Array("0123456789ABCDEF")

  static func encode(_ path: String) -> String {
    var out = ""
    for byte in PathBytes.bytes(path) {  // the exact bytes, so the URI maps back to the file
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        out += "%" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0xF)])
      }
    }
    return out
  }
}
