import Synchronization

/// The work tree's status (`WorktreeSnapshot.status`), begun on libgit2's background thread as
/// the process starts, before the command line is parsed, and taken by the scan if it opens the
/// same repository.
///
/// On a warm rescan of a small repository the status is the largest part of the scan (about
/// 6 ms of swift-nio's 20 when git takes it, one `lstat` per file), and parsing the arguments
/// comes second (about 5 ms, argument-parser's reflection): with two cores they overlap. The
/// status is the one the scan would take, a few milliseconds older.
public enum WorktreeStatusPrefetch {
  /// What the background thread found, for which repository, and which record it looked at.
  private struct Taken: Sendable {
    let gitDirectory: String
    let workingDirectory: String
    let record: String?
    let status: WorktreeStatus
  }

  private static let taken = Mutex<Taken?>(nil)

  /// Starts libgit2's set-up on its background thread (`LibGit2.initializeInBackground`) and,
  /// after it, the status of the work tree of the repository `path` is in (found as
  /// `Repository(path:)` finds it), from the record of the last scan (`WorktreeSnapshot`) when
  /// `readsRecord` and the record still holds. Nothing is kept when no repository with a work
  /// tree is there. Does nothing if the background thread was started already.
  public static func begin(at path: String, readsRecord: Bool) {
    LibGit2.initializeInBackground {
      guard let repo = try? Repository(path: path), let workdir = repo.workingDirectory else { return }
      let record = readsRecord ? WorktreeSnapshot.path(gitDirectory: repo.gitDirectory) : nil
      let status = WorktreeSnapshot.status(of: repo, recordAt: record)
      let found = Taken(gitDirectory: repo.gitDirectory, workingDirectory: workdir, record: record, status: status)
      taken.withLock { $0 = found }
    }
  }

  /// The status `WorktreeSnapshot.status(of: repo, recordAt: record)` gives, as the background
  /// thread found it: nil when `begin` did not look at `repo` (none begun, another git directory
  /// or work tree), took it from another record than `record` (or from one where the scan must
  /// not use any), or it was taken already. Git's own status stands whatever the record, only
  /// without one to write. Waits for the background thread.
  public static func take(for repo: Repository, recordAt record: String?) -> WorktreeStatus? {
    LibGit2.waitForBackgroundInitialization()
    let found = taken.withLock { kept in
      defer { kept = nil }
      return kept
    }
    guard let found, found.gitDirectory == repo.gitDirectory, found.workingDirectory == repo.workingDirectory
    else { return nil }
    if found.record == record { return found.status }
    if found.status.fromRecord { return nil }
    var status = found.status
    status.pending = nil
    return status
  }
}
