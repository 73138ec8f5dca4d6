import Foundation

/// Work started on a thread of its own at once; `result()` waits for it (every call returns
/// the same value). For work that must not hold up the scanning threads, such as cache writes.
final class BackgroundTask<Value>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var value: Value?  // written once by the thread before `done` is signalled
  private var waited = false

  /// `work` runs on the new thread only, while the caller keeps off what it touches until `result()`.
  init(_ work: @escaping () -> Value) {
    let job = Unchecked(work)
    let thread = Thread { [self] in
      value = job.value()
      done.signal()
    }
    thread.start()
  }

  func result() -> Value {
    if !waited {
      done.wait()
      waited = true
    }
    return value!
  }
}
