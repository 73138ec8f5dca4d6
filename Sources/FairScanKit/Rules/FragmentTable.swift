/// Why a pattern's fragments could not be expanded.
public enum FragmentError: Error, Equatable, CustomStringConvertible {
  /// `{{name}}` names no fragment (and no parameter of the fragment it is in).
  case undefined(String)
  /// Expanding the fragment would never end: the names in the order they use each other.
  case cycle([String])
  /// A fragment used with the wrong number of arguments.
  case arguments(name: String, expected: Int, given: Int)

  public var description: String {
    switch self {
    case .undefined(let name): return "undefined fragment '\(name)'"
    case .cycle(let names): return "fragments form a cycle: \(names.joined(separator: " → "))"
    case let .arguments(name, expected, given):
      return "fragment '\(name)' takes \(expected) argument\(expected == 1 ? "" : "s"), not \(given)"
    }
  }
}

/// The fragments rules may use, by name: a rule file's (or folder's) own, and as a fallback
/// those of the built-in rules, so custom rules can use `{{key-value}}` too.
///
/// Expanding replaces each reference with the fragment's text, itself expanded, verbatim.
public struct FragmentTable: Sendable {
  private var byName: [String: RuleFragment]
  /// Keywords a rule gains when its pattern uses the fragment (`fair_hosts`: the hosts).
  private var addedKeywords: [String: [String]]

  /// The fragments of `own`, then those of `fallback` whose names `own` doesn't define.
  /// Throws when `own` defines a name twice.
  public init(_ own: [RuleFragment], fallback: FragmentTable? = nil) throws(RuleLoadError) {
    byName = fallback?.byName ?? [:]
    addedKeywords = fallback?.addedKeywords ?? [:]
    var defined: [String: String] = [:]
    for fragment in own {
      if let first = defined[fragment.name] {
        throw .invalid(
          file: fragment.sourceFile, ruleID: nil, line: nil,
          message: "fragment '\(fragment.name)' is defined twice (also in \(first))")
      }
      defined[fragment.name] = fragment.sourceFile
      byName[fragment.name] = fragment
      addedKeywords[fragment.name] = nil
    }
  }

  public static let empty = try! FragmentTable([])

  public subscript(name: String) -> RuleFragment? { byName[name] }

  public var names: [String] { byName.keys.sorted() }

  /// This table with `fragment` in place of the one of its name, and `keywords` added to
  /// every rule that uses it.
  public func replacing(_ fragment: RuleFragment, keywords: [String]) -> FragmentTable {
    var copy = self
    copy.byName[fragment.name] = fragment
    copy.addedKeywords[fragment.name] = keywords
    return copy
  }

  /// `pattern` with every fragment reference expanded, and the names of the fragments used
  /// (directly or through other fragments).
  public func expand(_ pattern: String) throws(FragmentError) -> (pattern: String, used: Set<String>) {
    var used: Set<String> = []
    let text = try expand(pattern, bindings: [:], stack: [], used: &used)
    return (text, used)
  }

  /// `rule` with its pattern expanded and the keywords of the fragments it uses added.
  public func expand(_ rule: Rule) throws(FragmentError) -> Rule {
    guard FragmentReference.mayOccur(in: rule.pattern) else { return rule }
    var rule = rule
    let (pattern, used) = try expand(rule.pattern)
    rule.pattern = pattern
    for name in used.sorted() {
      for keyword in addedKeywords[name] ?? [] where !rule.keywords.contains(keyword) {
        rule.keywords.append(keyword)
      }
    }
    return rule
  }

  /// The names `fragment`'s text refers to (fragments and arguments, not its own parameters).
  func references(of fragment: RuleFragment) -> Set<String> {
    var names: Set<String> = []
    for reference in FragmentReference.all(in: fragment.pattern) {
      if reference.arguments.isEmpty && fragment.parameters.contains(reference.name) { continue }
      names.insert(reference.name)
      for argument in reference.arguments where !fragment.parameters.contains(argument) { names.insert(argument) }
    }
    return names
  }

  /// `bindings`: the parameters of the fragment being expanded, each bound to its argument's
  /// expansion. `stack`: the fragments being expanded, outermost first (for cycles).
  private func expand(
    _ text: String, bindings: [String: String], stack: [String], used: inout Set<String>
  ) throws(FragmentError) -> String {
    let references = FragmentReference.all(in: text)
    if references.isEmpty { return text }
    var out = ""
    var last = text.startIndex
    for reference in references {
      out += text[last..<reference.range.lowerBound]
      last = reference.range.upperBound
      if reference.arguments.isEmpty, let bound = bindings[reference.name] {
        out += bound
        continue
      }
      var arguments: [String] = []
      for argument in reference.arguments {
        if let bound = bindings[argument] {
          arguments.append(bound)
        } else {
          arguments.append(try call(argument, arguments: [], stack: stack, used: &used))
        }
      }
      out += try call(reference.name, arguments: arguments, stack: stack, used: &used)
    }
    out += text[last...]
    return out
  }

  private func call(
    _ name: String, arguments: [String], stack: [String], used: inout Set<String>
  ) throws(FragmentError) -> String {
    guard let fragment = byName[name] else { throw .undefined(name) }
    if let start = stack.firstIndex(of: name) { throw .cycle(Array(stack[start...]) + [name]) }
    guard fragment.parameters.count == arguments.count else {
      throw .arguments(name: name, expected: fragment.parameters.count, given: arguments.count)
    }
    used.insert(name)
    let bindings = Dictionary(uniqueKeysWithValues: zip(fragment.parameters, arguments))
    return try expand(fragment.pattern, bindings: bindings, stack: stack + [name], used: &used)
  }
}
