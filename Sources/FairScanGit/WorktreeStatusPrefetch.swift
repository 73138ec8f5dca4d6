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
    /// The repository's memo, when it was looked at (`readsRecord`) and holds.
    let memo: RepositoryMemo?
  }

  private static let taken = Mutex<Taken?>(nil)

  /// Starts, on libgit2's background thread (`LibGit2.runInBackground`), the status of the work
  /// tree of the repository `path` is in (found as `Repository(path:)` finds it), from the
  /// record of the last scan (`WorktreeSnapshot`) when `readsRecord` and the record still holds.
  /// With `readsRecord`, a repository of the plain layout (`RepositoryMemo.plainRepository`)
  /// whose memo and record both hold is taken from them without opening libgit2 at all: the scan
  /// may need none. Otherwise libgit2 is set up first, then the status taken. Nothing is kept
  /// when no repository with a work tree is there. Does nothing if the background thread was
  /// started already.
  public static func begin(at path: String, readsRecord: Bool) {
    LibGit2.runInBackground {
      var memo: RepositoryMemo? = nil
      if readsRecord, let plain = RepositoryMemo.plainRepository(at: path) {
        memo = RepositoryMemo.holding(workingDirectory: plain.workingDirectory, gitDirectory: plain.gitDirectory)
        let record = WorktreeSnapshot.path(gitDirectory: plain.gitDirectory)
        if let memo,
          let entries = WorktreeSnapshot.recordedEntries(
            at: record, gitDirectory: plain.gitDirectory, workingDirectory: plain.workingDirectory)
        {
          let found = Taken(
            gitDirectory: plain.gitDirectory, workingDirectory: plain.workingDirectory, record: record,
            status: WorktreeStatus(entries: .success(entries), fromRecord: true), memo: memo)
          taken.withLock { $0 = found }
          return
        }
      }
      LibGit2.initialize()
      guard let repo = try? Repository(path: path), let workdir = repo.workingDirectory else { return }
      let record = readsRecord ? WorktreeSnapshot.path(gitDirectory: repo.gitDirectory) : nil
      let status = WorktreeSnapshot.status(of: repo, recordAt: record)
      let found = Taken(
        gitDirectory: repo.gitDirectory, workingDirectory: workdir, record: record, status: status, memo: memo)
      taken.withLock { $0 = found }
    }
  }

  /// The memo of the repository at `workingDirectory` and `gitDirectory` and the status from
  /// `record`, as the background thread found them: `looked` is false when `begin` did not look
  /// at this repository's memo with this record (none begun, another repository, another record);
  /// `memo` is nil when it did not hold. Waits for the background thread; leaves what it found for
  /// `take`.
  public static func memo(workingDirectory: String, gitDirectory: String, recordAt record: String)
    -> (looked: Bool, memo: RepositoryMemo?, status: WorktreeStatus?)
  {
    LibGit2.waitForBackgroundInitialization()
    guard let found = taken.withLock({ $0 }), found.gitDirectory == gitDirectory,
      found.workingDirectory == workingDirectory, found.record == record
    else { return (false, nil, nil) }
    return (true, found.memo, found.status)
  }

  /// Forgets what the background thread found (a scan took it without `take`).
  public static func forget() { taken.withLock { $0 = nil } }

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
