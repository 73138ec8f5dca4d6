/// `fairscan rules check` on fragments: references to fragments that don't exist, fragments
/// that use each other in a cycle, and fragments of the checked files that nothing uses.
enum FragmentCheck {
  /// The problems of `document`'s fragments and of its rules' references, with `table` the
  /// fragments they expand with (the document's own over the fallback).
  static func problems(_ document: RuleDocument, table: FragmentTable) -> [RuleCheckProblem] {
    var problems: [RuleCheckProblem] = []
    let own = document.fragments

    for fragment in own {
      for name in table.references(of: fragment).sorted() where table[name] == nil {
        problems.append(
          .init(
            file: fragment.sourceFile, subject: "fragment '\(fragment.name)'", message: "undefined fragment '\(name)'"))
      }
    }
    for cycle in cycles(among: own, table: table) {
      let first = own.first { $0.name == cycle[0] }
      problems.append(
        .init(
          file: first?.sourceFile ?? "", subject: "fragment '\(cycle[0])'",
          message: FragmentError.cycle(cycle).description))
    }

    var reachable: Set<String> = []
    var pending: [String] = []
    for rule in document.rules {
      let direct = directReferences(in: rule.pattern)
      pending += direct
      do {
        _ = try table.expand(rule.pattern)
      } catch {
        switch error {
        case .cycle: break  // reported once above
        case .undefined(let name) where !direct.contains(name): break  // inside a fragment: reported above
        default: problems.append(.init(file: rule.sourceFile, ruleID: rule.id, message: error.description))
        }
      }
    }
    while let name = pending.popLast() {
      guard reachable.insert(name).inserted, let fragment = table[name] else { continue }
      pending += table.references(of: fragment)
    }
    for fragment in own where !reachable.contains(fragment.name) {
      problems.append(
        .init(file: fragment.sourceFile, subject: "fragment '\(fragment.name)'", message: "unused: no rule uses it"))
    }
    return problems
  }

  /// The names a rule's pattern refers to itself, arguments included.
  static func directReferences(in pattern: String) -> [String] {
    FragmentReference.all(in: pattern).flatMap { [$0.name] + $0.arguments }
  }

  /// Each cycle among `fragments` once, as names from its first-defined member back to it.
  static func cycles(among fragments: [RuleFragment], table: FragmentTable) -> [[String]] {
    let order = Dictionary(fragments.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    var found: [[String]] = []
    var seen: Set<[String]> = []
    var done: Set<String> = []
    func visit(_ name: String, path: [String]) {
      if let start = path.firstIndex(of: name) {
        var cycle = Array(path[start...])
        // The same cycle entered elsewhere is reported once, from its earliest-defined member.
        let first = cycle.indices.min { (order[cycle[$0]] ?? .max) < (order[cycle[$1]] ?? .max) }!
        cycle = Array(cycle[first...] + cycle[..<first])
        if seen.insert(cycle).inserted { found.append(cycle + [cycle[0]]) }
        return
      }
      guard !done.contains(name), let fragment = table[name] else { return }
      for next in table.references(of: fragment).sorted() { visit(next, path: path + [name]) }
      done.insert(name)
    }
    for fragment in fragments { visit(fragment.name, path: []) }
    return found
  }
}
