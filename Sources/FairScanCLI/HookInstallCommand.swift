import ArgumentParser
import FairScanKit
import Foundation

/// `fairscan hook install [--pre-push] [--force] [PATH]`.
struct HookInstallCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "install",
    abstract: "Install the pre-commit hook (`fairscan staged --hook`) where git runs hooks (core.hooksPath respected).",
    discussion: """
      An existing hook that fairscan did not write is kept and chained: it is renamed to \
      HOOK.pre-fairscan and runs first, with the same arguments and input; fairscan runs if it \
      succeeds. Installing again only refreshes fairscan's hook. --force replaces an existing \
      hook instead of chaining it. The hook calls this fairscan binary by its absolute path \
      (then `fairscan` on PATH if that path is gone).
      """)

  @Argument(help: "The repository (a work tree or a folder inside one).")
  var path: String = "."

  @Flag(name: .customLong("pre-push"), help: "Also install the pre-push hook (`fairscan pre-push --hook`).")
  var prePush = false

  @Flag(help: "Replace existing hooks instead of chaining them.")
  var force = false

  func run() throws {
    let directory = try HookFiles.directory(repository: path)
    let binary = HookFiles.currentExecutable()
    for kind in prePush ? [HookKind.preCommit, .prePush] : [.preCommit] {
      let message = try HookFiles.install(kind, in: directory, binary: binary, force: force)
      Terminal.write(Array((message + "\n").utf8), to: 1)
    }
  }
}
