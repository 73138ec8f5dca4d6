import FairScanDigest
import FairScanRegex

/// Every rule in force, plus the keyword database that gates them (and, opt-in,
/// a Vectorscan database over all their patterns).
public final class RuleSet: @unchecked Sendable {
  public let rules: [CompiledRule]
  /// Lowercase keywords, indexed by keyword id.
  let keywords: [[UInt8]]
  /// Whether each keyword's every occurrence is needed (windowed rules), by keyword id.
  private let keywordRecord: [Bool]
  /// Where the keyword database is kept between runs (`MultiPatternCache`).
  private let cacheDirectory: String?
  /// The keyword matcher, made by the first worker (`keywordMatcher()`).
  private let keywordMatcherMade = MadeOnce<KeywordMatcher, PatternError>()
  /// For each keyword id, the rules it gates (ascending); and the rules no keyword gates, which
  /// run on all content. A scan visits only the rules of the keywords it found.
  let rulesByKeyword: [[Int]]
  let ungatedRules: [Int]
  /// Only with `Prefilter.vectorscan`.
  let database: MultiPatternDatabase?
  /// Rules Vectorscan could not take: PCRE2 runs on them whenever a keyword allows.
  let unfiltered: Set<Int>
  /// Hex SHA-256 over every rule's id, pattern, keywords, vetoes and digest gate
  /// (`digest(of:)`). The built-in rules' digest is computed when they are generated
  /// (`BuiltinRules.digest`): hashing every rule costs about 2 ms a warm rescan need not spend.
  public var digest: String {
    let plain = rules.map(\.rule)
    if let builtin = try? BuiltinRules.rules(), plain == builtin { return BuiltinRules.digest }
    return Self.digest(of: plain)
  }

  /// Hex SHA-256 over `rules`: every field a scan's results depend on, in order.
  public static func digest(of rules: [Rule]) -> String {
    // Spelled out field by field: interpolating the arrays and enums themselves goes through
    // reflection, about 3 ms of every warm rescan (the scan cache's key holds this digest).
    func list(_ values: [String]) -> String { "[" + values.map(\.debugDescription).joined(separator: ", ") + "]" }
    var text = ""
    for rule in rules {
      let allow = rule.allow.map { entry -> String in
        switch entry {
        case .stopword(let word): return "stopword \(word.debugDescription)"
        case .regex(let source, let target): return "regex \(source.debugDescription) \(target.rawValue)"
        }
      }
      let paths = rule.paths.map { "include \(list($0.include)) exclude \(list($0.exclude))" } ?? "nil"
      text +=
        "\(rule.id)\u{0}\(rule.pattern)\u{0}\(list(rule.keywords))\u{0}\(list(allow))\u{0}\(rule.minEntropy ?? -1)\u{0}\(paths)\u{0}\(rule.fallback)\u{0}\(rule.secretFormat?.rawValue ?? "")\u{0}\(rule.testVectors)\u{0}\(rule.maxSize ?? -1)\u{0}\(rule.window ?? -1)\u{0}\(rule.startsAtKeyword)\u{1}"
      if let gate = rule.digestGate { text += "\(gate.algorithm.rawValue)\u{0}\(list(gate.digests.sorted()))\u{1}" }
    }
    return SHA256.hex(Array(text.utf8))
  }

  public init(rules input: [Rule], prefilter: Prefilter = .keywords, cacheDirectory: String? = nil)
    throws(RuleCompileError)
  {
    var keywordIndex: [String: Int] = [:]
    var keywordList: [[UInt8]] = []
    var compiled: [CompiledRule] = []
    var seen: Set<String> = []
    for rule in input {
      guard seen.insert(rule.id).inserted else {
        throw RuleCompileError(file: rule.sourceFile, ruleID: rule.id, message: "duplicate rule id")
      }
      var ids: [Int] = []
      for word in rule.keywords {
        let lower = word.lowercased()
        guard !lower.isEmpty else { continue }
        if let id = keywordIndex[lower] { ids.append(id); continue }
        keywordIndex[lower] = keywordList.count
        ids.append(keywordList.count)
        keywordList.append(Array(lower.utf8))
      }
      compiled.append(try CompiledRule(rule: rule, keywordIDs: ids, compileNow: !BuiltinRules.vouches(for: rule)))
    }
    rules = compiled
    keywords = keywordList
    var record = [Bool](repeating: false, count: keywordList.count)
    for rule in compiled where rule.rule.window != nil || rule.rule.startsAtKeyword {
      for id in rule.keywordIDs { record[id] = true }
    }
    var byKeyword = [[Int]](repeating: [], count: keywordList.count)
    for (index, rule) in compiled.enumerated() {
      for id in Set(rule.keywordIDs) { byKeyword[id].append(index) }
    }
    rulesByKeyword = byKeyword
    ungatedRules = compiled.indices.filter { compiled[$0].keywordIDs.isEmpty }
    keywordRecord = record
    self.cacheDirectory = cacheDirectory

    if prefilter == .vectorscan {
      let costly = Set(compiled.indices.filter { Self.costlyForVectorscan(compiled[$0].rule.pattern) })
      let patterns = compiled.enumerated().filter { !costly.contains($0.offset) }.map { index, rule in
        MultiPattern(id: UInt32(index), expression: rule.rule.pattern, kind: .regex)
      }
      do {
        database = try MultiPatternDatabase(patterns: patterns, cacheDirectory: cacheDirectory)
      } catch {
        throw RuleCompileError(file: "(rules)", ruleID: "*", message: "\(error)")
      }
      unfiltered = Set(database!.rejected.keys.map { Int($0) }).union(costly)
    } else {
      database = nil
      unfiltered = []
    }

  }

  /// Finds the keywords (every occurrence of those windowed rules need) and the encoded-span
  /// triggers. Made at the first call, by the first worker (`ScanWorker`), and kept: a rescan
  /// that replays its history record scans nothing and never needs it (its database read back
  /// from the cache folder costs about 1 ms). A failure is every worker's failure, which each
  /// scan reports (a file or object not scanned, the scan incomplete).
  func keywordMatcher() throws(PatternError) -> KeywordMatcher {
    try keywordMatcherMade.value {
      Result { () throws(PatternError) in
        try KeywordMatcher(keywords: keywords, record: keywordRecord, cacheDirectory: cacheDirectory)
      }
    }.get()
  }

  /// Whether a worker has made the keyword matcher yet.
  var hasKeywordMatcher: Bool { keywordMatcherMade.isMade }

  /// Whether a pattern's repeats would make Vectorscan's database compile take minutes: a group
  /// repeated more than 16 times (a PuTTY key's up to 128 base64 lines of up to 64 characters)
  /// or any repeat bounded above 1,000. Such a rule is left out of the database and runs PCRE2
  /// wherever its keywords allow, as a rule Vectorscan refuses does.
  static func costlyForVectorscan(_ pattern: String) -> Bool {
    let bytes = Array(pattern.utf8)
    var i = 0
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
      if bytes[i] == UInt8(ascii: "{"), let close = bytes[i...].firstIndex(of: UInt8(ascii: "}")) {
        let inside = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
        let bounds = inside.split(separator: ",", omittingEmptySubsequences: false)
        if (1...2).contains(bounds.count), bounds.allSatisfy({ $0.allSatisfy(\.isNumber) }),
          let upper = Int(bounds.last!)
        {
          let group = i > 0 && bytes[i - 1] == UInt8(ascii: ")")
          if upper > 1000 || (group && upper > 16) { return true }
        }
      }
      i += 1
    }
    return false
  }

  /// The rules, and the FAIR practice checks when FAIR rules are among them.
  public var descriptors: [RuleDescriptor] {
    let own = rules.map {
      RuleDescriptor(id: $0.rule.id, name: $0.rule.name, description: $0.rule.description, severity: $0.rule.severity)
    }
    return rules.contains { Practices.applies(to: $0.rule.id) } ? own + Practices.descriptors : own
  }
}
