import ArgumentParser
import FairScanKit
import Foundation

/// `fairscan rules list|show|check|eval`.
struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules",
    abstract: "List the rules in force, show one, check rule files, or measure rules on a labelled corpus.",
    subcommands: [List.self, Show.self, Check.self, Eval.self])

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the rules in force.")

    enum Format: String, ExpressibleByArgument { case text, json }
    @Option(help: "text or json.") var format: Format = .text
    @OptionGroup var ruleFiles: RuleFileOptions

    func run() throws {
      let selection = ruleFiles.selection
      let rules: [Rule]
      do { rules = try selection.load() } catch { throw CommandFailure.usage("\(error)") }
      switch format {
      case .json:
        let items = rules.map {
          RuleDescriptor(id: $0.id, name: $0.name, description: $0.description, severity: $0.severity)
        }
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

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show a rule: its settings, its pattern as written and with its fragments expanded.",
      discussion: "Reads fair_hosts from .fairscan.yml in the current folder, as a scan of `.` does.")

    @Argument(help: "The rule id, like fair.api-key.") var id: String
    @OptionGroup var ruleFiles: RuleFileOptions

    func run() throws {
      var selection = ruleFiles.selection
      do {
        selection.fairHosts = try ScanConfig.load(path: ScanConfig.fileName)?.fairHosts ?? []
      } catch { throw CommandFailure.usage("\(error)") }
      let sources: [RuleSelection.Source]
      do { sources = try selection.sources() } catch { throw CommandFailure.usage("\(error)") }
      guard let source = sources.last(where: { $0.document.rules.contains { $0.id == id } }),
        let written = source.document.rules.first(where: { $0.id == id })
      else { throw CommandFailure.usage("no rule '\(id)' (fairscan rules list shows the rules)") }
      let expanded: (pattern: String, used: Set<String>)
      do { expanded = try source.fragments.expand(written.pattern) } catch {
        throw CommandFailure.usage("\(written.sourceFile): rule '\(id)': \(error)")
      }
      let rule = try? source.fragments.expand(written)
      Terminal.write(
        Array(RuleShow.render(written: written, keywords: rule?.keywords ?? written.keywords, expanded: expanded).utf8),
        to: 1)
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract:
        "Check rules: examples match with the marked secret, negative examples don't, ids unique, keywords present, fragments defined, used and not cyclic.",
      discussion:
        "Exit 0 when every rule passes, 1 when a rule or fragment fails its checks, 64 when a file doesn't load.")

    @Argument(help: "A rule file or folder (default: the built-in rules).") var path: String?

    func run() throws {
      let document: RuleDocument
      let table: FragmentTable
      do {
        if let path {
          document = try RuleLoader.parse(path: path)
          table = try document.fragmentTable(fallback: BuiltinRules.fragmentTable)
        } else {
          document = BuiltinRules.document
          table = BuiltinRules.fragmentTable
        }
      } catch {
        throw CommandFailure.usage("\(error)")
      }
      let rules = document.rules
      let problems = RuleCheck.check(document, table: table)
      for problem in problems { Terminal.standardError(problem.description) }
      let examples = rules.reduce(0) { $0 + $1.examples.count + $1.negativeExamples.count }
      if problems.isEmpty {
        let fragments = document.fragments.isEmpty ? "" : ", \(document.fragments.count) fragments"
        Terminal.write(Array("\(rules.count) rules ok (\(examples) examples checked\(fragments))\n".utf8), to: 1)
      } else {
        Terminal.write(Array("\(problems.count) problem(s) in \(rules.count) rules\n".utf8), to: 1)
        throw ExitCode(1)
      }
    }
  }

  struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "eval",
      abstract: "Measure recall and precision of the rules on a labelled corpus, per rule family.",
      discussion: """
        Each corpus file holds `cases:` with `id`, `text`, `path` and either `family` (the secrets \
        it marks with ⟦…⟧ must be found by that family's rules) or `decoy` (nothing may be found). \
        Exit 0 when every family reaches both minimums, 1 when one does not, 64 when the corpus \
        or the rules don't load. Secrets are redacted in the output.
        """)

    @Argument(help: "Corpus files or folders (default: Tests/RuleCorpus).") var paths: [String] = []
    @OptionGroup var ruleFiles: RuleFileOptions
    @Option(help: "Minimum recall per family (0-1).") var minRecall: Double = 0.95
    @Option(help: "Minimum precision per family (0-1).") var minPrecision: Double = 0.95

    func run() throws {
      let selection = ruleFiles.selection
      let cases: [CorpusCase]
      let ruleSet: RuleSet
      do {
        ruleSet = try RuleSet(rules: try selection.load())
        cases = try Corpus.load(paths: paths.isEmpty ? ["Tests/RuleCorpus"] : paths)
      } catch { throw CommandFailure.usage("\(error)") }
      let evaluation: RuleEvaluation
      do { evaluation = try RuleEvaluation.run(cases: cases, ruleSet: ruleSet) } catch {
        throw CommandFailure.usage("cannot prepare a scanner: \(error)")
      }
      Terminal.write(Array(evaluation.render().utf8), to: 1)
      let failing = evaluation.failing(minimumRecall: minRecall, minimumPrecision: minPrecision)
      if !failing.isEmpty {
        Terminal.standardError(
          "below recall \(minRecall) or precision \(minPrecision): \(failing.map(\.family).joined(separator: ", "))")
        throw ExitCode(1)
      }
    }
  }
}

/// `--rules` and `--only-rules` of the `rules` subcommands.
struct RuleFileOptions: ParsableArguments {
  @Option(name: .customLong("rules"), help: "Add the rules in a file or folder.") var extraRules: [String] = []
  @Option(name: .customLong("only-rules"), help: "Only the rules in a file or folder.") var onlyRules: [String] = []

  /// The rules these options select.
  var selection: RuleSelection {
    var selection = RuleSelection()
    selection.extraRules = extraRules
    selection.onlyRules = onlyRules
    return selection
  }
}
