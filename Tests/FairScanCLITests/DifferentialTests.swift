import FairScanKit
import FairScanTestSupport
import Foundation
import XCTest

/// Same bytes, same answer: every rule example and every labelled corpus case, each in its own
/// file, scanned through every source fairscan has (a folder, standard input, the work tree,
/// the index, history, a stash, commits no ref reaches, the scan cache cold and warm, one and
/// several threads, either prefilter). For every file the set of (rule id, secret SHA-256,
/// severity) must be the same from every source.
final class DifferentialTests: XCTestCase {
  /// One file of the test: where it is written and what it holds.
  struct Case {
    var path: String
    var bytes: [UInt8]
  }

  /// What a source reported, per path: "rule secret_sha256 severity" lines.
  typealias Answer = [String: Set<String>]

  /// Findings that compare files with each other (a key in two environments, a key two
  /// people committed): they are not about one file's bytes.
  static let crossFileRules: Set<String> = Set(Practices.descriptors.map(\.id))

  static func cases() throws -> [Case] {
    var cases: [Case] = []
    for rule in try BuiltinRules.rules() {
      // A rule that applies only to some paths gets an example path those paths take.
      let base = rule.paths?.include.first.map(Self.samplePath(for:))
      for (n, example) in (rule.examples + rule.negativeExamples).enumerated() {
        let text = example.replacingOccurrences(of: "⟦", with: "").replacingOccurrences(of: "⟧", with: "")
        let dir = "r/\(rule.id)-\(n)"
        cases.append(Case(path: base.map { "\(dir)/\($0)" } ?? "\(dir).txt", bytes: Array(text.utf8)))
      }
    }
    let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("RuleCorpus").path
    for c in try Corpus.load(paths: [corpus]) {
      // A folder named .git cannot be committed, and folder scans leave it out.
      let path = c.path.split(separator: "/", omittingEmptySubsequences: false)
        .map { $0 == ".git" ? "dot-git" : String($0) }.joined(separator: "/")
      cases.append(Case(path: "c/\(c.id)/\(path)", bytes: Array(c.text.utf8)))
    }
    // The FAIR and credential-file cases again, as members of a zip and of a tar.gz.
    let fair = cases.filter { $0.path.hasPrefix("c/fair-") }.map { (name: $0.path, bytes: $0.bytes) }
    let files = cases.filter { $0.path.hasPrefix("c/credfile-") || $0.path.hasPrefix("c/aws-") }.map {
      (name: $0.path, bytes: $0.bytes)
    }
    cases.append(Case(path: "a/fair-cases.zip", bytes: try ArchiveFixture.zip(fair)))
    cases.append(Case(path: "a/credential-files.tar.gz", bytes: try ArchiveFixture.tar(files, compression: "z")))
    // The FAIR cases again in UTF-16: little-endian with a byte order mark, big-endian without.
    for (name, bytes) in fair {
      let text = String(decoding: bytes, as: UTF8.self)
      cases.append(Case(path: "u/le/" + name, bytes: TextBytes.utf16(text, bigEndian: false, bom: true)))
      cases.append(Case(path: "u/be/" + name, bytes: TextBytes.utf16(text, bigEndian: true, bom: false)))
    }
    // A file larger than one window (16 MiB, `ContentWindows`), FAIR cases across its first boundary.
    let filler = Array("# filler text, nothing secret here\n".utf8)
    var large: [UInt8] = []
    while large.count < (16 << 20) - 3000 { large += filler }
    for (_, bytes) in fair.prefix(30) { large += bytes + [0x0A] }
    while large.count < (17 << 20) { large += filler }
    cases.append(Case(path: "w/large.txt", bytes: large))
    return cases
  }

  /// A relative path a glob takes: `**/.fair/credentials` gives `.fair/credentials`.
  static func samplePath(for glob: String) -> String {
    var path = glob
    while path.hasPrefix("**/") { path.removeFirst(3) }
    return path.replacingOccurrences(of: "**", with: "x").replacingOccurrences(of: "*", with: "x")
  }

  func testEverySourceGivesTheSameAnswerForTheSameBytes() throws {
    let cases = try Self.cases()
    XCTAssertGreaterThan(cases.count, 1000)
    let repo = try GitFixture()
    try repo.git("commit", "-q", "--allow-empty", "-m", "empty start")
    for c in cases { try repo.write(c.path, c.bytes) }
    try repo.git("add", "-A")
    let cacheFile = repo.root + "/cache.sqlite"

    var answers: [(source: String, answer: Answer)] = []
    func record(_ source: String, _ args: [String]) throws {
      answers.append((source, try Self.answer(args)))
    }
    // Files as they are, and what is staged.
    try record("dir", ["dir", repo.path])
    try record("dir --prefilter vectorscan", ["dir", repo.path, "--prefilter", "vectorscan"])
    try record("work tree", ["repo", repo.path, "--no-history", "--no-cache"])
    try record("index (staged)", ["staged", repo.path])
    answers.append(("stdin", try Self.stdinAnswer(cases)))
    // Only in a stash.
    try repo.git("stash", "-q")
    try record("stash", ["repo", repo.path, "--history-only", "--no-cache"])
    try repo.git("stash", "pop", "-q")
    // Committed.
    _ = try repo.commitAll("all cases")
    try record("history", ["repo", repo.path, "--history-only", "--no-cache"])
    try record("history --jobs 1", ["repo", repo.path, "--history-only", "--no-cache", "--jobs", "1"])
    try record("history --jobs 4", ["repo", repo.path, "--history-only", "--no-cache", "--jobs", "4"])
    try record("history, cache cold", ["repo", repo.path, "--history-only", "--cache", cacheFile])
    try record("history, cache warm", ["repo", repo.path, "--history-only", "--cache", cacheFile])
    try record(
      "history --prefilter vectorscan",
      ["repo", repo.path, "--history-only", "--no-cache", "--prefilter", "vectorscan"])
    // Reset away: the commit is reached by no ref.
    try repo.git("reset", "-q", "--hard", "HEAD~1")
    try repo.git("reflog", "expire", "--expire=now", "--all")
    try record("unreachable", ["repo", repo.path, "--history-only", "--no-cache"])

    let reference = answers[0]
    XCTAssertGreaterThan(reference.answer.count, 500, "most files hold a finding")
    var differences: [String] = []
    for (source, answer) in answers.dropFirst() {
      for path in Set(reference.answer.keys).union(answer.keys).sorted() {
        let want = reference.answer[path] ?? [], got = answer[path] ?? []
        guard want != got else { continue }
        differences.append(
          "\(path): \(source) differs from \(reference.source): missing \(want.subtracting(got).sorted()), extra \(got.subtracting(want).sorted())"
        )
      }
    }
    XCTAssertEqual(differences.count, 0, "\n" + differences.prefix(40).joined(separator: "\n"))
  }

  func testOneBlobAtSeveralPathsIsJudgedPerPath() throws {
    // The same bytes at a path only the credentials-file rule takes, at an ordinary path, and
    // at a path a generic rule leaves out: history reads the blob once, before its paths are
    // known, and must still answer for each path as a file scan of that path does.
    let text =
      "[default]\napi_key = Lp0Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7\ntoken = 'Qm2Xw9Zp4Ty7Ln3Vb8Kc1Rd6Hs5Jf0Ga-Ue_TkMoPiN'\n"
    let repo = try GitFixture()
    for path in [".fair/credentials", "notes/settings.ini", "Tests/fixtures/settings.ini"] {
      try repo.write(path, text)
    }
    _ = try repo.commitAll("one blob, three paths")
    let fromFiles = try Self.answer(["dir", repo.path])
    XCTAssertEqual(
      Set(fromFiles.keys), [".fair/credentials", "notes/settings.ini"], "the generic rules leave test paths out")
    XCTAssertNotEqual(
      fromFiles[".fair/credentials"], fromFiles["notes/settings.ini"], "the paths do get different answers")
    for args in [["repo", repo.path, "--history-only", "--no-cache"], ["staged", repo.path]] {
      if args[0] == "staged" {
        try repo.git("rm", "-q", "--cached", "-r", ".")
        try repo.git("commit", "-q", "--allow-empty", "-m", "empty")
        try repo.git("add", "-A")
      }
      XCTAssertEqual(try Self.answer(args), fromFiles, "\(args)")
    }
  }

  /// Runs a scan with every finding shown and returns its answer per path.
  static func answer(_ args: [String]) throws -> Answer {
    let result = try Fairscan.run(
      args + ["--format", "json", "--min-severity", "info", "--quiet", "--no-verify"], timeout: 600)
    XCTAssertTrue([0, 1].contains(result.status), "\(args): exit \(result.status): \(result.stderrText)")
    let report = try result.jsonObject()
    XCTAssertEqual(report.summary["incomplete"] as? [String], [], "\(args)")
    return answer(report)
  }

  static func answer(_ report: [String: Any]) -> Answer {
    var answer: Answer = [:]
    for finding in report.findings {
      guard let rule = finding["rule_id"] as? String, !crossFileRules.contains(rule),
        let path = finding["path"] as? String, let sha = finding["secret_sha256"] as? String,
        let severity = finding["severity"] as? String
      else { continue }
      answer[path, default: []].insert("\(rule) \(sha) \(severity)")
    }
    return answer
  }

  /// `fairscan stdin --name PATH` for every file, a few at a time.
  static func stdinAnswer(_ cases: [Case]) throws -> Answer {
    let answers = Locked<Answer>([:])
    let failures = Locked<[String]>([])
    let cache = try TemporaryFolder.make().path
    DispatchQueue.concurrentPerform(iterations: 4) { lane in
      for c in cases.indices where c % 4 == lane {
        let path = cases[c].path
        do {
          let result = try Run.process(
            Fairscan.binary,
            ["stdin", "--name", path, "--format", "json", "--min-severity", "info", "--quiet", "--no-verify"],
            environment: ["FAIRSCAN_CACHE_DIR": cache, "NO_COLOR": "1"], input: cases[c].bytes, timeout: 120)
          guard let report = try? JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any] else {
            failures.update { $0.append("\(path): exit \(result.status): \(result.stderrText)") }
            continue
          }
          let one = answer(report)
          answers.update { $0.merge(one) { $0.union($1) } }
        } catch {
          failures.update { $0.append("\(path): \(error)") }
        }
      }
    }
    XCTAssertEqual(failures.value, [])
    return answers.value
  }
}

/// A value several threads update under a lock.
final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value
  init(_ value: Value) { stored = value }
  var value: Value { lock.withLock { stored } }
  func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
