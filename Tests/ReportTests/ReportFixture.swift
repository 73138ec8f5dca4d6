import FairScanKit
#if canImport(FairScanDigest)
  import FairScanDigest  // SHA256 lives here in the main package
#endif

/// A report that exercises every part of the renderers: history with several commits,
/// an unreachable blob, the working tree, a commit message, stdin; paths with spaces,
/// `#`, `%` and non-ASCII; a commit summary with an escape sequence and a bidi override;
/// an author with a comma and quotes; a path that a spreadsheet would read as a formula.
enum ReportFixture {
  /// The secrets as they were in the scanned content. No report may contain them.
  static let rawSecrets = [
    "fair_AbCd1234EfGh5678IjKl9012MnOp3456QrSt",
    "AKIAZ7XQ4MPLW2RT9KJD",
    "hunter2-but-much-longer-Passw0rd!",
    "ghp_Zq8Lm3NxWv5Tr2Yb7Kc4Hd6Jf9Gs1Pa0Ue3Ri",
    "eyJhbGciOiJIUzI1NiJ9.eyJ0eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzAwMDAwMDAwfQ.Xq2Lw9Rt_k8ZrV3mPQx7Nw2Lc5Hs9Jd4",
  ]

  static let hostileSummary = "Add settings \u{1b}[31mred\u{1b}[0m \u{202E}gnp.exe"
  static let spacedPath = "config/prod settings/clé ñ #1 100%.yml"

  static let jane = CommitRef(
    id: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", author: "Jane Doe", email: "jane@example.com",
    date: "2026-03-16T11:39:32Z", summary: hostileSummary)
  static let joe = CommitRef(
    id: "b2c3d4e5f60718293a4b5c6d7e8f901234567890", author: "Doe, \"JD\" Joe", email: "joe@example.com",
    date: "2026-03-17T08:00:00Z", summary: "Merge branch 'ops', with \"quotes\"")
  static let ghost = CommitRef(
    id: "c3d4e5f60718293a4b5c6d7e8f90123456789012", author: "Ghost", email: "",
    date: "2025-12-31T23:59:59Z", summary: "WIP (amended away)", unreachable: true)
  static let messageCommit = CommitRef(
    id: "d4e5f60718293a4b5c6d7e8f9012345678901234", author: "Ann Ops", email: "ann@example.com",
    date: "2026-01-02T03:04:05Z", summary: "Rotate password")

  static func finding(
    _ raw: String, rule: RuleDescriptor, path: String, line: Int, column: Int, locations: [Location],
    head: Bool?, worktree: Bool?, hint: String, tags: [String]
  ) -> Finding {
    let sha = SHA256.hex(Array(raw.utf8))
    return Finding(
      ruleID: rule.id, ruleName: rule.name, severity: rule.severity, secret: Redaction.redact(Array(raw.utf8)),
      secretSHA256: sha, fingerprint: Fingerprint.make(ruleID: rule.id, path: path, secretSHA256: sha),
      path: path, line: line, column: column, locations: locations,
      presentAtHead: head, inWorktree: worktree, hint: hint, tags: tags)
  }

  static let fairRule = RuleDescriptor(
    id: "fair.api-key", name: "FAIR API key", description: "A FAIR API key grants access to the key-management API.",
    severity: .critical)
  static let awsRule = RuleDescriptor(
    id: "aws.access-key-id", name: "AWS access key ID", description: "An AWS access key ID.", severity: .high)
  static let passwordRule = RuleDescriptor(
    id: "generic.password", name: "Password assignment", description: "A literal password assigned to a variable.",
    severity: .medium)
  static let githubRule = RuleDescriptor(
    id: "github.pat", name: "GitHub personal access token", description: "A classic GitHub personal access token.",
    severity: .low)
  static let tokenRule = RuleDescriptor(
    id: "fair.access-token", name: "FAIR access token", description: "A FAIR access token (JWT).", severity: .high)
  static let infoRule = RuleDescriptor(
    id: "generic.high-entropy", name: "High-entropy string", description: "", severity: .info)

  static var report: ScanReport {
    let fair = rawSecrets[0], aws = rawSecrets[1], password = rawSecrets[2], github = rawSecrets[3]
    let f1 = finding(
      fair, rule: fairRule, path: spacedPath, line: 12, column: 9,
      locations: [
        Location(
          source: .blob, path: spacedPath, line: 12, column: 9, endLine: 12, endColumn: 50,
          byteOffset: 311, byteLength: 41, blob: "0123456789abcdef0123456789abcdef01234567",
          commits: [jane, joe], snippet: "api_key: \(Redaction.redact(Array(fair.utf8)))"),
        Location(
          source: .worktree, path: spacedPath, line: 12, column: 9, endLine: 12, endColumn: 50,
          byteOffset: 311, byteLength: 41, snippet: "api_key: \(Redaction.redact(Array(fair.utf8)))"),
      ],
      head: true, worktree: true, hint: "revoke the key with `fairscan keys revoke`, then remove it from history",
      tags: ["fair", "api-key"])
    let f2 = finding(
      aws, rule: awsRule, path: "old/#legacy%.env", line: 3, column: 19,
      locations: [
        Location(
          source: .blob, path: "old/#legacy%.env", line: 3, column: 19, endLine: 3, endColumn: 39,
          byteOffset: 58, byteLength: 20, blob: "89abcdef0123456789abcdef0123456789abcdef",
          commits: [ghost], unreachable: true, snippet: "AWS_ACCESS_KEY_ID=\(Redaction.redact(Array(aws.utf8)))")
      ],
      head: false, worktree: false, hint: "deactivate the key in IAM; run `git gc --prune=now` to drop the object",
      tags: ["aws"])
    let f3 = finding(
      password, rule: passwordRule, path: "(commit message)", line: 4, column: 10,
      locations: [
        Location(
          source: .commitMessage, path: "(commit message)", line: 4, column: 10, endLine: 4, endColumn: 43,
          byteOffset: 87, byteLength: 33, commits: [messageCommit],
          snippet: "password=\(Redaction.redact(Array(password.utf8)))")
      ],
      head: nil, worktree: nil,
      hint: "change the password; a commit message cannot be cleaned without rewriting history",
      tags: [])
    let formulaPath = "=cmd|' /C calc'!A0,x.txt"
    let f4 = finding(
      github, rule: githubRule, path: formulaPath, line: 1, column: 1,
      locations: (1...7).map { n in
        Location(
          source: .file, path: formulaPath, line: n, column: 1, endLine: n, endColumn: 42,
          byteOffset: (n - 1) * 42, byteLength: 41, snippet: Redaction.redact(Array(github.utf8)))
      },
      head: nil, worktree: true, hint: "delete the token at github.com/settings/tokens", tags: ["github"])

    // A JWT found base64-encoded in a Kubernetes secret, expired: low severity, its exp shown.
    var f5 = finding(
      rawSecrets[4], rule: tokenRule, path: "k8s/secret.yaml", line: 8, column: 17,
      locations: [
        Location(
          source: .worktree, path: "k8s/secret.yaml", line: 8, column: 17, endLine: 8, endColumn: 153,
          byteOffset: 140, byteLength: 136,
          snippet: "  FAIR_ACCESS_TOKEN: \(Redaction.redact(Array(rawSecrets[4].utf8)))",
          encoding: "base64")
      ],
      head: true, worktree: true, hint: "this token expired at 2023-11-14T22:13:20Z; remove it",
      tags: ["encoded", "expired"])
    f5.severity = .low
    f5.expiresAt = "2023-11-14T22:13:20Z"
    f5.expired = true
    f5.tokenType = "access"

    var summary = ScanSummary()
    summary.blobsScanned = 120; summary.filesScanned = 14; summary.commitsScanned = 37
    summary.bytesScanned = 1_048_576; summary.findings = 5; summary.suppressed = 1; summary.belowMinimumSeverity = 2
    summary.skipped = [
      SkippedItem(
        path: "assets/big video.mp4", blob: "fedcba9876543210fedcba9876543210fedcba98", reason: .tooLarge,
        size: 104_857_600),
      SkippedItem(path: "dev/fifo", reason: .notRegularFile),
    ]
    summary.ruleErrors = [
      RuleErrorRecord(ruleID: "generic.password", path: "vendor/min.js", message: "match limit exceeded")
    ]
    summary.incomplete = ["1 rule hit a match limit"]
    summary.elapsedSeconds = 1.5
    return ScanReport(
      version: "0.1.0", target: "/home/dev/my repo", findings: [f1, f2, f3, f4, f5], summary: summary,
      rules: [fairRule, awsRule, passwordRule, githubRule, tokenRule, infoRule])
  }

  static var empty: ScanReport {
    ScanReport(version: "0.1.0", target: "/home/dev/clean", findings: [], summary: ScanSummary(), rules: [fairRule])
  }
}
