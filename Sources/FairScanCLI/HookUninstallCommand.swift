import ArgumentParser
import FairScanKit
import Foundation

/// `fairscan hook uninstall [PATH]`.
struct HookUninstallCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "uninstall",
    abstract: "Remove the hooks fairscan installed and put back the hooks they chained; nothing else is touched.")

  @Argument(help: "The repository (a work tree or a folder inside one).")
  var path: String = "."

  func run() throws {
    let directory = try HookFiles.directory(repository: path)
    for kind in [HookKind.preCommit, .prePush] {
      if let message = try HookFiles.uninstall(kind, in: directory) {
        Terminal.write(Array((message + "\n").utf8), to: 1)
      }
    }
  }
}
