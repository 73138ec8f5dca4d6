import FairScanGit
import Synchronization

/// The history walk (attribution) on a thread of its own. The object scan starts it
/// at its first hit, so a clean history never pays for it, and one with findings gets
/// its attribution while the rest of the objects are still being read.
final class BackgroundWalk: Sendable {
  private let gitDirectory: String
  /// Every object in the database, as the scan listed them (the walk lists nothing again).
  private let objectIDs: [ObjectID]
  /// Set by the first `start()`: the walk's thread and its outcome (`BackgroundTask`).
  private let task = Mutex<BackgroundTask<Result<HistoryIndex, GitError>>?>(nil)
  private let stop = Atomic<Bool>(false)

  init(gitDirectory: String, objectIDs: [ObjectID]) {
    self.gitDirectory = gitDirectory
    self.objectIDs = objectIDs
  }

  /// Starts walking every ref, recording every blob's introductions. Idempotent and thread-safe.
  func start() {
    task.withLock { task in
      guard task == nil else { return }
      task = BackgroundTask(stackSize: 16 << 20) { [self] in
        var options = HistoryWalkOptions()
        options.objectIDs = objectIDs
        options.isCancelled = { [self] in stop.load(ordering: .relaxed) }
        do {
          return .success(
            try Trace.phase("attribute (history walk, concurrent)") {
              try Repository(path: gitDirectory).walkHistory(options)
            })
        } catch {
          return .failure(error as? GitError ?? GitError(function: "walkHistory", code: -1, message: "\(error)"))
        }
      }
    }
  }

  /// Starts the walk if it hasn't started, waits for it and returns its index.
  func result() throws(GitError) -> HistoryIndex {
    start()
    return try task.withLock { $0! }.result().get()
  }

  /// Stops a started walk and waits for its thread to let go of the repository.
  func cancel() {
    guard let started = task.withLock({ $0 }) else { return }
    stop.store(true, ordering: .relaxed)
    _ = started.result()
  }
}
