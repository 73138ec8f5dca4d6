import FairScanDigest
import FairScanRegex

/// A rule ready to run: its pattern and vetoes compiled (JIT follows at the first match).
///
/// A rule the built-in set vouches for (same pattern and allow patterns as a built-in rule,
/// which the test suite compiles) is compiled at its first use: most scans run a handful of
/// rules, and a warm rescan with nothing new to read runs none, so compiling all of them
/// first would be about 3 ms of every hook and rescan spent for nothing. Any other rule
/// (`--rules`, a config's rule files, the inventory's digest rule) is compiled at once, so a
/// bad pattern is a usage error before anything is scanned.
public final class CompiledRule: @unchecked Sendable {
  public let rule: Rule
  let stopwords: [[UInt8]]
  let include: [Glob]
  let exclude: [Glob]
  let keywordIDs: [Int]

  /// The compiled pattern and allow patterns.
  struct Matcher {
    let pattern: Pattern
    let secretGroup: Int?
    let allowPatterns: [(Pattern, AllowTarget)]
  }

  private let matcherState: MadeOnce<Matcher, RuleCompileError>

  init(rule: Rule, keywordIDs: [Int], compileNow: Bool = true) throws(RuleCompileError) {
    self.rule = rule
    self.keywordIDs = keywordIDs
    stopwords = rule.allow.compactMap { entry -> [UInt8]? in
      if case .stopword(let word) = entry { return Array(word.lowercased().utf8) }
      return nil
    }
    include = (rule.paths?.include ?? []).map(Glob.init)
    exclude = (rule.paths?.exclude ?? []).map(Glob.init)
    if compileNow {
      let compiled = Self.compile(rule)
      if case .failure(let error) = compiled { throw error }
      matcherState = MadeOnce(compiled)
    } else {
      matcherState = MadeOnce()
    }
  }

  /// The compiled pattern and vetoes, compiled now if they were not yet (once, whichever
  /// thread asks first). A failure can only come from a rule compiled lazily that PCRE2
  /// refuses after all; the scan then reports it as a rule error.
  func matcher() -> Result<Matcher, RuleCompileError> { matcherState.value { Self.compile(rule) } }

  /// Whether the pattern was compiled already (tests).
  var isCompiled: Bool { matcherState.isMade }

  private static func compile(_ rule: Rule) -> Result<Matcher, RuleCompileError> {
    let pattern: Pattern
    do { pattern = try Pattern(rule.pattern, anchored: rule.startsAtKeyword) } catch {
      return .failure(RuleCompileError(file: rule.sourceFile, ruleID: rule.id, message: "pattern \(error)"))
    }
    var allowPatterns: [(Pattern, AllowTarget)] = []
    for case .regex(let source, let target) in rule.allow {
      do { allowPatterns.append((try Pattern(source), target)) } catch {
        return .failure(RuleCompileError(file: rule.sourceFile, ruleID: rule.id, message: "allow pattern \(error)"))
      }
    }
    return .success(
      Matcher(pattern: pattern, secretGroup: pattern.groupNumber(named: "secret"), allowPatterns: allowPatterns))
  }

  /// Whether the rule applies to content at `path`. Content without a path (a commit
  /// message, unnamed standard input) gets the rules that name no `include` paths.
  func applies(toPath path: String?) -> Bool { applies(toPath: path.map(Glob.Path.init)) }

  /// `applies(toPath:)` for a path already split.
  func applies(toPath path: Glob.Path?) -> Bool {
    guard let path else { return include.isEmpty }
    if exclude.contains(where: { $0.matches(path) }) { return false }
    return include.isEmpty || include.contains(where: { $0.matches(path) })
  }
}
