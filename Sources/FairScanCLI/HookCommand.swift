import ArgumentParser
import FairScanGit
import FairScanKit
import Foundation

/// `fairscan hook install|uninstall`: git hooks that run fairscan.
struct HookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hook",
    abstract: "Install or remove the git hooks that run fairscan before a commit (and a push).",
    subcommands: [HookInstallCommand.self, HookUninstallCommand.self])
}

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
      if let message = try HookFiles.uninstall(kind, in: directory) { Terminal.write(Array((message + "\n").utf8), to: 1) }
    }
  }
}

/// The hooks fairscan writes.
enum HookKind: String, CaseIterable {
  case preCommit = "pre-commit"
  case prePush = "pre-push"

  /// What the hook runs after the chained hook.
  var command: String {
    switch self {
    case .preCommit: return "staged --hook"
    case .prePush: return "pre-push --hook \"$@\""
    }
  }
}

/// Reading and writing hook files. A hook fairscan wrote carries `HookFiles.marker`; only
/// such a file is ever replaced or removed without `--force`.
enum HookFiles {
  /// The line that marks a hook file as fairscan's.
  static let marker = "# fairscan-hook: managed by `fairscan hook install`; `fairscan hook uninstall` removes it"
  static let chainedSuffix = ".pre-fairscan"

  /// Where git runs hooks for the repository at `repository`: `git rev-parse --git-path hooks`,
  /// which applies core.hooksPath (from any config level) and linked work trees as git does.
  static func directory(repository: String) throws -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: repository, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw CommandFailure.usage("not a folder: \(TerminalSafe.string(repository))")
    }
    do { _ = try Repository(path: repository) } catch {
      throw CommandFailure(ScanError.cannotOpen(TerminalSafe.string(repository), error))
    }
    let result: (status: Int32, out: String, err: String)
    do {
      result = try Git.run(["rev-parse", "--git-path", "hooks"], in: repository)
    } catch {
      throw CommandFailure.usage("cannot run git to find the hooks folder: \(error)")
    }
    guard result.status == 0 else {
      let reason = result.err.split(separator: "\n").first.map(String.init) ?? "git rev-parse failed"
      throw CommandFailure.usage("cannot find the hooks folder of \(TerminalSafe.string(repository)): \(reason)")
    }
    let raw = result.out.trimmingCharacters(in: .newlines)
    let base = URL(fileURLWithPath: repository, isDirectory: true).standardizedFileURL
    let url = raw.hasPrefix("/") ? URL(fileURLWithPath: raw) : base.appendingPathComponent(raw)
    return url.standardizedFileURL.path
  }

  /// This process's executable, as an absolute path.
  static func currentExecutable() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
    let arg0 = CommandLine.arguments[0]
    if arg0.contains("/") { return URL(fileURLWithPath: arg0).standardizedFileURL.path }
    return arg0
  }

  /// Writes fairscan's hook; returns what was done, in one line.
  static func install(_ kind: HookKind, in directory: String, binary: String, force: Bool) throws -> String {
    let fm = FileManager.default
    do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
      throw CommandFailure.usage("cannot create the hooks folder \(directory): \(error.localizedDescription)")
    }
    let hook = directory + "/" + kind.rawValue
    let chained = hook + chainedSuffix
    var action = "installed"
    if exists(hook) {
      if isOurs(hook) {
        action = "updated"
      } else if force {
        action = "replaced the existing hook with"
      } else if exists(chained) {
        throw CommandFailure.usage(
          "\(hook) is not fairscan's and \(chained) already exists: move one of them away, or use --force to replace \(hook)")
      } else {
        do { try fm.moveItem(atPath: hook, toPath: chained) } catch {
          throw CommandFailure.usage("cannot rename \(hook) to \(chained): \(error.localizedDescription)")
        }
        action = "chained the existing hook (now \(kind.rawValue)\(chainedSuffix), run first) and installed"
      }
    }
    do { try writeExecutable(script(kind, binary: binary), to: hook) } catch {
      throw CommandFailure.usage("cannot write \(hook): \(error.localizedDescription)")
    }
    return "fairscan: \(action) the \(kind.rawValue) hook: \(hook)"
  }

  /// Removes fairscan's hook and renames a chained hook back; nil when there is nothing of fairscan's.
  static func uninstall(_ kind: HookKind, in directory: String) throws -> String? {
    let fm = FileManager.default
    let hook = directory + "/" + kind.rawValue
    let chained = hook + chainedSuffix
    guard exists(hook), isOurs(hook) else {
      if exists(chained) {
        return "fairscan: \(hook) is not fairscan's; \(chained) left as it is"
      }
      return nil
    }
    do { try fm.removeItem(atPath: hook) } catch {
      throw CommandFailure.usage("cannot remove \(hook): \(error.localizedDescription)")
    }
    if exists(chained) {
      do { try fm.moveItem(atPath: chained, toPath: hook) } catch {
        throw CommandFailure.usage("cannot rename \(chained) back to \(hook): \(error.localizedDescription)")
      }
      return "fairscan: removed the \(kind.rawValue) hook and put back the hook it chained: \(hook)"
    }
    return "fairscan: removed the \(kind.rawValue) hook: \(hook)"
  }

  /// The hook: POSIX sh, runs the chained hook first (same arguments and stdin), then fairscan.
  static func script(_ kind: HookKind, binary: String) -> String {
    let quotedBinary = "'" + binary.replacingOccurrences(of: "'", with: "'\\''") + "'"
    let missing = "fairscan: the \(kind.rawValue) hook cannot find fairscan (installed as $FAIRSCAN, and none on PATH): "
      + "reinstall it with 'fairscan hook install', or bypass once with --no-verify"
    var lines = [
      "#!/bin/sh",
      marker,
      "# Runs \(kind.rawValue)\(chainedSuffix) first when it exists (the hook that was here before), then fairscan.",
      "FAIRSCAN=\(quotedBinary)",
      "if [ ! -x \"$FAIRSCAN\" ]; then",
      "  FAIRSCAN=$(command -v fairscan 2>/dev/null) || FAIRSCAN=",
      "  if [ -z \"$FAIRSCAN\" ]; then FAIRSCAN=\(quotedBinary); echo \"\(missing)\" >&2; exit 1; fi",
      "fi",
      "chained=\"$0\(chainedSuffix)\"",
    ]
    switch kind {
    case .preCommit:
      lines += [
        "if [ -x \"$chained\" ]; then",
        "  \"$chained\" \"$@\" || exit $?",
        "fi",
        "exec \"$FAIRSCAN\" \(kind.command)",
      ]
    case .prePush:
      // git writes the refs being pushed on stdin: both hooks need all of it.
      lines += [
        "input=$(cat)",
        "if [ -x \"$chained\" ]; then",
        "  printf '%s\\n' \"$input\" | \"$chained\" \"$@\" || exit $?",
        "fi",
        "printf '%s\\n' \"$input\" | \"$FAIRSCAN\" \(kind.command)",
      ]
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// Whether the file at `path` is a hook fairscan wrote (carries the marker line).
  static func isOurs(_ path: String) -> Bool {
    guard let data = FileManager.default.contents(atPath: path) else { return false }
    return String(decoding: data.prefix(4096), as: UTF8.self).split(separator: "\n").contains { $0 == marker }
  }

  /// Writes the file whole (a temporary file, then rename), mode 0755.
  static func writeExecutable(_ text: String, to path: String) throws {
    let temporary = path + ".fairscan-tmp-\(getpid())"
    try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
    guard chmod(temporary, 0o755) == 0, rename(temporary, path) == 0 else {
      let message = String(cString: strerror(errno))
      unlink(temporary)
      throw CommandFailure.usage("cannot write \(path): \(message)")
    }
  }
}

/// Runs the `git` command line (hook installation only: the hooks folder is git's answer).
enum Git {
  static func run(_ args: [String], in directory: String) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + args
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
  }
}
