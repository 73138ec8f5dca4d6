import ArgumentParser
import FairScanKit

/// The root command.
public struct FairScanCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "fairscan",
    abstract: "Find FAIR API keys, tokens and other secrets in git repositories, folders and streams.",
    discussion: """
      Exit codes: 0 complete and clean; bit 1 findings; bit 2 incomplete (unreadable object, \
      rule limit hit, shallow history); bit 4 a FAIR API action failed; bit 8 (--verify, verify, audit, revoke) a live key \
      of your account is leaked (revoke: still live); 64 usage or configuration error.
      """,
    version: FairScanVersion.current,
    subcommands: [
      RepoCommand.self, StagedCommand.self, PrePushCommand.self, DirCommand.self, StdinCommand.self, HookCommand.self,
      RulesCommand.self, KeysCommand.self, VerifyCommand.self, RevokeCommand.self, AuditCommand.self,
    ])

  public init() {}

  /// Runs the command line and exits with fairscan's documented codes.
  public static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
      exit(withError: nil)
    } catch let failure as CommandFailure {
      Terminal.standardError("fairscan: error: \(failure.message)")
      _exit(failure.code)
    } catch let code as ExitCode {
      _exit(code.rawValue)
    } catch {
      let code = exitCode(for: error).rawValue
      if code == 0 {
        exit(withError: error)
      }
      // Argument errors: one clear line (plus the usage hint argument-parser gives).
      Terminal.standardError("fairscan: error: " + message(for: error).split(separator: "\n").first.map(String.init)!)
      Terminal.standardError("see 'fairscan --help'")
      _exit(ExitStatus.usage)
    }
  }
}

#if canImport(Glibc)
import Glibc
#endif
