import FairScanGit

/// Errors that stop a scan before it produces a report.
public enum ScanError: Error, Equatable, CustomStringConvertible {
  /// The repository cannot be opened (bad input).
  case repository(String)
  /// `--range` names no commits (bad input).
  case badRange(String)
  /// The path cannot be scanned (bad input).
  case path(String)
  /// The scan started but could not finish (exit code: incomplete).
  case failed(String)

  public var description: String {
    switch self {
    case .repository(let m), .path(let m), .failed(let m): return m
    case .badRange(let m): return "bad --range: \(m)"
    }
  }

  /// A repository that cannot be opened: not one, or missing (FairScanGit's `Repository` words
  /// both, path included), one git would refuse (another owner: git's words and its
  /// `safe.directory` fix, never a way around the check), or a damaged one.
  public static func cannotOpen(_ path: String, _ error: GitError) -> ScanError {
    .repository(
      error.isDubiousOwnership || error.isNotFound
        ? error.message : "cannot open the repository \(path): \(error.message)")
  }

  /// The history walk (attribution) failed after the scan started.
  static func walkFailed(_ error: any Error) -> ScanError {
    .failed("cannot walk the history: \((error as? GitError)?.message ?? "\(error)")")
  }

  /// Whether the error is the user's input (usage) rather than a failure along the way.
  public var isBadInput: Bool {
    if case .failed = self { return false }
    return true
  }
}
