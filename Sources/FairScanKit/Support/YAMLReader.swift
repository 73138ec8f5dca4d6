import Yams

/// A problem found while reading YAML, before the caller turns it into its own error type
/// (`RuleLoadError`, `ConfigError`). `isSyntax` is true when the text is not YAML at all;
/// `ruleID` names the rule being read, when there is one and its id is known.
struct YAMLProblem: Error, Equatable {
  var line: Int?
  var message: String
  var isSyntax = false
  var ruleID: String? = nil
}

/// Small, strict helpers over Yams' node tree: every value keeps its line so that
/// error messages can point at it, and every shape mistake is a `YAMLProblem`.
enum YAMLReader {
  /// Parses the first document of `yaml`; nil when the document is empty.
  static func compose(_ yaml: String) throws(YAMLProblem) -> Node? {
    do {
      return try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      throw problem(from: error, yaml: yaml)
    } catch {
      throw YAMLProblem(line: 1, message: "\(error)", isSyntax: true)
    }
  }

  private static func problem(from error: YamlError, yaml: String) -> YAMLProblem {
    switch error {
    case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _),
      let .composer(_, problem, mark, _):
      return YAMLProblem(line: mark.line, message: problem, isSyntax: true)
    case let .reader(problem, offset, _, _):
      let line = offset.map { o in 1 + yaml.utf8.prefix(o).lazy.filter { $0 == 0x0A }.count } ?? 1
      return YAMLProblem(line: line, message: problem, isSyntax: true)
    case let .duplicatedKeysInMapping(duplicates, context):
      let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
      return YAMLProblem(line: context.mark.line, message: "duplicate key \(names)")
    default:
      return YAMLProblem(line: 1, message: "\(error)", isSyntax: true)
    }
  }

  /// One `key: value` pair of a mapping, with the key's line.
  struct Field {
    var key: String
    var line: Int?
    var value: Node
  }

  /// The pairs of a mapping node, in document order. `what` names the node in messages.
  static func fields(of node: Node, what: String) throws(YAMLProblem) -> [Field] {
    guard case let .mapping(mapping) = node else {
      throw YAMLProblem(line: node.mark?.line, message: "\(what) must be a mapping")
    }
    var result: [Field] = []
    for (key, value) in mapping {
      guard case let .scalar(scalar) = key else {
        throw YAMLProblem(line: key.mark?.line, message: "\(what) has a key that is not a string")
      }
      result.append(Field(key: scalar.string, line: key.mark?.line ?? node.mark?.line, value: value))
    }
    return result
  }

  /// A scalar's text (any scalar: `123` reads as "123").
  static func string(_ node: Node, field: String) throws(YAMLProblem) -> String {
    guard case let .scalar(scalar) = node else {
      throw YAMLProblem(line: node.mark?.line, message: "'\(field)' must be a string")
    }
    return scalar.string
  }

  /// A sequence of scalars, each with its line. A single scalar is not accepted as a list.
  static func strings(_ node: Node, field: String) throws(YAMLProblem) -> [(value: String, line: Int?)] {
    guard case let .sequence(sequence) = node else {
      throw YAMLProblem(line: node.mark?.line, message: "'\(field)' must be a list of strings")
    }
    var result: [(value: String, line: Int?)] = []
    for item in sequence {
      guard case let .scalar(scalar) = item else {
        throw YAMLProblem(line: item.mark?.line ?? node.mark?.line, message: "'\(field)' must be a list of strings")
      }
      result.append((scalar.string, item.mark?.line))
    }
    return result
  }

  /// The sequence's items as nodes.
  static func items(_ node: Node, field: String) throws(YAMLProblem) -> [Node] {
    guard case let .sequence(sequence) = node else {
      throw YAMLProblem(line: node.mark?.line, message: "'\(field)' must be a list")
    }
    return Array(sequence)
  }

  /// An "unknown key" problem, with a suggestion when a known key is one or two edits away.
  static func unknownKey(_ field: Field, known: [String]) -> YAMLProblem {
    var message = "unknown key '\(field.key)'"
    if let near = known.min(by: { editDistance($0, field.key) < editDistance($1, field.key) }),
      editDistance(near, field.key) <= 2
    {
      message += " (did you mean '\(near)'?)"
    }
    return YAMLProblem(line: field.line, message: message)
  }

  /// Levenshtein distance over bytes (for "did you mean" hints on short keys).
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    var previous = Array(0...b.count)
    for i in 0..<a.count {
      var current = [i + 1] + Array(repeating: 0, count: b.count)
      for j in 0..<b.count {
        current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a[i] == b[j] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
