import Foundation
import Synchronization

/// Work started on a thread of its own at once; `result()` waits for it (every call returns
/// the same value). For work that must not hold up the scanning threads, such as cache writes.
final class BackgroundTask<Value>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var value: Value?  // written once by the thread before `done` is signalled
  private let waited = Mutex(false)

  /// `work` runs on the new thread only, while the caller keeps off what it touches until
  /// `result()`. `stackSize`: for deep recursion (the history walk's tree diff).
  init(stackSize: Int? = nil, _ work: @escaping () -> Value) {
    let job = Unchecked(work)
    let thread = Thread { [self] in
      value = job.value()
      done.signal()
    }
    if let stackSize { thread.stackSize = stackSize }
    thread.start()
  }

  /// Waits for the work and returns its value; any thread, any number of times.
  func result() -> Value {
    waited.withLock { waited in
      if !waited {
        done.wait()
        waited = true
      }
    }
    return value!
  }
}
