import Dispatch
import FairScanGit
import Foundation
import Synchronization

/// The history walk (attribution) on a thread of its own. The object scan starts it
/// at its first hit, so a clean history never pays for it, and one with findings gets
/// its attribution while the rest of the objects are still being read.
final class BackgroundWalk: @unchecked Sendable {
  private let gitDirectory: String
  private let started = Atomic<Bool>(false)
  private let finished = DispatchSemaphore(value: 0)
  private let stop = Atomic<Bool>(false)
  /// Written once by the walk thread before `finished` is signalled, read after waiting.
  private var outcome: Result<HistoryIndex, GitError>?

  init(gitDirectory: String) {
    self.gitDirectory = gitDirectory
  }

  /// Starts walking every ref, recording every blob's introductions. Idempotent and thread-safe.
  func start() {
    guard started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else {
      return
    }
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

  /// Starts the walk if it hasn't started, waits for it and returns its index.
  func result() throws(GitError) -> HistoryIndex {
    start()
    finished.wait()
    return try outcome!.get()
  }

  /// Stops a started walk and waits for its thread to let go of the repository.
  func cancel() {
    guard started.load(ordering: .acquiring) else { return }
    stop.store(true, ordering: .relaxed)
    finished.wait()
  }
}
