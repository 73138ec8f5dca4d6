/// A failed libgit2 call (or a fairscan-side git failure), with the function name,
/// the libgit2 return code and the message libgit2 reported on this thread.
public struct GitError: Error, Equatable, CustomStringConvertible {
  /// The C function (or fairscan operation) that failed, e.g. `git_repository_open_ext`.
  public var function: String
  /// The negative libgit2 return code (`-1` for fairscan-side failures).
  public var code: Int32
  /// A short, lowercase message; never contains object contents.
  public var message: String

  public init(function: String, code: Int32, message: String) {
    self.function = function
    self.code = code
    self.message = message
  }

  public var description: String { "\(function) failed (\(code)): \(message)" }

  /// The error a walk throws when `HistoryWalkOptions.isCancelled` says stop (libgit2's `GIT_EUSER`).
  public static let cancelled = GitError(function: "walkHistory", code: -7, message: "cancelled")

  /// `true` when libgit2 reported `GIT_ENOTFOUND`.
  public var isNotFound: Bool { code == -3 }

  /// `true` when libgit2 refused a repository owned by another user (`GIT_EOWNER`).
  public var isDubiousOwnership: Bool { code == -36 }
}
