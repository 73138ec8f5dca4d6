import Foundation
import Synchronization

/// Rebuilds the wanted objects of one pack, each delta from its base just rebuilt, on as many
/// threads as call `work`: every object is inflated once, and no delta chain is replayed.
///
/// The entries form a forest (each delta hangs under its base). The walk visits the trees that
/// hold a wanted object, depth first, and hands each wanted object to the caller as soon as it
/// is rebuilt. Entries that hold no wanted object and have no wanted object below them are never
/// read: a tree that no delta needs, for one.
///
/// What it cannot rebuild (a broken chain, bad data, an object over `maxObjectSize`, a chain
/// whose buffers would pass `maxChainBytes`) is left, with everything below it, to
/// `leftovers`: the caller reads those one by one, the way that reports errors.
public final class PackWalk: @unchecked Sendable {
  public let pack: PackFile
  private let wanted: UnsafeMutableBufferPointer<Bool>
  private let visited: UnsafeMutableBufferPointer<Bool>
  private let firstChild: [Int32]
  private let nextSibling: [Int32]
  private let maxObjectSize: Int
  private let maxChainBytes: Int
  private let condition = NSCondition()
  private var tasks: [Task] = []
  private var active = 0
  private let consumed = Atomic<Int>(0)
  private static let releaseEvery = 32 << 20

  private struct Task {
    var entry: Int32
    var base: ObjectContents?
    /// Bytes of the buffers above this entry in its chain.
    var held: Int
  }

  /// Plans the walk. `wants(id, kind)` is asked once per entry, in pack order (kind is nil when
  /// the entry cannot be placed): true to have the object delivered (or left over).
  public init(
    pack: PackFile, maxObjectSize: Int, maxChainBytes: Int = 128 << 20,
    wants: (ObjectID, ObjectKind?) -> Bool
  ) {
    self.pack = pack
    self.maxObjectSize = maxObjectSize
    self.maxChainBytes = maxChainBytes
    let count = pack.count
    wanted = .allocate(capacity: count)
    wanted.initialize(repeating: false)
    visited = .allocate(capacity: count)
    visited.initialize(repeating: false)
    // Needed: wanted, or the base of something needed.
    var needed = [Bool](repeating: false, count: count)
    for i in 0..<count where wants(pack.ids[i], pack.kinds[i]) {
      wanted[i] = true
      var at = i
      while at >= 0 && !needed[at] {
        needed[at] = true
        at = Int(pack.bases[at])
      }
    }
    var first = [Int32](repeating: -1, count: count)
    var next = [Int32](repeating: -1, count: count)
    var roots: [Task] = []
    for i in stride(from: count - 1, through: 0, by: -1) where needed[i] {
      let base = pack.bases[i]
      if base == PackFile.none {
        roots.append(Task(entry: Int32(i), base: nil, held: 0))  // last entry first: popped first-offset first
      } else if base >= 0 {
        next[i] = first[Int(base)]
        first[Int(base)] = Int32(i)
      }
    }
    firstChild = first
    nextSibling = next
    tasks = roots
  }

  deinit {
    wanted.deallocate()
    visited.deallocate()
  }

  /// Rebuilds objects until none is left for any thread, calling `visit` for each wanted one
  /// (its bytes are the caller's to keep). Call it from every thread of the walk.
  public func work(with inflater: PackInflater, _ visit: (ObjectID, ObjectKind, ObjectContents) -> Void) {
    var scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    defer { scratch.deallocate() }
    while var task = take() {
      while true {
        let entry = Int(task.entry)
        guard let kind = pack.kinds[entry],
          let contents = rebuild(
            entry, kind: kind, base: task.base, held: task.held,
            inflater: inflater, scratch: &scratch)
        else { break }
        visited[entry] = true
        if wanted[entry] { visit(pack.ids[entry], kind, contents) }
        let child = firstChild[entry]
        guard child >= 0 else { break }
        let held = task.held + contents.bytes.count
        var sibling = nextSibling[Int(child)]
        if sibling >= 0 {
          condition.lock()
          while sibling >= 0 {
            tasks.append(Task(entry: sibling, base: contents, held: held))
            sibling = nextSibling[Int(sibling)]
          }
          condition.broadcast()
          condition.unlock()
        }
        task = Task(entry: child, base: contents, held: held)
      }
      finish()
    }
  }

  /// The wanted objects not delivered, in pack order. Read it after every `work` call returned.
  public var leftovers: [ObjectID] {
    (0..<pack.count).filter { wanted[$0] && !visited[$0] }.map { pack.ids[$0] }
  }

  /// The next task; waits while other threads may still add some; nil when all is done.
  private func take() -> Task? {
    condition.lock()
    defer { condition.unlock() }
    while tasks.isEmpty && active > 0 { condition.wait() }
    guard let task = tasks.popLast() else {
      condition.broadcast()
      return nil
    }
    active += 1
    return task
  }

  private func finish() {
    condition.lock()
    active -= 1
    if active == 0 && tasks.isEmpty { condition.broadcast() }
    condition.unlock()
  }

  /// Inflates `entry` and, for a delta, applies it to `base`. Nil when it cannot or must not.
  private func rebuild(
    _ entry: Int, kind: ObjectKind, base: ObjectContents?, held: Int,
    inflater: PackInflater, scratch: inout UnsafeMutableRawBufferPointer
  ) -> ObjectContents? {
    let size = pack.sizes[entry]
    noteConsumed(pack.compressedSize(entry))
    guard let base else {
      guard size <= maxObjectSize, held + size <= maxChainBytes else { return nil }
      let output = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 16)
      let exact = UnsafeMutableRawBufferPointer(rebasing: output[0..<size])
      guard pack.inflate(entry, into: exact, with: inflater) else {
        output.deallocate()
        return nil
      }
      return ObjectContents(kind: kind, bytes: UnsafeRawBufferPointer(exact)) { output.deallocate() }
    }
    // A delta is instructions, at most a few bytes each for a copy: never far larger than its result.
    guard size <= maxObjectSize &* 2 &+ 4096 else { return nil }
    if scratch.count < size {
      scratch.deallocate()
      scratch = .allocate(byteCount: max(size, scratch.count * 2), alignment: 16)
    }
    let delta = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<size])
    guard pack.inflate(entry, into: delta, with: inflater),
      let sizes = PackDelta.sizes(UnsafeRawBufferPointer(delta)),
      sizes.base == base.bytes.count, sizes.result <= maxObjectSize, held + sizes.result <= maxChainBytes
    else { return nil }
    let output = UnsafeMutableRawBufferPointer.allocate(byteCount: max(sizes.result, 1), alignment: 16)
    let exact = UnsafeMutableRawBufferPointer(rebasing: output[0..<sizes.result])
    guard PackDelta.apply(UnsafeRawBufferPointer(delta), from: sizes.instructions, base: base.bytes, into: exact) else {
      output.deallocate()
      return nil
    }
    return ObjectContents(kind: kind, bytes: UnsafeRawBufferPointer(exact)) { output.deallocate() }
  }

  /// Counts the pack bytes read (at least two pages an entry: a walk reads entries scattered
  /// over the pack), and every `releaseEvery` of them lets the pack's pages go.
  private func noteConsumed(_ compressed: Int) {
    let bytes = max(compressed, 8192)
    let before = consumed.wrappingAdd(bytes, ordering: .relaxed).oldValue
    if before / Self.releaseEvery != (before + bytes) / Self.releaseEvery { pack.releasePages() }
  }
}
