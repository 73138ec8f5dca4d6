import Foundation
import Yams

/// A rule file, or a folder of them, as written: rules whose patterns may use fragments
/// (`{{name}}`), and the fragments it defines.
public struct RuleDocument: Sendable {
  public var rules: [Rule]
  public var fragments: [RuleFragment]
  /// The line of each rule's pattern, by rule id (for messages).
  var patternLines: [String: Int] = [:]

  public init(rules: [Rule] = [], fragments: [RuleFragment] = []) {
    self.rules = rules; self.fragments = fragments
  }

  /// The fragments the rules expand with: the document's own, then `fallback`'s.
  public func fragmentTable(fallback: FragmentTable?) throws(RuleLoadError) -> FragmentTable {
    try FragmentTable(fragments, fallback: fallback)
  }

  /// The rules with their patterns expanded by `table`.
  public func expandedRules(with table: FragmentTable) throws(RuleLoadError) -> [Rule] {
    var result: [Rule] = []
    result.reserveCapacity(rules.count)
    for rule in rules {
      do {
        result.append(try table.expand(rule))
      } catch {
        throw .invalid(file: rule.sourceFile, ruleID: rule.id, line: patternLines[rule.id], message: error.description)
      }
    }
    return result
  }

  mutating func append(_ other: RuleDocument) {
    rules += other.rules
    fragments += other.fragments
    patternLines.merge(other.patternLines) { first, _ in first }
  }
}

/// Reads rules from YAML (see `rules/README.md` for the format).
///
/// Loading checks the shape of every rule: required fields, types, id syntax,
/// severities, unknown keys (typo protection), duplicate ids, and the `⟦`…`⟧`
/// markers of examples; and of every fragment. `parse` keeps patterns as written;
/// `load` expands their fragments. Neither compiles patterns: that is the engine's job
/// (`fairscan rules check` runs the examples through PCRE2).
public enum RuleLoader {
  /// Parses one YAML document (`rules:`, `fragments:` or both); `file` is recorded as each
  /// rule's and fragment's `sourceFile` and used in error messages.
  public static func parse(yaml: String, file: String) throws(RuleLoadError) -> RuleDocument {
    do throws(YAMLProblem) {
      guard let root = try YAMLReader.compose(yaml) else {
        throw YAMLProblem(line: 1, message: "expected a mapping with a 'rules' list")
      }
      var ruleNodes: [Node] = []
      var document = RuleDocument()
      var sawRules = false
      var sawFragments = false
      for field in try YAMLReader.fields(of: root, what: "the document") {
        switch field.key {
        case "rules":
          sawRules = true
          ruleNodes = try YAMLReader.items(field.value, field: "rules")
        case "fragments":
          sawFragments = true
          document.fragments = try RuleDecoder.fragments(field.value, file: file)
        default:
          throw YAMLReader.unknownKey(field, known: ["rules", "fragments"])
        }
      }
      if !sawRules && !sawFragments { throw YAMLProblem(line: root.mark?.line ?? 1, message: "missing 'rules'") }
      var firstLine: [String: Int] = [:]
      for node in ruleNodes {
        let decoded = try RuleDecoder.decode(node, file: file)
        if let first = firstLine[decoded.rule.id] {
          throw YAMLProblem(
            line: decoded.idLine, message: "duplicate id (first defined at line \(first))",
            ruleID: decoded.rule.id)
        }
        firstLine[decoded.rule.id] = decoded.idLine ?? 0
        document.rules.append(decoded.rule)
        document.patternLines[decoded.rule.id] = decoded.patternLine
      }
      return document
    } catch let problem {
      if problem.isSyntax {
        throw .syntax(file: file, line: problem.line ?? 1, message: problem.message)
      }
      throw .invalid(file: file, ruleID: problem.ruleID, line: problem.line, message: problem.message)
    }
  }

  /// Parses a rule file, or every `*.yml` / `*.yaml` file of a folder (not its subfolders)
  /// in name order, then checks that rule ids are unique across them.
  public static func parse(path: String) throws(RuleLoadError) -> RuleDocument {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .unreadable(file: path, message: "no such file or folder")
    }
    guard isDirectory.boolValue else { return try parse(yaml: readText(path), file: path) }

    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      throw .unreadable(file: path, message: "cannot list folder")
    }
    let base = path.hasSuffix("/") ? path : path + "/"
    var document = RuleDocument()
    for name in names.filter(isRuleFileName).sorted() {
      let file = base + name
      document.append(try parse(yaml: readText(file), file: file))
    }
    try checkUniqueIDs(document.rules)
    return document
  }

  /// The rules of one YAML document, their patterns expanded with the document's fragments
  /// and then `fallback`'s (by default the built-in ones).
  public static func load(
    yaml: String, file: String, fallback: FragmentTable? = BuiltinRules.fragmentTable
  ) throws(RuleLoadError) -> [Rule] {
    let document = try parse(yaml: yaml, file: file)
    return try document.expandedRules(with: document.fragmentTable(fallback: fallback))
  }

  /// The rules of a file or folder (see `parse(path:)`), their patterns expanded with the
  /// fragments it defines and then `fallback`'s (by default the built-in ones).
  public static func load(
    path: String, fallback: FragmentTable? = BuiltinRules.fragmentTable
  ) throws(RuleLoadError) -> [Rule] {
    let document = try parse(path: path)
    return try document.expandedRules(with: document.fragmentTable(fallback: fallback))
  }

  /// Throws `.invalid` for the first rule whose id an earlier rule already uses.
  public static func checkUniqueIDs(_ rules: [Rule]) throws(RuleLoadError) {
    var seen: [String: String] = [:]
    for rule in rules {
      if let first = seen[rule.id] {
        throw .invalid(
          file: rule.sourceFile, ruleID: rule.id, line: nil,
          message: "duplicate id (first defined in \(first))")
      }
      seen[rule.id] = rule.sourceFile
    }
  }

  static func isRuleFileName(_ name: String) -> Bool {
    !name.hasPrefix(".") && (name.hasSuffix(".yml") || name.hasSuffix(".yaml"))
  }

  static func readText(_ path: String) throws(RuleLoadError) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .unreadable(file: path, message: "cannot open file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .unreadable(file: path, message: "not valid utf-8")
    }
    return text
  }
}
