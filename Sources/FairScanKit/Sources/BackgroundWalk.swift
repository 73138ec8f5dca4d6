import Dispatch
import FairScanGit
import Foundation
import Synchronization

/// The history walk (attribution) on a thread of its own, started with the object
/// scan: reading objects leaves a core partly idle (libgit2's pack locks), and the
/// walk fills it. When the scan finds nothing to attribute, the walk is cancelled.
final class BackgroundWalk: @unchecked Sendable {
  private let finished = DispatchSemaphore(value: 0)
  private let stop = Atomic<Bool>(false)
  /// Written once by the walk thread before `finished` is signalled, read after waiting.
  private var outcome: Result<HistoryIndex, GitError>?

  /// Starts walking every ref of the repository at `gitDirectory`, recording every blob's introductions.
  init(gitDirectory: String) {
    let thread = Thread { [self] in
      var options = HistoryWalkOptions()
      options.isCancelled = { [self] in stop.load(ordering: .relaxed) }
      do {
        outcome = .success(try Trace.phase("attribute (history walk, concurrent)") {
          try Repository(path: gitDirectory).walkHistory(options)
        })
      } catch {
        outcome = .failure(error as? GitError ?? GitError(function: "walkHistory", code: -1, message: "\(error)"))
      }
      finished.signal()
    }
    thread.stackSize = 16 << 20
    thread.start()
  }

  /// Waits for the walk and returns its index.
  func result() throws(GitError) -> HistoryIndex {
    finished.wait()
    return try outcome!.get()
  }

  /// Stops the walk and waits for its thread to let go of the repository.
  func cancel() {
    stop.store(true, ordering: .relaxed)
    finished.wait()
  }
}
