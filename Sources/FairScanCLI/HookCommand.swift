import ArgumentParser
import FairScanKit
import Foundation

/// `fairscan hook install|uninstall`: git hooks that run fairscan.
struct HookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hook",
    abstract: "Install or remove the git hooks that run fairscan before a commit (and a push).",
    subcommands: [HookInstallCommand.self, HookUninstallCommand.self])
}
