import ArgumentParser
import FairScanGit
import FairScanKit
import FairScanSystem
import Foundation

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
          "\(hook) is not fairscan's and \(chained) already exists: move one of them away, or use --force to replace \(hook)"
        )
      } else {
        do { try fm.moveItem(atPath: hook, toPath: chained) } catch {
          throw CommandFailure.usage("cannot rename \(hook) to \(chained): \(error.localizedDescription)")
        }
        action = "chained the existing hook (now \(kind.rawValue)\(chainedSuffix), run first) and installed"
      }
    }
    do { try writeExecutable(script(kind, binary: binary), to: hook) } catch {
      throw CommandFailure.usage("cannot write \(hook): \(error.message)")
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
    let missing =
      "fairscan: the \(kind.rawValue) hook cannot find fairscan (installed as $FAIRSCAN, and none on PATH): "
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

  /// Writes the file whole (`FileReplacement`), mode 0755.
  static func writeExecutable(_ text: String, to path: String) throws(SystemError) {
    try FileReplacement.write(Array(text.utf8), to: path, permissions: .exactly(0o755))
  }
}
