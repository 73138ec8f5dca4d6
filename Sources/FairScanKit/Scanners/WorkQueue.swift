import FairScanGit
import Foundation

/// Objects read and waiting to be scanned, bounded in count and bytes.
final class WorkQueue: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [ObjectScan.Loaded] = []
  private var head = 0
  private var bytes = 0
  private var finished = false
  static let maxItems = 1024
  static let maxBytes = 16 << 20

  /// Queues `item` unless the queue is full; the caller scans it itself when this returns false.
  func offer(_ item: ObjectScan.Loaded) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    let waiting = items.count - head
    guard waiting < WorkQueue.maxItems && (bytes + item.byteCount <= WorkQueue.maxBytes || waiting == 0) else {
      return false
    }
    items.append(item)
    bytes += item.byteCount
    condition.signal()
    return true
  }

  /// The next item; waits while the queue is empty and open; nil once it is finished and empty.
  func take() -> ObjectScan.Loaded? {
    condition.lock()
    defer { condition.unlock() }
    while head == items.count && !finished { condition.wait() }
    guard head < items.count else { return nil }
    let item = items[head]
    items[head] = .nothing
    head += 1
    bytes -= item.byteCount
    if head > 4096 && head * 2 > items.count {
      items.removeFirst(head)
      head = 0
    }
    return item
  }

  /// No more items will come: wake every waiting scanner.
  func finish() {
    condition.lock()
    finished = true
    condition.broadcast()
    condition.unlock()
  }
}
