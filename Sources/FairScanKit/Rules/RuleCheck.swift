/// One thing wrong with a rule or fragment: an example that doesn't match, a negative one
/// that does, a fragment nobody uses, …
public struct RuleCheckProblem: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  /// What is wrong: `rule 'fair.api-key'` or `fragment 'key-value'`.
  public var subject: String
  public var message: String
  public var description: String { "\(file): \(subject): \(message)" }

  init(file: String, ruleID: String, message: String) {
    self.init(file: file, subject: "rule '\(ruleID)'", message: message)
  }

  init(file: String, subject: String, message: String) {
    self.file = file; self.subject = subject; self.message = message
  }
}

/// `fairscan rules check`: every rule proves itself with its own examples.
public enum RuleCheck {
  static let open = "⟦", close = "⟧"

  /// Splits an example into its text and the marked secret's byte range.
  public static func unmark(_ example: String) -> (text: String, secret: Range<Int>)? {
    let parts = example.components(separatedBy: open)
    guard parts.count == 2 else { return nil }
    let rest = parts[1].components(separatedBy: close)
    guard rest.count == 2 else { return nil }
    let start = parts[0].utf8.count
    return (parts[0] + rest[0] + rest[1], start..<(start + rest[0].utf8.count))
  }

  /// Checks a rule file or folder as written: its fragments (`FragmentCheck`), then every
  /// rule whose pattern expands with `table` (the document's fragments over the fallback).
  public static func check(_ document: RuleDocument, table: FragmentTable) -> [RuleCheckProblem] {
    var problems = FragmentCheck.problems(document, table: table)
    let expanded = document.rules.compactMap { try? table.expand($0) }
    problems += check(expanded)
    return problems
  }

  /// Checks rules whose patterns are expanded.
  public static func check(_ rules: [Rule]) -> [RuleCheckProblem] {
    var problems: [RuleCheckProblem] = []
    var seen: [String: String] = [:]
    for rule in rules {
      if let other = seen[rule.id] {
        problems.append(.init(file: rule.sourceFile, ruleID: rule.id, message: "duplicate id (also in \(other))"))
      }
      seen[rule.id] = rule.sourceFile
    }
    for rule in rules {
      func problem(_ m: String) { problems.append(.init(file: rule.sourceFile, ruleID: rule.id, message: m)) }
      let set: RuleSet
      do { set = try RuleSet(rules: [rule]) } catch {
        problem(error.message)
        continue
      }
      guard let worker = try? ScanWorker(ruleSet: set) else {
        problem("cannot prepare a scanner")
        continue
      }
      if rule.examples.isEmpty { problem("has no examples") }
      for (n, example) in rule.examples.enumerated() {
        guard let (text, marked) = unmark(example) else {
          problem("example \(n + 1) must mark its secret exactly once with \(open)…\(close)")
          continue
        }
        let lower = text.lowercased()
        if !rule.keywords.isEmpty && !rule.keywords.contains(where: { lower.contains($0.lowercased()) }) {
          problem("example \(n + 1) contains none of the rule's keywords")
        }
        let bytes = Array(text.utf8)
        let hits = worker.scan(bytes, path: nil).hits
        if hits.isEmpty {
          problem("example \(n + 1) does not match")
        } else if !hits.contains(where: {
          $0.position.byteOffset == marked.lowerBound && $0.position.byteLength == marked.count
        }) {
          let got = hits[0].position
          problem(
            "example \(n + 1) matches bytes \(got.byteOffset)..<\(got.byteOffset + got.byteLength), expected the marked \(marked.lowerBound)..<\(marked.upperBound)"
          )
        }
      }
      for (n, example) in rule.negativeExamples.enumerated() {
        if !worker.scan(Array(example.utf8), path: nil).hits.isEmpty {
          problem("negative example \(n + 1) matches")
        }
      }
    }
    return problems
  }
}
