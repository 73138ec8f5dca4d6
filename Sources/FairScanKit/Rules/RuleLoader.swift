import Foundation
import Yams

/// Reads rules from YAML (see `rules/README.md` for the format).
///
/// Loading checks the shape of every rule: required fields, types, id syntax,
/// severities, unknown keys (typo protection), duplicate ids, and the `⟦`…`⟧`
/// markers of examples. It does not compile patterns: that is the engine's job
/// (`fairscan rules check` runs the examples through PCRE2).
public enum RuleLoader {
  /// Parses the rules of one YAML document; `file` is recorded as each rule's
  /// `sourceFile` and used in error messages.
  public static func load(yaml: String, file: String) throws(RuleLoadError) -> [Rule] {
    do throws(YAMLProblem) {
      guard let root = try YAMLReader.compose(yaml) else {
        throw YAMLProblem(line: 1, message: "expected a mapping with a 'rules' list")
      }
      var ruleNodes: [Node] = []
      var sawRules = false
      for field in try YAMLReader.fields(of: root, what: "the document") {
        guard field.key == "rules" else { throw YAMLReader.unknownKey(field, known: ["rules"]) }
        sawRules = true
        ruleNodes = try YAMLReader.items(field.value, field: "rules")
      }
      if !sawRules { throw YAMLProblem(line: root.mark?.line ?? 1, message: "missing 'rules'") }
      var rules: [Rule] = []
      var firstLine: [String: Int] = [:]
      for node in ruleNodes {
        let decoded = try RuleDecoder.decode(node, file: file)
        if let first = firstLine[decoded.rule.id] {
          throw YAMLProblem(
            line: decoded.idLine, message: "duplicate id (first defined at line \(first))",
            ruleID: decoded.rule.id)
        }
        firstLine[decoded.rule.id] = decoded.idLine ?? 0
        rules.append(decoded.rule)
      }
      return rules
    } catch let problem {
      if problem.isSyntax {
        throw .syntax(file: file, line: problem.line ?? 1, message: problem.message)
      }
      throw .invalid(file: file, ruleID: problem.ruleID, line: problem.line, message: problem.message)
    }
  }

  /// Loads a rule file, or every `*.yml` / `*.yaml` file of a folder (not its
  /// subfolders) in name order, then checks that ids are unique across them.
  public static func load(path: String) throws(RuleLoadError) -> [Rule] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .unreadable(file: path, message: "no such file or folder")
    }
    guard isDirectory.boolValue else { return try load(yaml: readText(path), file: path) }

    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      throw .unreadable(file: path, message: "cannot list folder")
    }
    let base = path.hasSuffix("/") ? path : path + "/"
    var rules: [Rule] = []
    for name in names.filter(isRuleFileName).sorted() {
      let file = base + name
      rules += try load(yaml: readText(file), file: file)
    }
    try checkUniqueIDs(rules)
    return rules
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
