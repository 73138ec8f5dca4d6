import Yams

/// Turns one YAML rule mapping into a `Rule`, strictly: unknown keys, wrong types and
/// malformed values are `YAMLProblem`s carrying the line and, once known, the rule id.
enum RuleDecoder {
  /// The keys a rule may have, in the order the README documents them.
  static let knownKeys = [
    "id", "name", "description", "severity", "pattern", "keywords", "min_entropy",
    "allow", "paths", "fallback", "secret_format", "test_vectors", "max_size", "window", "starts_at_keyword",
    "examples", "negative_examples", "references",
  ]

  struct Decoded {
    var rule: Rule
    var idLine: Int?
    var patternLine: Int?
  }

  static func decode(_ node: Node, file: String) throws(YAMLProblem) -> Decoded {
    let fields = try YAMLReader.fields(of: node, what: "a rule")
    let ruleLine = node.mark?.line

    guard let idField = fields.first(where: { $0.key == "id" }) else {
      throw YAMLProblem(line: ruleLine, message: "missing 'id'")
    }
    let id = try YAMLReader.string(idField.value, field: "id")
    guard isWellFormedID(id) else {
      throw YAMLProblem(
        line: idField.value.mark?.line ?? idField.line,
        message: "invalid id '\(id)': expected lowercase words joined by dots, like 'fair.api-key'")
    }

    do throws(YAMLProblem) {
      var rule = Rule(id: id, name: "", pattern: "", keywords: [], sourceFile: file)
      var seen: Set<String> = []
      for field in fields {
        seen.insert(field.key)
        try apply(field, to: &rule)
      }
      for required in ["name", "pattern", "keywords"] where !seen.contains(required) {
        throw YAMLProblem(line: ruleLine, message: "missing '\(required)'")
      }
      // A file recognised by its name alone (config/master.key: 32 hex digits, no word to key
      // on) may have no keywords: it then runs on all content, so it must be bound to its file
      // names and to small content.
      if rule.keywords.isEmpty
        && (rule.paths?.include.isEmpty ?? true || (rule.maxSize ?? Int.max) > Self.keywordlessMaxSize)
      {
        throw YAMLProblem(
          line: ruleLine,
          message: "'keywords: []' needs 'paths: include' and a 'max_size' of at most \(Self.keywordlessMaxSize) bytes")
      }
      let patternField = fields.first { $0.key == "pattern" }
      return Decoded(
        rule: rule, idLine: idField.value.mark?.line ?? idField.line,
        patternLine: patternField.flatMap { $0.value.mark?.line ?? $0.line })
    } catch var problem {
      problem.ruleID = id
      throw problem
    }
  }

  // swiftlint:disable:next cyclomatic_complexity
  private static func apply(_ field: YAMLReader.Field, to rule: inout Rule) throws(YAMLProblem) {
    let value = field.value
    let line = value.mark?.line ?? field.line
    switch field.key {
    case "id":
      break
    case "name":
      rule.name = try nonEmpty(YAMLReader.string(value, field: "name"), field: "name", line: line)
    case "description":
      rule.description = try YAMLReader.string(value, field: "description")
    case "severity":
      let text = try YAMLReader.string(value, field: "severity")
      guard let severity = Severity(rawValue: text) else {
        throw YAMLProblem(line: line, message: "unknown severity '\(text)'")
      }
      rule.severity = severity
    case "pattern":
      rule.pattern = try nonEmpty(YAMLReader.string(value, field: "pattern"), field: "pattern", line: line)
    case "keywords":
      rule.keywords = try keywords(value)
    case "min_entropy":
      let text = try YAMLReader.string(value, field: "min_entropy")
      guard let number = Double(text), number >= 0, number <= 8 else {
        throw YAMLProblem(line: line, message: "'min_entropy' must be a number from 0 to 8, not '\(text)'")
      }
      rule.minEntropy = number
    case "allow":
      rule.allow = try YAMLReader.items(value, field: "allow").map { (item) throws(YAMLProblem) in
        try allowEntry(item)
      }
    case "paths":
      rule.paths = try pathFilter(value)
    case "fallback":
      rule.fallback = try boolean(value, field: "fallback", line: line)
    case "max_size":
      let text = try YAMLReader.string(value, field: "max_size")
      guard let size = parseByteSize(text), size > 0 else {
        throw YAMLProblem(line: line, message: "'max_size' must be a size like 16KiB, not '\(text)'")
      }
      rule.maxSize = size
    case "window":
      let text = try YAMLReader.string(value, field: "window")
      guard let size = Int(text), size > 0, size <= 65536 else {
        throw YAMLProblem(line: line, message: "'window' must be a number of bytes from 1 to 65536, not '\(text)'")
      }
      rule.window = size
    case "starts_at_keyword":
      rule.startsAtKeyword = try boolean(value, field: "starts_at_keyword", line: line)
    case "test_vectors":
      rule.testVectors = try boolean(value, field: "test_vectors", line: line)
    case "secret_format":
      let text = try YAMLReader.string(value, field: "secret_format")
      guard let format = SecretFormat(rawValue: text) else {
        let known = SecretFormat.allCases.map(\.rawValue).joined(separator: ", ")
        throw YAMLProblem(line: line, message: "unknown secret_format '\(text)' (expected \(known))")
      }
      rule.secretFormat = format
    case "examples":
      let examples = try YAMLReader.strings(value, field: "examples")
      for example in examples where !hasOneMarkedSecret(example.value) {
        throw YAMLProblem(
          line: example.line ?? line, message: "example must mark its secret with one ⟦ and one ⟧ after it")
      }
      rule.examples = examples.map(\.value)
    case "negative_examples":
      rule.negativeExamples = try YAMLReader.strings(value, field: "negative_examples").map(\.value)
    case "references":
      rule.references = try YAMLReader.strings(value, field: "references").map(\.value)
    default:
      throw YAMLReader.unknownKey(field, known: knownKeys)
    }
  }

  private static func boolean(_ node: Node, field: String, line: Int?) throws(YAMLProblem) -> Bool {
    let text = try YAMLReader.string(node, field: field)
    switch text {
    case "true": return true
    case "false": return false
    default: throw YAMLProblem(line: line, message: "'\(field)' must be true or false, not '\(text)'")
    }
  }

  private static func nonEmpty(_ text: String, field: String, line: Int?) throws(YAMLProblem) -> String {
    if text.isEmpty { throw YAMLProblem(line: line, message: "'\(field)' must not be empty") }
    return text
  }

  /// The largest `max_size` of a rule without keywords (it runs on every piece of content that small).
  static let keywordlessMaxSize = 4096

  private static func keywords(_ node: Node) throws(YAMLProblem) -> [String] {
    let items = try YAMLReader.strings(node, field: "keywords")
    for item in items {
      if item.value.isEmpty {
        throw YAMLProblem(line: item.line, message: "keywords must not be empty")
      }
      if item.value != item.value.lowercased() {
        throw YAMLProblem(line: item.line, message: "keyword '\(item.value)' must be lowercase")
      }
    }
    return items.map(\.value)
  }

  private static func allowEntry(_ node: Node) throws(YAMLProblem) -> AllowEntry {
    if case let .scalar(scalar) = node {
      if scalar.string.isEmpty {
        throw YAMLProblem(line: node.mark?.line, message: "allow stopwords must not be empty")
      }
      return .stopword(scalar.string)
    }
    var regex: String?
    var target = AllowTarget.secret
    for field in try YAMLReader.fields(of: node, what: "an allow entry") {
      switch field.key {
      case "regex":
        regex = try nonEmpty(YAMLReader.string(field.value, field: "regex"), field: "regex", line: field.line)
      case "target":
        let text = try YAMLReader.string(field.value, field: "target")
        guard let value = AllowTarget(rawValue: text) else {
          throw YAMLProblem(
            line: field.value.mark?.line ?? field.line,
            message: "unknown allow target '\(text)' (expected secret, match or line)")
        }
        target = value
      default:
        throw YAMLReader.unknownKey(field, known: ["regex", "target"])
      }
    }
    guard let regex else { throw YAMLProblem(line: node.mark?.line, message: "allow entry needs 'regex'") }
    return .regex(regex, target: target)
  }

  private static func pathFilter(_ node: Node) throws(YAMLProblem) -> PathFilter {
    var filter = PathFilter()
    for field in try YAMLReader.fields(of: node, what: "'paths'") {
      switch field.key {
      case "include": filter.include = try YAMLReader.strings(field.value, field: "include").map(\.value)
      case "exclude": filter.exclude = try YAMLReader.strings(field.value, field: "exclude").map(\.value)
      default: throw YAMLReader.unknownKey(field, known: ["include", "exclude"])
      }
    }
    return filter
  }

  /// The fragments of a `fragments:` mapping: `name: 'pattern'` or `name(a, b): 'pattern'`.
  static func fragments(_ node: Node, file: String) throws(YAMLProblem) -> [RuleFragment] {
    var result: [RuleFragment] = []
    for field in try YAMLReader.fields(of: node, what: "'fragments'") {
      guard let (name, parameters) = RuleFragment.parseSignature(field.key) else {
        throw YAMLProblem(
          line: field.line,
          message:
            "invalid fragment name '\(field.key)': expected lowercase words joined by dashes, like 'key-value' or 'bearer-header(value)'"
        )
      }
      if Set(parameters).count != parameters.count {
        throw YAMLProblem(line: field.line, message: "fragment '\(name)' names a parameter twice")
      }
      let text = try nonEmpty(YAMLReader.string(field.value, field: name), field: name, line: field.line)
      if let problem = FragmentSyntax.problem(in: text) {
        throw YAMLProblem(line: field.value.mark?.line ?? field.line, message: "fragment '\(name)' \(problem)")
      }
      result.append(RuleFragment(name: name, parameters: parameters, pattern: text, sourceFile: file))
    }
    return result
  }

  /// `^[a-z0-9]+(\.[a-z0-9-]+)+$`: a lowercase first word, then one or more `.word`s
  /// that may contain dashes.
  static func isWellFormedID(_ id: String) -> Bool {
    let parts = id.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count >= 2 else { return false }
    func allowed(_ c: Character, dash: Bool) -> Bool {
      ("a"..."z").contains(c) || ("0"..."9").contains(c) || (dash && c == "-")
    }
    return parts.enumerated().allSatisfy { index, part in
      !part.isEmpty && part.allSatisfy { allowed($0, dash: index > 0) }
    }
  }

  /// True when `example` holds exactly one `⟦`, then exactly one `⟧` after it.
  static func hasOneMarkedSecret(_ example: String) -> Bool {
    let opens = example.indices.filter { example[$0] == "⟦" }
    let closes = example.indices.filter { example[$0] == "⟧" }
    return opens.count == 1 && closes.count == 1 && opens[0] < closes[0]
  }
}
