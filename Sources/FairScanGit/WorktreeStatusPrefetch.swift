import Dispatch
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

  /// What the background thread found of a repository's memo, before it loads libgit2.
  private struct MemoLooked: Sendable {
    let gitDirectory: String
    let workingDirectory: String
    let record: String
    /// Nil when the memo does not hold.
    let memo: RepositoryMemo?
    /// The work tree's status from the record, when the memo holds and so does the record.
    let recorded: WorktreeStatus?
  }

  private static let memoLooked = Mutex<MemoLooked?>(nil)
  /// Left once the background thread has looked at the memo, or would not: `memo(…)` waits for
  /// this, not for libgit2's loading.
  private static let memoLooking = DispatchGroup()

  /// Starts, on libgit2's background thread (`LibGit2.runInBackground`), the status of the work
  /// tree of the repository `path` is in (found as `Repository(path:)` finds it), from the
  /// record of the last scan (`WorktreeSnapshot`) when `readsRecord` and the record still holds.
  /// With `readsRecord`, the memo (`RepositoryMemo`) of a repository of the plain layout is
  /// looked at first; when it and the record both hold, libgit2 is not opened at all: the scan
  /// may need none. Otherwise libgit2 is set up, then the status taken. Nothing is kept when no
  /// repository with a work tree is there. Does nothing if the background thread was started
  /// already.
  public static func begin(at path: String, readsRecord: Bool) {
    memoLooking.enter()
    let started = LibGit2.runInBackground {
      var looked: MemoLooked? = nil
      if readsRecord, let plain = RepositoryMemo.plainRepository(at: path) {
        let record = WorktreeSnapshot.path(gitDirectory: plain.gitDirectory)
        let memo = RepositoryMemo.holding(plain)
        let entries =
          memo == nil
          ? nil
          : WorktreeSnapshot.recordedEntries(
            at: record, gitDirectory: plain.gitDirectory, workingDirectory: plain.workingDirectory)
        looked = MemoLooked(
          gitDirectory: plain.gitDirectory, workingDirectory: plain.workingDirectory, record: record, memo: memo,
          recorded: entries.map { WorktreeStatus(entries: .success($0), fromRecord: true) })
      }
      if let looked, looked.memo != nil, let recorded = looked.recorded {
        let found = Taken(
          gitDirectory: looked.gitDirectory, workingDirectory: looked.workingDirectory, record: looked.record,
          status: recorded)
        taken.withLock { $0 = found }
      }
      memoLooked.withLock { $0 = looked }
      memoLooking.leave()
      if looked?.recorded != nil { return }
      LibGit2.initialize()
      guard let repo = try? Repository(path: path), let workdir = repo.workingDirectory else { return }
      let record = readsRecord ? WorktreeSnapshot.path(gitDirectory: repo.gitDirectory) : nil
      let status = WorktreeSnapshot.status(of: repo, recordAt: record)
      let found = Taken(gitDirectory: repo.gitDirectory, workingDirectory: workdir, record: record, status: status)
      taken.withLock { $0 = found }
    }
    if !started { memoLooking.leave() }
  }

  /// The memo of the repository at `workingDirectory` and `gitDirectory`, and the work tree's
  /// status from `record`, as the background thread found them: `looked` is false when `begin`
  /// did not look at this repository's memo with this record (none begun, another repository,
  /// another record); `memo` is nil when it does not hold, `recorded` when the record does not.
  /// Waits until the thread has looked, not for libgit2; leaves the status for `take`.
  public static func memo(workingDirectory: String, gitDirectory: String, recordAt record: String)
    -> (looked: Bool, memo: RepositoryMemo?, recorded: WorktreeStatus?)
  {
    memoLooking.wait()
    guard let found = memoLooked.withLock({ $0 }), found.gitDirectory == gitDirectory,
      found.workingDirectory == workingDirectory, found.record == record
    else { return (false, nil, nil) }
    return (true, found.memo, found.recorded)
  }

  /// Forgets what the background thread found (a scan took it from `memo(…)`).
  public static func forget() {
    memoLooked.withLock { $0 = nil }
    taken.withLock { $0 = nil }
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
