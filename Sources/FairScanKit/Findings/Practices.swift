/// The FAIR platform's key practices, checked over all findings of a scan:
/// no key in frontend code, one key per environment, no key shared by users.
public enum Practices {
  public static let reusedAcrossEnvironments = RuleDescriptor(
    id: "fair.key-reused-across-environments", name: "FAIR key reused across environments",
    description:
      "The same FAIR API key is in files of different environments (production and development, say). Use one key per environment, so revoking one does not stop the others.",
    severity: .high)
  public static let sharedBetweenUsers = RuleDescriptor(
    id: "fair.key-shared-between-users", name: "FAIR key shared between users",
    description:
      "The same FAIR API key was committed by two or more people (different author emails). Each user holds their own keys; revoke the shared one.",
    severity: .high)

  public static var descriptors: [RuleDescriptor] { [reusedAcrossEnvironments, sharedBetweenUsers] }

  /// Rules the practices apply to: the FAIR rules (`Rule.isFAIR`) other than the practices' own.
  static func applies(to ruleID: String) -> Bool {
    Rule.isFAIR(ruleID) && ruleID != reusedAcrossEnvironments.id && ruleID != sharedBetweenUsers.id
  }

  static let frontendHint =
    "a FAIR key in frontend code is public: revoke it now (fairscan revoke) and route FAIR calls through a backend that holds the key"

  // MARK: frontend

  /// Paths of code and assets shipped to browsers.
  static let frontendDirectories: Set<String> = [
    "public", "static", "dist", "build", "www", "wwwroot", "webroot", "htdocs", ".next", ".nuxt", ".svelte-kit",
    "assets",
  ]
  static let frontendSuffixes = [
    ".html", ".htm", ".vue", ".svelte", ".jsx", ".tsx", ".min.js", ".bundle.js", ".chunk.js", ".min.mjs",
  ]
  static let scriptSuffixes = [".js", ".mjs", ".cjs"]

  /// Whether `path` is frontend code; `longLine`: the hit's line is over 1,000 bytes (minified).
  public static func isFrontend(path: String, browserVariable: Bool, longLine: Bool) -> Bool {
    if browserVariable { return true }
    let lower = path.lowercased()
    if frontendSuffixes.contains(where: lower.hasSuffix) { return true }
    if longLine && scriptSuffixes.contains(where: lower.hasSuffix) { return true }
    let directories = lower.split(separator: "/").dropLast()
    return directories.contains { frontendDirectories.contains(String($0)) }
  }

  // MARK: test and example code

  static let testDirectories: Set<String> = [
    "test", "tests", "testdata", "test-data", "test_data", "testing", "fixtures", "fixture", "__tests__", "__mocks__",
    "mocks", "spec", "specs", "benchmark", "benchmarks", "example", "examples", "sample", "samples", "snippets",
    "demo", "demos", "testutils", "testsupport",
  ]
  static let testFileSuffixes = [
    "tests.swift", "test.swift", "_test.go", "_test.py", ".test.js", ".test.ts", ".test.jsx", ".test.tsx",
    ".spec.js", ".spec.ts", ".spec.jsx", ".spec.tsx", "test.java", "test.kt", "tests.cs", "test.cs", "_spec.rb",
    "_test.rb", "_test.rs", ".md", ".rst", ".adoc",
  ]

  /// Test, example, benchmark or documentation code (`Tests/`, `testdata/`, `Examples/`,
  /// `FooTests.swift`, `test_foo.py`, `README.md`).
  public static func isTestOrExample(path: String) -> Bool {
    let lower = path.lowercased()
    let parts = lower.split(separator: "/")
    guard let file = parts.last else { return false }
    if parts.dropLast().contains(where: { part in
      testDirectories.contains(String(part)) || part.hasSuffix("tests") || part.hasSuffix("-test")
        || part.hasSuffix("_test")
    }) {
      return true
    }
    if file.hasPrefix("test_") || file.hasPrefix("test-") { return true }
    return testFileSuffixes.contains { file.hasSuffix($0) }
  }

  static let testVectorHint =
    "found only in test, example or documentation code: if it is a test vector, allow it (fairscan:allow on its line, or .fairscanignore); if it is a real credential, rotate it"

  // MARK: environments

  /// Words naming an environment, and the environment they name.
  static let environmentWords: [String: String] = [
    "prod": "production", "production": "production", "prd": "production", "live": "production",
    "dev": "development", "development": "development", "develop": "development",
    "stage": "staging", "staging": "staging", "stg": "staging",
    "test": "test", "testing": "test", "qa": "qa", "uat": "uat",
    "preprod": "preproduction", "preproduction": "preproduction",
    "sandbox": "sandbox", "local": "local", "demo": "demo", "integration": "integration",
  ]

  /// The environment a path belongs to (`.env.production`, `values-prod.yaml`,
  /// `config/dev/app.yml`), from its file name first, then its directories (innermost first).
  public static func environment(of path: String) -> String? {
    let parts = path.lowercased().split(separator: "/").map(String.init)
    guard let file = parts.last else { return nil }
    let separators: Set<Character> = [".", "-", "_"]
    for word in file.split(whereSeparator: { separators.contains($0) }) {
      if let env = environmentWords[String(word)] { return env }
    }
    for directory in parts.dropLast().reversed() {
      for word in directory.split(whereSeparator: { separators.contains($0) }) {
        if let env = environmentWords[String(word)] { return env }
      }
    }
    return nil
  }

  // MARK: aggregate findings

  /// One finding per FAIR key that is in files of two or more environments.
  static func reusedKeys(_ findings: [Finding]) -> [Finding] {
    var result: [Finding] = []
    for group in groupedBySecret(findings) {
      var envs: [String: [Finding]] = [:]
      for finding in group {
        if let env = environment(of: finding.path) { envs[env, default: []].append(finding) }
      }
      guard envs.count >= 2 else { continue }
      let names = envs.keys.sorted()
      let places = names.map { env in "\(env) (\(Set(envs[env]!.map(\.path)).sorted().joined(separator: ", ")))" }
      let members = names.flatMap { envs[$0]! }
      result.append(
        aggregate(
          reusedAcrossEnvironments, from: members,
          hint:
            "one FAIR key is used in \(places.joined(separator: " and ")): create one key per environment and revoke this one",
          configure: { $0.environments = names }))
    }
    return result
  }

  /// One finding per FAIR key added to history by two or more different author emails.
  /// Each path counts once, by the author of the earliest commit that brought the key there.
  static func sharedKeys(_ findings: [Finding]) -> [Finding] {
    var result: [Finding] = []
    for group in groupedBySecret(findings) {
      var authors: Set<String> = []
      var members: [Finding] = []
      for finding in group {
        let introduced = finding.locations.filter { $0.source == .blob && !$0.commits.isEmpty }
          .min { ($0.commits.map(\.date).min() ?? "") < ($1.commits.map(\.date).min() ?? "") }
        guard let first = introduced?.commits.min(by: { $0.date < $1.date }) else { continue }
        authors.insert(first.email.lowercased())
        members.append(finding)
      }
      guard authors.count >= 2 else { continue }
      let list = authors.sorted()
      result.append(
        aggregate(
          sharedBetweenUsers, from: members,
          hint:
            "one FAIR key was committed by \(list.count) people (\(list.joined(separator: ", "))): give each user their own key and revoke this one",
          configure: { $0.authors = list }))
    }
    return result
  }

  private static func groupedBySecret(_ findings: [Finding]) -> [[Finding]] {
    var order: [String] = []
    var groups: [String: [Finding]] = [:]
    for finding in findings where applies(to: finding.ruleID) {
      if groups[finding.secretSHA256] == nil { order.append(finding.secretSHA256) }
      groups[finding.secretSHA256, default: []].append(finding)
    }
    return order.map { groups[$0]! }
  }

  private static func aggregate(
    _ rule: RuleDescriptor, from members: [Finding], hint: String, configure: (inout Finding) -> Void
  ) -> Finding {
    let paths = Set(members.map(\.path)).sorted()
    var locations: [Location] = []
    for path in paths {
      if let first = members.first(where: { $0.path == path })?.locations.first { locations.append(first) }
    }
    let primary = members.first { $0.path == paths[0] }!
    var finding = Finding(
      ruleID: rule.id, ruleName: rule.name, severity: rule.severity, secret: primary.secret,
      secretSHA256: primary.secretSHA256,
      fingerprint: Fingerprint.make(
        ruleID: rule.id, path: paths.joined(separator: "\n"), secretSHA256: primary.secretSHA256),
      path: primary.path, line: primary.line, column: primary.column, locations: locations,
      presentAtHead: members.contains { $0.presentAtHead == true } ? true : primary.presentAtHead,
      inWorktree: members.contains { $0.inWorktree == true } ? true : primary.inWorktree,
      hint: hint, tags: [])
    configure(&finding)
    return finding
  }
}
