import ArgumentParser
import FairScanGit
import FairScanKit
import Synchronization

/// The root command.
///
/// Every command, subcommands included, sets `commandName`: without it argument-parser derives
/// the name from the type (`String(describing:)`, a reflective lookup per type) for the whole
/// tree at every start, about 1.5 ms of a 40 ms pre-commit hook (`CommandTreeTests`).
public struct FairScanCommand: ParsableCommand {
  /// The root's configuration: `standardConfiguration`, or while `parse` parses a command line
  /// that cannot ask for help, a version or completions, `quickConfiguration`.
  public static var configuration: CommandConfiguration {
    parsesQuickly.load(ordering: .relaxed) ? quickConfiguration : standardConfiguration
  }

  static let standardConfiguration = CommandConfiguration(
    commandName: "fairscan",
    abstract: "Find FAIR API keys, tokens and other secrets in git repositories, folders and streams.",
    discussion: """
      Exit codes: 0 complete and clean; bit 1 findings; bit 2 incomplete (something was not \
      looked at: an unreadable object or file, a file over --max-file-size, a rule limit hit, shallow or partial \
      history, a damaged repository, a --range base not in the clone; or a FAIR finding left indeterminate); \
      bit 4 a FAIR API action failed or was not taken; bit 8 (--verify, verify, audit, revoke) a live key \
      of your account is leaked (revoke: still live); 64 usage or configuration error. The README lists them all.
      """,
    version: FairScanVersion.current,
    subcommands: [
      RepoCommand.self, StagedCommand.self, PrePushCommand.self, DirCommand.self, StdinCommand.self, HookCommand.self,
      RulesCommand.self, KeysCommand.self, VerifyCommand.self, RevokeCommand.self, AuditCommand.self,
    ])

  /// argument-parser checks every command line for `--generate-completion-script` by parsing it
  /// as two more commands, about 40% of parsing (2 ms of a warm rescan); it skips the check for
  /// a "pseudo-command", one with `_superCommandName`, a name shown only in help and usage text.
  /// `parse` uses this configuration for a command line that names neither help, a version nor
  /// completions, and parses again with the standard one whatever that throws: every message
  /// and text stays argument-parser's own.
  static let quickConfiguration: CommandConfiguration = {
    var configuration = standardConfiguration
    configuration._superCommandName = "fairscan"
    return configuration
  }()

  private static let parsesQuickly = Atomic(false)

  /// `parseAsRoot(arguments)`, without argument-parser's search for a completion request where
  /// none can be (`quickConfiguration`).
  static func parse(_ arguments: [String]?) throws -> ParsableCommand {
    let words = arguments ?? Array(CommandLine.arguments.dropFirst())
    if canParseQuickly(words), let command = try? parseQuickly(words) { return command }
    return try parseAsRoot(words)
  }

  /// Whether `words` name neither help, a version nor completions.
  static func canParseQuickly(_ words: [String]) -> Bool {
    !words.contains { $0 == "-h" || $0.contains("help") || $0.contains("version") || $0.contains("completion") }
  }

  /// `parseAsRoot(words)` with `quickConfiguration`.
  static func parseQuickly(_ words: [String]) throws -> ParsableCommand {
    parsesQuickly.store(true, ordering: .relaxed)
    defer { parsesQuickly.store(false, ordering: .relaxed) }
    return try parseAsRoot(words)
  }

  public init() {}

  /// The subcommands that open a git repository, by name.
  static let opensRepository: Set<String> = Set(
    ([RepoCommand.self, StagedCommand.self, PrePushCommand.self, HookCommand.self] as [any ParsableCommand.Type])
      .compactMap { $0.configuration.commandName })

  /// Runs a command line (`arguments` without the program name; nil: the process's own) and
  /// returns fairscan's documented exit code; the process ends only in the `fairscan`
  /// executable. Commands end by returning (0) or by throwing `ExitCode` or `CommandFailure`;
  /// all their output is written before this returns.
  public static func execute(_ arguments: [String]? = nil) -> Int32 {
    Trace.startCommand()
    // Whatever happened, libgit2's set-up (started in the background by some commands) has
    // ended before the caller exits.
    defer {
      LibGit2.waitForBackgroundInitialization()
      Trace.endCommand()
    }
    // libgit2's set-up runs beside argument parsing and rule loading, from the start (it no
    // longer parses the system's CA bundle: CLibGit2Setup). For the process's own `repo`
    // command, so does the status of the work tree of the current folder's repository, which
    // the scan takes if it is the repository scanned (`WorktreeStatusPrefetch`). A caller that
    // passes arguments (an embedding, a test) may be anywhere: its status is not guessed.
    if let first = (arguments ?? Array(CommandLine.arguments.dropFirst())).first, Self.opensRepository.contains(first) {
      if arguments == nil, first == RepoCommand.configuration.commandName {
        // The record of the last scan's status is beside the default cache: a command line that
        // may name another cache, or none, does not read it (the scan checks again either way).
        let readsRecord = !CommandLine.arguments.contains { $0.hasPrefix("--cache") || $0 == "--no-cache" }
        WorktreeStatusPrefetch.begin(at: ".", readsRecord: readsRecord)
      } else {
        LibGit2.initializeInBackground()
      }
    }
    do {
      var command = try Trace.phase("parse arguments") { try parse(arguments) }
      try command.run()
      return ExitStatus.clean
    } catch let failure as CommandFailure {
      Terminal.standardError("fairscan: error: \(failure.message)")
      return failure.code
    } catch let code as ExitCode {
      return code.rawValue
    } catch {
      let code = exitCode(for: error).rawValue
      if code == 0 {
        // --help, --version: what argument-parser prints for them, on stdout. For --version
        // (argument-parser prints the configuration's version) the rules digest and the C
        // libraries' versions follow it, computed only when asked.
        var text = fullMessage(for: error)
        if text == FairScanVersion.current { text = VersionReport.text }
        Terminal.write(Array((text.hasSuffix("\n") || text.isEmpty ? text : text + "\n").utf8), to: 1)
        return 0
      }
      // Argument errors: one clear line (plus the usage hint argument-parser gives).
      Terminal.standardError(
        "fairscan: error: " + (message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"))
      Terminal.standardError("see 'fairscan --help'")
      return ExitStatus.usage
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif
