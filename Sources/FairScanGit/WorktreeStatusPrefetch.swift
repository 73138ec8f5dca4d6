import Synchronization

/// The work tree's status (`Repository.worktreeEntries()`), begun on libgit2's background
/// thread as the process starts, before the command line is parsed, and taken by the scan if it
/// opens the same repository.
///
/// On a warm rescan of a small repository the status is the largest part of the scan (about
/// 6 ms of swift-nio's 20, one `lstat` per file), and parsing the arguments comes second (about
/// 5 ms, argument-parser's reflection): with two cores they overlap. The status is git's, taken
/// the same way in both places; the prefetched one is only a few milliseconds older.
public enum WorktreeStatusPrefetch {
  /// What the background thread found, and for which repository.
  private struct Taken: Sendable {
    let gitDirectory: String
    let workingDirectory: String
    let entries: Result<[WorktreeEntry], GitError>
  }

  private static let taken = Mutex<Taken?>(nil)

  /// Starts libgit2's set-up on its background thread (`LibGit2.initializeInBackground`) and,
  /// after it, the status of the work tree of the repository `path` is in (found as
  /// `Repository(path:)` finds it). Nothing is kept when no repository with a work tree is
  /// there. Does nothing if the background thread was started already.
  public static func begin(at path: String) {
    LibGit2.initializeInBackground {
      guard let repo = try? Repository(path: path), let workdir = repo.workingDirectory else { return }
      let entries = Result { () throws(GitError) in try repo.worktreeEntries() }
      let found = Taken(gitDirectory: repo.gitDirectory, workingDirectory: workdir, entries: entries)
      taken.withLock { $0 = found }
    }
  }

  /// The status `repo.worktreeEntries()` gives, or the error it throws, as the background
  /// thread found it: nil when `begin` did not look at `repo` (none begun, another git
  /// directory or work tree) or it was taken already. Waits for the background thread.
  public static func take(for repo: Repository) -> Result<[WorktreeEntry], GitError>? {
    LibGit2.waitForBackgroundInitialization()
    let found = taken.withLock { kept in
      defer { kept = nil }
      return kept
    }
    guard let found, found.gitDirectory == repo.gitDirectory, found.workingDirectory == repo.workingDirectory
    else { return nil }
    return found.entries
  }
}
