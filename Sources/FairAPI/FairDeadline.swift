import Foundation

/// Runs an operation with a hard end: whatever it waits on (a connect, headers, a body
/// trickled one byte at a time), the caller gets its answer or `FairTransportError(.timeout)`
/// by `timeout`. On timeout the operation's task is cancelled and not waited for, so an
/// operation that ignores cancellation cannot hold the caller.
enum FairDeadline {
  static func run<T: Sendable>(
    timeout: Duration, what: String, _ operation: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    let race = Race<T>()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
        race.start(
          continuation,
          work: Task {
            do { race.finish(.success(try await operation())) } catch { race.finish(.failure(error)) }
          },
          timer: Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            race.finish(
              .failure(FairTransportError(.timeout, "\(what): no complete answer within \(Self.text(timeout))")))
          })
      }
    } onCancel: {
      race.cancel()
    }
  }

  /// `30 s`, `2.5 s`.
  static func text(_ d: Duration) -> String {
    let s = d.seconds
    return s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
  }

  /// The operation against the clock: the first to finish resumes the caller, once; the other
  /// is cancelled.
  private final class Race<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    private var early: Result<T, Error>?
    private var tasks: [Task<Void, Never>] = []
    private var done = false
    private var cancelled = false

    func start(_ continuation: CheckedContinuation<T, Error>, work: Task<Void, Never>, timer: Task<Void, Never>) {
      lock.lock()
      tasks = [work, timer]
      if let early {
        // One side finished before the tasks were on record.
        self.early = nil
        lock.unlock()
        work.cancel()
        timer.cancel()
        continuation.resume(with: early)
        return
      }
      self.continuation = continuation
      let stop = cancelled
      lock.unlock()
      if stop { cancel() }
    }

    func finish(_ result: Result<T, Error>) {
      lock.lock()
      guard !done else {
        lock.unlock()
        return
      }
      done = true
      let waiting = continuation
      continuation = nil
      if waiting == nil { early = result }
      let running = tasks
      lock.unlock()
      running.forEach { $0.cancel() }
      waiting?.resume(with: result)
    }

    func cancel() {
      lock.lock()
      cancelled = true
      let running = tasks
      lock.unlock()
      running.forEach { $0.cancel() }
    }
  }
}
