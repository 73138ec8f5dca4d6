import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

/// `fairscan stdin [--name NAME]`.
struct StdinCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "stdin", abstract: "Scan standard input.")

  @Option(help: "A file name for the content (selects path-specific rules and appears in the report).")
  var name: String?

  @OptionGroup var flags: ScanFlags

  func run() throws {
    let runner = ScanRunner(flags: flags, configRoot: nil, verifiesByDefault: true)
    let (ruleSet, options) = try runner.prepare()
    try runner.finish(
      runner.verified(
        try StandardInputScanner(ruleSet: ruleSet, options: options).scan(name: name.map(RawArgument.exact))))
  }
}
