import ArgumentParser
import XCTest
@testable import FairScanCLI

/// The command tree as argument-parser builds it at every start.
final class CommandTreeTests: XCTestCase {
  /// A command without `commandName` costs every run of fairscan a reflective name lookup
  /// (see `FairScanCommand`); the names are the ones argument-parser would derive.
  func testEveryCommandNamesItself() {
    var unnamed: [String] = []
    var names: [String] = []
    func visit(_ command: ParsableCommand.Type, parent: String) {
      let name = command.configuration.commandName
      if name == nil { unnamed.append("\(parent) \(command)") }
      let full = parent.isEmpty ? (name ?? "?") : "\(parent) \(name ?? "?")"
      names.append(full)
      for sub in command.configuration.subcommands { visit(sub, parent: full) }
    }
    visit(FairScanCommand.self, parent: "")
    XCTAssertEqual(unnamed, [])
    XCTAssertTrue(names.contains("fairscan rules list"), "\(names)")
    XCTAssertTrue(names.contains("fairscan keys create"), "\(names)")
  }
}

/// `FairScanCommand.parse` parses a command line that names neither help, a version nor
/// completions with `quickConfiguration` (no search for a completion request): the same command
/// as argument-parser's own parse, for each command and the errors alike.
final class QuickParseTests: XCTestCase {
  func dumped(_ command: ParsableCommand) -> String {
    var text = ""
    dump(command, to: &text)
    return text
  }

  func testTheQuickParseGivesWhatTheStandardOneGives() throws {
    let lines: [[String]] = [
      ["repo"], ["repo", ".", "--format", "json", "--min-severity", "info", "--quiet", "--output", "r.json"],
      ["repo", "/some/where", "--no-cache", "--no-history"], ["repo", "--cache", "c.sqlite", "--since", "2024-01-01"],
      ["repo", "--range", "main..topic", "--format", "sarif"], ["staged", "--quiet"],
      ["dir", "src", "--format", "text"],
      ["stdin", "--format", "json"], ["rules", "list"], ["rules", "show", "fair.api-key"], ["pre-push"],
      ["hook", "install"], ["keys", "list"], [],
    ]
    for words in lines {
      XCTAssertTrue(FairScanCommand.canParseQuickly(words), "\(words)")
      XCTAssertEqual(dumped(try FairScanCommand.parseQuickly(words)), dumped(try FairScanCommand.parseAsRoot(words)))
      XCTAssertEqual(dumped(try FairScanCommand.parse(words)), dumped(try FairScanCommand.parseAsRoot(words)))
    }
    for words in [["repo", "--nonsense"], ["nosuch"], ["repo", "--no-cache", "--cache", "x"]] {
      var quick: String?, standard: String?
      do { _ = try FairScanCommand.parseQuickly(words) } catch { quick = FairScanCommand.message(for: error) }
      do { _ = try FairScanCommand.parseAsRoot(words) } catch { standard = FairScanCommand.message(for: error) }
      XCTAssertNotNil(standard, "\(words)")
      XCTAssertEqual(quick, standard, "\(words): the same error")
    }
  }

  /// What asks for help, a version or a completion script is parsed the standard way, and the
  /// quick configuration is the standard one outside `parseQuickly`.
  func testHelpVersionAndCompletionsAreParsedTheStandardWay() throws {
    for words in [
      ["--help"], ["repo", "-h"], ["help", "repo"], ["--version"], ["--generate-completion-script", "bash"],
    ] {
      XCTAssertFalse(FairScanCommand.canParseQuickly(words), "\(words)")
    }
    XCTAssertNil(FairScanCommand.configuration._superCommandName)
    XCTAssertNotNil(FairScanCommand.quickConfiguration._superCommandName)
    let completion = ["--generate-completion-script", "bash"]
    var skipped = "", script = ""
    do { _ = try FairScanCommand.parseQuickly(completion) } catch { skipped = FairScanCommand.message(for: error) }
    do { _ = try FairScanCommand.parse(completion) } catch { script = FairScanCommand.fullMessage(for: error) }
    XCTAssertTrue(skipped.contains("Unknown option"), "the quick parse does not look for it: '\(skipped)'")
    XCTAssertTrue(script.contains("complete -"), "parse does: \(script.prefix(200))")
    var usage = ""
    do {
      var help = try FairScanCommand.parse(["repo", "--help"])
      try help.run()
    } catch { usage = FairScanCommand.fullMessage(for: error) }
    XCTAssertTrue(usage.contains("USAGE: fairscan repo"), usage)
  }
}
