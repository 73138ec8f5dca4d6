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
