import ArgumentParser
import FairScanKit
import Foundation

/// `fairscan rules list|check`.
struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules", abstract: "List the rules in force, or check rule files.",
    subcommands: [List.self, Check.self])

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the rules in force.")

    enum Format: String, ExpressibleByArgument { case text, json }
    @Option(help: "text or json.") var format: Format = .text
    @Option(name: .customLong("rules"), help: "Add the rules in a file or folder.") var extraRules: [String] = []
    @Option(name: .customLong("only-rules"), help: "Only the rules in a file or folder.") var onlyRules: [String] = []

    func run() throws {
      var selection = RuleSelection()
      selection.extraRules = extraRules
      selection.onlyRules = onlyRules
      let rules: [Rule]
      do { rules = try selection.load() } catch { throw CommandFailure.usage("\(error)") }
      switch format {
      case .json:
        let items = rules.map { RuleDescriptor(id: $0.id, name: $0.name, description: $0.description, severity: $0.severity) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Terminal.write(Array(try encoder.encode(items)) + [0x0A], to: 1)
      case .text:
        let width = rules.map(\.id.count).max() ?? 2
        var text = ""
        for rule in rules {
          let pad = String(repeating: " ", count: width - rule.id.count)
          let sev = rule.severity.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
          text += "\(rule.id)\(pad)  \(sev) \(rule.name)\n"
        }
        text += "\(rules.count) rules\n"
        Terminal.write(Array(text.utf8), to: 1)
      }
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check rules: examples match with the marked secret, negative examples don't, ids unique, keywords present.",
      discussion: "Exit 0 when every rule passes, 1 when a rule fails its checks, 64 when a file doesn't load.")

    @Argument(help: "A rule file or folder (default: the built-in rules).") var path: String?

    func run() throws {
      let rules: [Rule]
      do { rules = try path.map { try RuleLoader.load(path: $0) } ?? BuiltinRules.rules() } catch {
        throw CommandFailure.usage("\(error)")
      }
      let problems = RuleCheck.check(rules)
      for problem in problems { Terminal.standardError(problem.description) }
      let examples = rules.reduce(0) { $0 + $1.examples.count + $1.negativeExamples.count }
      if problems.isEmpty {
        Terminal.write(Array("\(rules.count) rules ok (\(examples) examples checked)\n".utf8), to: 1)
      } else {
        Terminal.write(Array("\(problems.count) problem(s) in \(rules.count) rules\n".utf8), to: 1)
        throw ExitCode(1)
      }
    }
  }
}
