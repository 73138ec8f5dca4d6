import Dispatch
import Synchronization

/// Runs `body(worker)` on `jobs` threads and waits for all of them.
enum Parallel {
  static func run(jobs: Int, _ body: @Sendable (Int) -> Void) {
    let count = max(1, jobs)
    if count == 1 { body(0); return }
    DispatchQueue.concurrentPerform(iterations: count) { body($0) }
  }
}

/// Hands out consecutive chunks of `0..<total`, so each worker reads objects
/// that lie next to each other in a pack.
final class ChunkDispenser: Sendable {
  private let next = Atomic<Int>(0)
  let total: Int
  let chunkSize: Int

  init(total: Int, chunkSize: Int) {
    self.total = total
    self.chunkSize = max(1, chunkSize)
  }

  func take() -> Range<Int>? {
    let start = next.wrappingAdd(chunkSize, ordering: .relaxed).oldValue
    guard start < total else { return nil }
    return start..<min(total, start + chunkSize)
  }
}

/// Collects each worker's partial result under a lock.
final class Gathered<Value: Sendable>: Sendable {
  private let values = Mutex<[Value]>([])
  func append(_ value: Value) { values.withLock { $0.append(value) } }
  var all: [Value] { values.withLock { $0 } }
}

/// Lets a value that is only ever touched by one thread at a time cross into a worker.
struct Unchecked<T>: @unchecked Sendable {
  var value: T
  init(_ value: T) { self.value = value }
}
