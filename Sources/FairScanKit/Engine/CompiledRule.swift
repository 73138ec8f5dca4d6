import FairScanDigest
import FairScanRegex

/// A rule ready to run: its pattern compiled with JIT, its vetoes compiled too.
public final class CompiledRule: @unchecked Sendable {
  public let rule: Rule
  let pattern: Pattern
  let secretGroup: Int?
  let stopwords: [[UInt8]]
  let allowPatterns: [(Pattern, AllowTarget)]
  let include: [Glob]
  let exclude: [Glob]
  let keywordIDs: [Int]

  init(rule: Rule, keywordIDs: [Int]) throws(RuleCompileError) {
    self.rule = rule
    self.keywordIDs = keywordIDs
    do {
      pattern = try Pattern(rule.pattern, anchored: rule.startsAtKeyword)
    } catch {
      throw RuleCompileError(file: rule.sourceFile, ruleID: rule.id, message: "pattern \(error)")
    }
    secretGroup = pattern.groupNumber(named: "secret")
    var words: [[UInt8]] = []
    var patterns: [(Pattern, AllowTarget)] = []
    for entry in rule.allow {
      switch entry {
      case .stopword(let word): words.append(Array(word.lowercased().utf8))
      case .regex(let source, let target):
        do { patterns.append((try Pattern(source), target)) } catch {
          throw RuleCompileError(file: rule.sourceFile, ruleID: rule.id, message: "allow pattern \(error)")
        }
      }
    }
    stopwords = words
    allowPatterns = patterns
    include = (rule.paths?.include ?? []).map(Glob.init)
    exclude = (rule.paths?.exclude ?? []).map(Glob.init)
  }

  /// Whether the rule applies to content at `path`. Content without a path (a commit
  /// message, unnamed standard input) gets the rules that name no `include` paths.
  func applies(toPath path: String?) -> Bool {
    guard let path else { return include.isEmpty }
    if exclude.contains(where: { $0.matches(path) }) { return false }
    return include.isEmpty || include.contains(where: { $0.matches(path) })
  }
}
